"""What kind of sitting an attempt is: a quiz (the learner's own, an assignment's, or a practice
of what an earlier attempt missed), a spaced-practice session (`services.practice`) or a live
class game's answers (`services.live`, scored as a quiz), told by `Attempt.settings["mode"]`.

A practice session asks the facts the learner is most likely to have forgotten, hardest
first, and facts never seen: its score says how a review went, not how well the bank is
known, and it would drag a bank's quiz scores down for doing its job. So score summaries and
charts (history, a class's results per bank) read quizzes only; lists of attempts show
practice sessions marked as such. Assignments' reports and gradebooks read attempts of an
assignment, which a practice session never is.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from quizapp.models import Attempt

PRACTICE = "practice"
# A logged-in player's answers in a live class game (services.live): a quiz in its history,
# answered only through the game while it runs (the quiz pages send the learner there).
LIVE = "live"


def mode_of(settings: dict[str, Any] | None) -> str:
    """An attempt's mode from its settings: PRACTICE, or "quiz" (older attempts have none)."""
    return str((settings or {}).get("mode") or "quiz")


def is_practice(attempt: Attempt) -> bool:
    """Whether the attempt is a spaced-practice session."""
    return mode_of(attempt.settings) == PRACTICE


def is_live(attempt: Attempt) -> bool:
    """Whether the attempt keeps a learner's answers in a live game."""
    return mode_of(attempt.settings) == LIVE


def live_clause() -> sa.ColumnElement[bool]:
    """A SQL condition on Attempt: live games' attempts only."""
    return _mode() == LIVE


def _mode() -> sa.ColumnElement[str]:
    # JSON_EXTRACT on SQLite, ->> on PostgreSQL; no mode (every attempt before practice) is a quiz.
    return sa.func.coalesce(Attempt.settings["mode"].as_string(), "quiz")


def practice_clause() -> sa.ColumnElement[bool]:
    """A SQL condition on Attempt: spaced-practice sessions only."""
    return _mode() == PRACTICE


def quiz_clause() -> sa.ColumnElement[bool]:
    """A SQL condition on Attempt: everything but spaced-practice sessions."""
    return _mode() != PRACTICE
