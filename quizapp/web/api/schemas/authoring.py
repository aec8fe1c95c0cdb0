"""The JSON shapes of a bank's facts and hand-written questions (marshmallow): what the
`authoring` (facts) and `questions` endpoints read and send, as the fact and question editors
take them."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import fields, validate

from quizapp.web.api.paging import page_schema
from quizapp.web.api.schemas.common import (
    ID,
    LONG_TEXT,
    SHORT_TEXT,
    language_code,
    lines,
    nullable,
)

# A field factory returns a new field per call: marshmallow binds each to one attribute.


def _offset() -> fields.Integer:
    """An evidence offset in its passage's text, in characters; none: found from the text."""
    return fields.Integer(load_default=None, validate=validate.Range(min=0, max=10**7))


def _feedback() -> fields.String:
    """Feedback shown with an answer (at most 2,000 characters); none: no feedback."""
    return fields.String(load_default=None, validate=validate.Length(max=2000))


def _weight(description: str | None = None) -> fields.Float:
    """An answer's share of the points, -100 to 100; none: the type's default."""
    metadata = {"description": description} if description else {}
    return fields.Float(
        load_default=None,
        allow_nan=False,
        validate=validate.Range(min=-100, max=100),
        metadata=metadata,
    )


def _number() -> fields.Float:
    """A finite number of a numeric answer, at most 1e15 either side of 0."""
    return fields.Float(load_default=None, allow_nan=False, validate=validate.Range(-1e15, 1e15))


def _parts(part: type[ma.Schema]) -> fields.List:
    """A question's list of `part`s (choices, numbers, pairs): at most 30; none: []."""
    return fields.List(fields.Nested(part), load_default=list, validate=validate.Length(max=30))


class FactSchema(ma.Schema):
    """A fact of a bank: a true statement, its answer and the evidence in its passage."""

    id = fields.Integer(required=True)
    key = fields.String(required=True)
    bank = fields.String(required=True)
    language = fields.String(required=True)
    passage_id = fields.Integer(required=True)
    topic = fields.String(required=True)
    kind = fields.String(required=True)
    statement = fields.String(required=True)
    answer = fields.String(required=True)
    alternatives = fields.List(fields.String(), required=True)
    stems = fields.List(fields.String(), required=True)
    label = nullable(fields.String)
    category = nullable(fields.String)
    tolerance = fields.Float(required=True)
    evidence = fields.String(required=True)
    evidence_start = fields.Integer(required=True)
    evidence_end = fields.Integer(required=True)
    note = nullable(fields.String)
    retired = fields.Boolean(required=True)
    needs_review = fields.Boolean(required=True)


FactPageSchema = page_schema(FactSchema, "FactPageSchema")


class FactInputSchema(ma.Schema):
    """A fact to write, as the fact editor takes it."""

    passage_id = fields.Integer(required=True, validate=ID)
    evidence = fields.String(
        required=True,
        validate=validate.Length(min=1, max=5000),
        metadata={"description": "Words of the passage, copied exactly, that prove it."},
    )
    evidence_start = _offset()
    evidence_end = _offset()
    statement = fields.String(required=True, validate=validate.Length(min=1, max=2000))
    answer = fields.String(required=True, validate=validate.Length(min=1, max=256))
    kind = fields.String(required=True, validate=validate.Length(max=16))
    stems = lines(required=True, validate=validate.Length(min=1, max=20))
    alternatives = lines(load_default=list, validate=validate.Length(max=50))
    topic = fields.String(load_default="", validate=validate.Length(max=128))
    label = fields.String(load_default="", validate=SHORT_TEXT)
    category = fields.String(load_default="", validate=validate.Length(max=64))
    gender = fields.String(load_default="", validate=validate.OneOf(["", "m", "f"]))
    number = fields.String(load_default="singular", validate=validate.OneOf(["singular", "plural"]))
    tolerance = fields.Float(
        load_default=0.0, validate=validate.Range(min=0, max=1e12), allow_nan=False
    )
    note = fields.String(load_default="", validate=validate.Length(max=2000))
    event = fields.Boolean(load_default=False)
    source_garbled = fields.Boolean(load_default=False)
    false_statements = lines(load_default=list, validate=validate.Length(max=20))
    exclude_distractors = lines(load_default=list, validate=validate.Length(max=50))


class ListArgs(ma.Schema):
    """Whether retired entries are listed too."""

    retired = fields.Boolean(load_default=False)


# --- hand-written questions -----------------------------------------------------------------


class ChoiceSchema(ma.Schema):
    """An option (multiple choice) or an accepted answer (short answer)."""

    text = fields.String(required=True, validate=validate.Length(min=1, max=2000))
    correct = fields.Boolean(load_default=False)
    weight = _weight("Share of the points, -100 to 100; none: 100 if correct.")
    feedback = _feedback()


class NumericSchema(ma.Schema):
    """An accepted number: a value with a tolerance, or a range from low to high."""

    value = _number()
    tolerance = fields.Float(load_default=0.0, allow_nan=False, validate=validate.Range(0, 1e15))
    low = _number()
    high = _number()
    weight = _weight()
    feedback = _feedback()


class PairSchema(ma.Schema):
    """One pair of a matching question."""

    left = fields.String(required=True, validate=validate.Length(min=1, max=500))
    right = fields.String(required=True, validate=validate.Length(min=1, max=500))


class QuestionInputSchema(ma.Schema):
    """A hand-written question, as the question editor takes it."""

    type = fields.String(
        required=True, validate=validate.OneOf(["mcq", "multi", "tf", "short", "numeric", "match"])
    )
    stem = fields.String(required=True, validate=validate.Length(min=1, max=LONG_TEXT.max))
    text_format = fields.String(
        load_default="plain", validate=validate.OneOf(["moodle", "html", "markdown", "plain"])
    )
    language = language_code(load_default=None)
    passage_id = fields.Integer(load_default=None, validate=ID)
    fact_key = fields.String(load_default=None, validate=validate.Length(max=128))
    choices = _parts(ChoiceSchema)
    is_true = fields.Boolean(load_default=None)
    true_feedback = _feedback()
    false_feedback = _feedback()
    numeric = _parts(NumericSchema)
    other_feedback = _feedback()
    pairs = _parts(PairSchema)
    general_feedback = _feedback()


class WrittenQuestionSchema(ma.Schema):
    """A hand-written question of a bank (teachers who may see the bank read it whole)."""

    id = fields.Integer(required=True)
    bank = fields.String(required=True)
    type = fields.String(required=True)
    language = fields.String(required=True)
    stem = fields.String(required=True)
    passage_id = nullable(fields.Integer)
    origin = fields.String(required=True)
    retired = fields.Boolean(required=True)
    data = fields.Dict(
        required=True, metadata={"description": "The whole question: options, weights, feedback."}
    )


WrittenQuestionPageSchema = page_schema(WrittenQuestionSchema, "WrittenQuestionPageSchema")
