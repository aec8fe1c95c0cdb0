"""Why a launch is refused, in words a teacher or an admin can act on."""

from __future__ import annotations

from collections.abc import Callable

from flask_babel import gettext as _

# code -> (HTTP status, message). The message says what happened and what to do about it.
_REFUSALS: dict[str, tuple[int, Callable[[], str]]] = {
    "bad_login": (
        400,
        lambda: _(
            "The LMS sent an incomplete login request (no issuer or login hint). "
            "Open the activity again from your course."
        ),
    ),
    "no_platform": (
        403,
        lambda: _(
            "This LMS is not registered in quizapp. An admin of quizapp must register it "
            "(issuer and client id) before its courses can open quizapp."
        ),
    ),
    "bad_request": (
        400,
        lambda: _(
            "The launch is incomplete: the LMS did not send a signed id token and its state. "
            "Open the activity again from your course."
        ),
    ),
    "state": (
        400,
        lambda: _(
            "This launch has expired or was already used. Open the activity again from your "
            "course (a launch must be completed within ten minutes)."
        ),
    ),
    "nonce": (
        400,
        lambda: _(
            "This launch was already used: its one-time code does not match. "
            "Open the activity again from your course."
        ),
    ),
    "format": (
        400,
        lambda: _("The LMS sent an id token quizapp cannot read. Open the activity again."),
    ),
    "signature": (
        403,
        lambda: _(
            "The launch's signature could not be verified with the LMS's public keys. "
            "An admin should check the key set URL (or public key) registered for this LMS."
        ),
    ),
    "keys": (
        502,
        lambda: _(
            "quizapp could not read the LMS's public keys from its key set URL. "
            "Try again in a minute; if it persists, an admin should check that URL."
        ),
    ),
    "audience": (
        403,
        lambda: _(
            "This launch was meant for another tool: its audience is not quizapp's client id "
            "on this LMS. An admin should check the client id registered for this LMS."
        ),
    ),
    "expired": (
        403,
        lambda: _(
            "The launch token has expired. Open the activity again from your course; if this "
            "keeps happening, the clock of the LMS or of quizapp's server is wrong."
        ),
    ),
    "deployment": (
        403,
        lambda: _(
            "This deployment of quizapp in the LMS is not registered. An admin of quizapp "
            "must add its deployment id to the LMS's registration."
        ),
    ),
    "message": (
        400,
        lambda: _("The LMS sent a kind of launch quizapp does not handle."),
    ),
    "teachers_only": (
        403,
        lambda: _("Only a teacher of the course may choose what quizapp adds to it."),
    ),
    "no_context": (
        400,
        lambda: _("quizapp must be opened from inside a course of the LMS."),
    ),
    "not_set_up": (
        409,
        lambda: _(
            "Your teacher has not set up this activity yet: a teacher of the course must "
            "open it once first."
        ),
    ),
    "not_linked": (
        409,
        lambda: _(
            "This link opens no quiz of this course. A teacher should edit the activity in "
            "the LMS and choose a quiz again (content selection)."
        ),
    ),
    "archived": (
        409,
        lambda: _("The class of this course is archived in quizapp: ask your teacher."),
    ),
    "no_launch": (
        400,
        lambda: _(
            "This page belongs to a launch from the LMS that has ended. Open the content "
            "selection again from your course."
        ),
    ),
}


class LaunchRefused(Exception):
    """A refused login or launch: `code` (a key of the table above), `status` and `message`."""

    def __init__(self, code: str, detail: str = "") -> None:
        assert code in _REFUSALS, code
        super().__init__(code)
        self.code = code
        self.detail = detail  # for the log only: the library's own words, never shown

    @property
    def status(self) -> int:
        """The HTTP status of the page that says so."""
        return _REFUSALS[self.code][0]

    @property
    def message(self) -> str:
        """The sentence shown, in the reader's language."""
        return _REFUSALS[self.code][1]()


REFUSAL_CODES = tuple(_REFUSALS)
