"""The quiz rules' refusals, each with a message meant for the learner."""

from __future__ import annotations

from flask_babel import gettext as _

from quizapp.core.generation import SetPlan


class QuizError(Exception):
    """A request the quiz rules refuse; the message is meant for the learner."""


class QuizShortfall(QuizError):
    """The bank cannot give the set as asked. `plan` (a SetPlan) says what it can give; the
    same `seed` draws that set again once the learner accepts it (see start_attempt)."""

    def __init__(self, plan: SetPlan, seed: int):
        super().__init__(_("This bank cannot make the quiz exactly as asked."))
        self.plan = plan
        self.seed = seed


class NothingMissed(QuizError):
    """Every question of the attempt was answered right: there is nothing to practise."""
