"""Password policy: long enough, and not guessable by zxcvbn's estimate; one-time passwords.

zxcvbn (Wheeler, "zxcvbn: Low-Budget Password Strength Estimation", USENIX Security 2016)
estimates how many guesses an attacker who tries common passwords, words, names, keyboard
patterns, repeats, sequences and dates first would need. Its score runs from 0 to 4; score 3
means about 10^8 guesses or more ("safely unguessable", enough against online attacks and
slowed offline ones), and is the minimum here. zxcvbn's own feedback is English text; the
reason shown to the user is chosen here from the pattern zxcvbn matched and goes through
gettext, so that a Spanish interface says why in Spanish.
"""

from __future__ import annotations

import secrets
import threading
from collections.abc import Iterable

from flask_babel import gettext as _
from zxcvbn import zxcvbn

MIN_LENGTH = 8
MIN_SCORE = 3
# zxcvbn refuses longer input; a password whose first 72 characters are strong is strong.
ESTIMATE_LENGTH = 72
# The site's own names, and Spanish words people use as passwords that zxcvbn's English lists
# miss: all count as guessable for everyone, next to the user's own words.
SITE_WORDS = ("quizapp", "quiz")
COMMON_SPANISH = ("contraseña", "clave", "secreto", "hola", "profesor", "profesora", "alumno")

# zxcvbn keeps the user inputs in a module-level dictionary during a call, so two threads
# estimating at once (a threaded server) could see each other's inputs.
_estimate_lock = threading.Lock()


def password_problem(password: str, user_inputs: Iterable[str] = ()) -> str | None:
    """Why `password` is refused, as a translated sentence, or None when it is acceptable.

    `user_inputs`: words that must count as guessable for this user (the user name, ...).
    The estimate looks at the first 72 characters; a shorter password than MIN_LENGTH is
    refused before any estimate.
    """
    if len(password) < MIN_LENGTH:
        return _("The password needs at least %(n)d characters.", n=MIN_LENGTH)
    own_words = [word.lower() for word in user_inputs if word]
    with _estimate_lock:
        result = zxcvbn(
            password[:ESTIMATE_LENGTH], user_inputs=[*own_words, *SITE_WORDS, *COMMON_SPANISH]
        )
    if result["score"] >= MIN_SCORE:
        return None
    return _(
        "This password is too easy to guess: %(reason)s",
        reason=_reason(password, own_words, result),
    )


def _reason(password: str, own_words: list[str], result: dict) -> str:
    """A translated reason from the matches zxcvbn found (its own feedback is English only).

    The user's own words come first, even when zxcvbn also knows them from another list (a
    surname in the user name, say): that is the reason the user can act on.
    """
    sequence = result.get("sequence") or []
    lowered = password.lower()
    site_tokens = {
        match.get("matched_word")
        for match in sequence
        if match.get("dictionary_name") == "user_inputs"
    }
    if any(len(word) >= 3 and word in lowered for word in own_words) or site_tokens & set(
        SITE_WORDS
    ):
        return _("it contains your user name or the site's name.")
    if site_tokens:
        return _("it is one of the most common passwords, or close to one.")
    matches = [match for match in sequence if match.get("pattern") != "bruteforce"]
    if not matches:
        return _("it is short and simple; use a few unrelated words.")
    longest = max(matches, key=lambda match: len(match.get("token", "")))
    pattern = longest.get("pattern")
    if pattern == "dictionary":
        name = longest.get("dictionary_name")
        if name == "passwords":
            return _("it is one of the most common passwords, or close to one.")
        if name in ("surnames", "male_names", "female_names"):
            return _("names and surnames are easy to guess.")
        return _("common words are easy to guess; add a few unrelated words.")
    if pattern == "spatial":
        return _("keyboard patterns such as qwerty are easy to guess.")
    if pattern == "repeat":
        return _("repeated characters or groups are easy to guess.")
    if pattern == "sequence":
        return _("sequences such as abc or 6543 are easy to guess.")
    if pattern in ("regex", "date"):
        return _("dates and years are easy to guess.")
    return _("it is short and simple; use a few unrelated words.")


def one_time_password() -> str:
    """A random password to hand over once (16 URL-safe characters, 96 bits of randomness).

    Checked like any other password, so that what the user is given is never refused later.
    """
    while True:
        password = secrets.token_urlsafe(12)
        if password_problem(password) is None:
            return password
