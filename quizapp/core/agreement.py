"""Words in place: an answer's span on word boundaries, and swapping it for another value.

A true/false question's false statement swaps the answer's span for a wrong value of the same
category. The swap keeps the sentence grammatical or is not made:

- English: the indefinite article right before the span is chosen again for the new value
  ("a"/"an", by `inflect`, which knows "an hour", "a union", "an SS officer"); the new value
  must have the answer's grammatical number (singular/plural), since the verb agrees with it;
  a place after "the" is swapped only for a place said with "the", and one without "the" only
  for one without ("the Soviet Union" never becomes "the Poland").
- Spanish: the new value must have the answer's gender and number, so every article and
  adjective that agrees with the answer agrees with it too. Articles are not rewritten: an
  adjective or participle elsewhere in the sentence may agree as well ("fue establecida").
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import inflect

from quizapp.core.characters import strip_accents

# A "word" character: letters (any script), digits and the underscore.
_BEFORE = r"(?<!\w)"
_AFTER = r"(?!\w)"
_ENGLISH_ARTICLE = re.compile(r"(?<!\w)(an?|An?|AN?)(\s+)$")
_ENGLISH_THE = re.compile(r"(?<!\w)[Tt]he\s+$")
# A Spanish definite article (or "del"/"al") right before a span.
_SPANISH_ARTICLE = re.compile(r"(?<!\w)(?:[Ee]l|[Ll]a|[Ll]os|[Ll]as|[Dd]el|[Aa]l)\s+$")
# The Spanish conjunctions "y"/"e" and "o"/"u" right before a span: "e" before an /i/ sound
# ("Francia e Italia"), "u" before an /o/ sound ("siete u ocho").
_SPANISH_AND = re.compile(r"(?<!\w)([yYeE])(\s+)$")
_SPANISH_OR = re.compile(r"(?<!\w)([oOuU])(\s+)$")
# Spanish place names said with an article: those whose first word is one of these nouns
# ("la Unión Soviética", "el Reino Unido", "el Banato"), and plurals.
_SPANISH_ARTICLE_NOUNS = frozenset(
    [
        "union",
        "reino",
        "estados",
        "imperio",
        "republica",
        "paises",
        "frente",
        "mar",
        "rio",
        "oceano",
        "banato",
        "caucaso",
        "danubio",
        "prut",
        "dniester",
        "dnieper",
        "volga",
        "bug",
    ]
)
# Place names that take "the" in English: plurals, and names ending in one of these nouns
# ("the Soviet Union", "the Eastern Front", "the Black Sea", "the Danube").
_THE_NOUNS = frozenset(
    [
        "union",
        "states",
        "republic",
        "kingdom",
        "empire",
        "reich",
        "front",
        "sea",
        "river",
        "ocean",
        "mountains",
        "netherlands",
        "balkans",
        "carpathians",
        "alps",
        "danube",
        "prut",
        "dniester",
        "dnieper",
        "caucasus",
        "crimea",
        "banat",
    ]
)


@lru_cache(maxsize=1)
def _inflect() -> inflect.engine:
    return inflect.engine()


def word_pattern(phrase: str, ignore_case: bool = False) -> re.Pattern[str]:
    """A regex finding the phrase as whole words: not preceded or followed by a letter/digit."""
    return re.compile(_BEFORE + re.escape(phrase) + _AFTER, re.IGNORECASE if ignore_case else 0)


def word_spans(text: str, phrase: str, ignore_case: bool = False) -> list[tuple[int, int]]:
    """Every (start, end) where the phrase stands in the text as whole words ("Roma" is not
    found in "Romanians", "dos" not in "entrenados"). Empty for an empty phrase."""
    if not phrase.strip():
        return []
    hay, need = text, phrase
    if ignore_case:
        hay, need = text.casefold(), phrase.casefold()
        if len(hay) != len(text) or len(need) != len(phrase):  # "ß" -> "ss": offsets move
            return [m.span() for m in word_pattern(phrase, True).finditer(text)]
    spans = []
    start = hay.find(need)
    while start >= 0:
        end = start + len(need)
        if (start == 0 or not _is_word(hay[start - 1])) and (
            end == len(hay) or not _is_word(hay[end])
        ):
            spans.append((start, end))
            start = hay.find(need, end)
        else:
            start = hay.find(need, start + 1)
    return spans


def answer_span(statement: str, answer: str) -> tuple[int, int] | None:
    """The span of the answer in its statement: its first whole-word occurrence, as written
    (case-sensitive), or None when the statement does not contain it on word boundaries."""
    spans = word_spans(statement, answer)
    return spans[0] if spans else None


def english_article(noun_phrase: str) -> str:
    """ "a" or "an" for the phrase, as English speakers say it (via inflect)."""
    return _inflect().a(noun_phrase).split(" ", 1)[0]


def after_the(text: str, span: tuple[int, int]) -> bool:
    """Whether the words at span follow a "the" (English)."""
    return _ENGLISH_THE.search(text[: span[0]]) is not None


def place_takes_the(name: str, number: str = "singular") -> bool:
    """Whether an English place name is said with "the": plurals ("the United States") and
    names ending in a common noun ("the Soviet Union", "the Eastern Front"), not "Hungary".
    A heuristic: a bank can state it by using the name after "the" in a fact's statement."""
    words = name.split()
    return number == "plural" or (bool(words) and words[-1].casefold() in _THE_NOUNS)


