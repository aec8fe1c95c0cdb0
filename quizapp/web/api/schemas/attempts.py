"""The JSON shapes of attempts and a learner's history (marshmallow): what the `attempts`
endpoints read and send. A question is sent without its key until it is answered."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import fields, validate

from quizapp.web.api.paging import page_schema
from quizapp.web.api.schemas.banks import PassageRefSchema, PublicQuestionSchema
from quizapp.web.api.schemas.common import (
    UtcDateTime,
    draw_seed,
    keyed,
    language_code,
    nullable,
    question_count,
    question_types,
)


class SourceRefSchema(PassageRefSchema):
    """The passage an answer comes from, verbatim but for the answers of questions still to
    come (each replaced by ▇▇▇▇), the evidence's offsets in the text sent."""

    evidence_start = fields.Integer(required=True)
    evidence_end = fields.Integer(required=True)
    hidden = fields.Integer(required=True, metadata={"description": "Answers hidden."})


class ResultSchema(ma.Schema):
    """The feedback on an answered question."""

    given = nullable(fields.Raw)
    correct = fields.Boolean(required=True)
    points = fields.Float(required=True)
    key = fields.Raw(required=True, metadata={"description": "The right answer."})
    statement = nullable(fields.String)
    note = nullable(fields.String)
    feedback = nullable(fields.String)
    general_feedback = nullable(fields.String)
    source = fields.Nested(SourceRefSchema, required=True, allow_none=True)


class ItemSchema(ma.Schema):
    """One question of an attempt: the question (never its key before an answer), whether it
    is answered, and once answered, the feedback (null while the review is closed)."""

    position = fields.Integer(required=True)
    answered = fields.Boolean(required=True)
    flagged = fields.Boolean(required=True)
    question = fields.Nested(PublicQuestionSchema, required=True)
    result = fields.Nested(ResultSchema, required=True, allow_none=True)


class QuestionItemSchema(ItemSchema):
    """One question of an attempt, with the token to send back with its answer."""

    attempt_id = fields.Integer(required=True)
    total = fields.Integer(required=True)
    shown = fields.String(
        required=True,
        allow_none=True,
        metadata={
            "description": "Send it back as `shown` with the answer: the time taken "
            "is counted from it."
        },
    )


class AttemptSummarySchema(ma.Schema):
    """An attempt as a list shows it."""

    id = fields.Integer(required=True)
    bank = fields.String(required=True)
    language = fields.String(required=True)
    assignment_id = nullable(fields.Integer)
    mode = fields.String(required=True, metadata={"description": "quiz, practice or ask."})
    started_at = UtcDateTime(required=True)
    deadline = nullable(UtcDateTime)
    finished_at = nullable(UtcDateTime)
    score = nullable(fields.Float, "Once finished (and reviewed).")
    max_score = fields.Float(required=True)


AttemptPageSchema = page_schema(AttemptSummarySchema, "AttemptPageSchema")


class AttemptSchema(AttemptSummarySchema):
    """An attempt with every question."""

    learner_id = fields.Integer(required=True)
    total = fields.Integer(required=True)
    answered = fields.Integer(required=True)
    next_unanswered = nullable(fields.Integer)
    items = fields.List(fields.Nested(ItemSchema), required=True)


class StartSchema(ma.Schema):
    """A quiz to start: as the home page's form."""

    bank = fields.String(required=True, validate=validate.Length(min=1, max=64))
    language = language_code(required=True)
    count = question_count()
    types = question_types("Question types; none: every type the bank can make.")
    seed = draw_seed()
    time_limit_minutes = fields.Integer(load_default=0, validate=validate.Range(min=0, max=600))
    accept = fields.String(
        load_default=None,
        validate=validate.Length(max=512),
        metadata={"description": "A shortfall's `plan.signature`: start that set."},
    )


class AnswerSchema(ma.Schema):
    """An answer: a string (choice, true/false, typed), a list of strings (several answers,
    or the items in order), or {item: choice} (matching)."""

    answer = fields.Raw(
        required=True,
        metadata={
            "description": "mcq, tf, cloze, short, numeric: a string; multi and order: a list "
            "of options; match: an object from each left item to a right option."
        },
    )
    shown = fields.String(load_default=None, validate=validate.Length(max=200))


# --- history --------------------------------------------------------------------------------


class BankSummarySchema(ma.Schema):
    """A learner's results on one bank in one language."""

    bank = fields.String(required=True, attribute="slug")
    titles = keyed(fields.String())
    language = fields.String(required=True)
    attempts = fields.Integer(required=True)
    best = fields.Float(required=True)
    average = fields.Float(required=True)


class StandingSchema(ma.Schema):
    """An assignment of the learner's classes: its state and the learner's grade."""

    assignment_id = fields.Integer(required=True)
    title = fields.String(required=True)
    class_name = fields.String(required=True)
    state = fields.String(required=True)
    closes_at = nullable(UtcDateTime)
    grade = nullable(fields.Float)


class HistorySchema(ma.Schema):
    """A learner's history: results per bank and assignments (attempts: /attempts)."""

    learner_id = fields.Integer(required=True)
    learner = fields.String(required=True)
    banks = fields.List(fields.Nested(BankSummarySchema), required=True)
    assignments = fields.List(fields.Nested(StandingSchema), required=True)
