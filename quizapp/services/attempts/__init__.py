"""Attempts: start a quiz, answer its questions, finish it, resume it. Integrity rules live here.

The questions of an attempt are frozen when it starts (stem, options in order, key, source), so
its history stays true after the bank is edited. Each answer is committed as it is given; the
first answer to an item is the one kept.

One module per step of an attempt's life: `starting` (plan and freeze a set, practise what
was missed), `answering` (show a question, record its answer), `navigation` (the question
grid and flags), `closing` (finish, list and discard open attempts), `review` (a finished
attempt read back); `access` finds attempts and keeps their clock, `errors` holds the
refusals. Callers import from this package.
"""

from quizapp.services.attempts.access import (
    attempt_for,
    deadline_passed,
    duration,
    frozen_question,
    item_at,
    time_left,
)
from quizapp.services.attempts.answering import (
    AnswerOutcome,
    AttemptState,
    ItemState,
    LinkedEvidence,
    QuestionPage,
    StoredAnswer,
    linked_evidence,
    pending_answers,
    question_page,
    record_answer,
)
from quizapp.services.attempts.closing import (
    OpenAttempt,
    close_attempt,
    discard_attempt,
    finish_attempt,
    unfinished_attempts,
)
from quizapp.services.attempts.errors import NothingMissed, QuizError, QuizShortfall
from quizapp.services.attempts.navigation import (
    AttemptMap,
    MapCell,
    answered_positions,
    attempt_map,
    next_unanswered,
    set_flag,
)
from quizapp.services.attempts.review import TypeTally, answers_of, missed_in, type_breakdown
from quizapp.services.attempts.starting import (
    MAX_QUESTIONS,
    MIN_QUESTIONS,
    known_types,
    plan_set,
    practise_missed,
    start_attempt,
)

__all__ = [
    "MAX_QUESTIONS",
    "MIN_QUESTIONS",
    "AnswerOutcome",
    "AttemptMap",
    "AttemptState",
    "ItemState",
    "LinkedEvidence",
    "MapCell",
    "NothingMissed",
    "OpenAttempt",
    "QuestionPage",
    "QuizError",
    "QuizShortfall",
    "StoredAnswer",
    "TypeTally",
    "answered_positions",
    "answers_of",
    "attempt_for",
    "attempt_map",
    "close_attempt",
    "deadline_passed",
    "discard_attempt",
    "duration",
    "finish_attempt",
    "frozen_question",
    "item_at",
    "known_types",
    "linked_evidence",
    "missed_in",
    "next_unanswered",
    "pending_answers",
    "plan_set",
    "practise_missed",
    "question_page",
    "record_answer",
    "set_flag",
    "start_attempt",
    "time_left",
    "type_breakdown",
    "unfinished_attempts",
]