def after_spanish_article(text: str, span: tuple[int, int]) -> bool:
    """Whether the words at span follow a Spanish article ("la", "el", "del", "al"...)."""
    return _SPANISH_ARTICLE.search(text[: span[0]]) is not None


def place_takes_spanish_article(name: str, number: str = "singular") -> bool:
    """Whether a Spanish place name is said with an article: plurals and names that start with
    a common noun ("la Unión Soviética", "el Frente Oriental"), not "Francia". A heuristic: a
    bank states it by using the name after an article in a fact's statement."""
    words = strip_accents(name).casefold().split()
    return number == "plural" or (bool(words) and words[0] in _SPANISH_ARTICLE_NOUNS)


def _spanish_conjunction(before: str, replacement: str) -> str:
    """`before` with a final "y"/"e" or "o"/"u" chosen again for the word that now follows."""
    sound = strip_accents(replacement).casefold()
    # "hie"/"hia" ("hierro") start with a /y/ sound and keep "y".
    i_sound = sound.startswith("i") or (sound.startswith("hi") and sound[2:3] not in "aeou")
    o_sound = sound.startswith(("o", "ho"))
    for pattern, (plain, changed), use_changed in (
        (_SPANISH_AND, ("y", "e"), i_sound),
        (_SPANISH_OR, ("o", "u"), o_sound),
    ):
        found = pattern.search(before)
        if found:
            word = changed if use_changed else plain
            return before[: found.start(1)] + _match_case(word, found.group(1)) + found.group(2)
    return before


def _match_case(word: str, model: str) -> str:
    if model.isupper() and len(model) > 1:
        return word.upper()
    if model[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


def replace_span(language: str, text: str, span: tuple[int, int], replacement: str) -> str:
    """The text with span replaced by `replacement`, keeping what agrees with it right.

    In English an "a"/"an" right before the span is chosen again for the replacement; in
    Spanish a "y"/"e" or "o"/"u" right before it. At the start of the text the replacement
    takes a capital if the replaced words had one.
    """
    start, end = span
    before, after = text[:start], text[end:]
    if language == "en":
        article = _ENGLISH_ARTICLE.search(before)
        if article:
            chosen = _match_case(english_article(replacement), article.group(1))
            before = before[: article.start(1)] + chosen + article.group(2)
    elif language == "es":
        before = _spanish_conjunction(before, replacement)
    if start == 0 and text[:1].isupper() and replacement[:1].islower():
        replacement = replacement[:1].upper() + replacement[1:]
    return before + replacement + after


def agrees(
    language: str,
    gender: str | None,
    number: str,
    other_gender: str | None,
    other_number: str,
) -> bool:
    """Whether a value with (other_gender, other_number) may take the place of an answer with
    (gender, number) in a sentence of the language without breaking agreement.

    Number must be equal in both languages. Spanish also needs both genders known and equal
    (an unknown gender could break "la"/"el" or an adjective); English has no gender.
    """
    if (number or "singular") != (other_number or "singular"):
        return False
    if language == "es":
        return gender is not None and gender == other_gender
    return True


def cut_words(text: str, marker: str) -> bool:
    """Whether any `marker` in the text stands glued to a letter or digit (cuts a word)."""
    for match in re.finditer(re.escape(marker), text):
        start, end = match.span()
        if (start > 0 and _is_word(text[start - 1])) or (end < len(text) and _is_word(text[end])):
            return True
    return False


def _is_word(char: str) -> bool:
    """A letter or digit (of any script), or "_": what \\w matches."""
    return char.isalnum() or char == "_" or unicodedata.category(char).startswith("M")
