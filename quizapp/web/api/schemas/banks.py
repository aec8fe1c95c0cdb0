"""The JSON shapes of banks, their sources and passages, and a quiz drawn from a bank
without its keys (marshmallow): what the `banks` endpoints read and send. A bank and a source
are named by their slug, as in the browser's URLs."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import fields, validate

from quizapp.web.api.paging import page_schema
from quizapp.web.api.schemas.common import (
    draw_seed,
    keyed,
    language_code,
    nullable,
    question_count,
    question_types,
)


class BankSchema(ma.Schema):
    """A bank as listed: its slug, titles per language and what it holds."""

    slug = fields.String(required=True)
    titles = keyed(fields.String())
    languages = fields.List(fields.String(), required=True)
    subject = fields.String(required=True)
    managed_in = fields.String(
        required=True,
        metadata={"description": '"folder": a site bank (edited through its files); "browser".'},
    )
    published = fields.Boolean(required=True)
    archived = fields.Boolean(required=True)
    facts = fields.Integer(required=True, metadata={"description": "Live facts."})


BankPageSchema = page_schema(BankSchema, "BankPageSchema")


class SourceSummarySchema(ma.Schema):
    """A source document of a bank."""

    slug = fields.String(required=True)
    title = fields.String(required=True)
    language = fields.String(required=True)
    attribution = fields.String(required=True)
    licence = fields.String(required=True)
    passages = fields.Integer(required=True)


class BankDetailSchema(BankSchema):
    """A bank with its descriptions, sources and the question types it can make per
    language."""

    descriptions = keyed(fields.String())
    licence = fields.String(required=True)
    question_types = keyed(
        fields.List(fields.String()), "Per language, the question types it can make there."
    )
    sources = fields.List(fields.Nested(SourceSummarySchema), required=True)
    editable = fields.Boolean(
        required=True, metadata={"description": "Whether this token's user may change it."}
    )


class PassageSchema(ma.Schema):
    """A passage: verbatim text with its stable anchor; `id` names it when writing facts."""

    id = fields.Integer(required=True)
    anchor = fields.String(required=True)
    full_id = fields.String(required=True, metadata={"description": "<document>#<anchor>"})
    position = fields.Integer(required=True)
    text = fields.String(required=True)


class PassageRefSchema(ma.Schema):
    """The passage a fact's question comes from (verbatim), as the page shows it."""

    document = fields.String(required=True)
    document_title = fields.String(required=True)
    attribution = fields.String(required=True)
    passage_id = fields.String(required=True)
    passage_text = fields.String(required=True)


class SourceSchema(ma.Schema):
    """A source document with every passage, verbatim."""

    slug = fields.String(required=True)
    bank = fields.String(required=True)
    title = fields.String(required=True)
    language = fields.String(required=True)
    attribution = fields.String(required=True)
    licence = fields.String(required=True)
    passages = fields.List(fields.Nested(PassageSchema), required=True)


class ExportArgs(ma.Schema):
    """The export format."""

    format = fields.String(
        load_default="zip",
        validate=validate.OneOf(["zip", "gift", "aiken", "csv"]),
        metadata={
            "description": "zip: the whole bank folder; gift, aiken, csv: the "
            "hand-written questions."
        },
    )


# --- questions as a learner sees them -------------------------------------------------------


class PublicQuestionSchema(ma.Schema):
    """A question as its page shows it before an answer: never its key."""

    type = fields.String(required=True)
    language = fields.String(required=True)
    stem = fields.String(required=True)
    text_format = fields.String(required=True)
    options = fields.Raw(
        required=True,
        allow_none=True,
        metadata={
            "description": "Options in their drawn order: a list of strings; for matching "
            '{"left": [...], "right": [...]}; null for typed answers.'
        },
    )
    answers_wanted = nullable(fields.Integer, "Right options (multi).")
    tolerance = nullable(fields.Float, "Numeric tolerance.")


class QuizArgs(ma.Schema):
    """A quiz to draw: language, size, question types, seed."""

    language = language_code(required=True)
    count = question_count()
    types = question_types("Question types (repeat the parameter); none: every type.")
    seed = draw_seed("The same seed draws the same set.")


class PlanSchema(ma.Schema):
    """What the bank can give for a request: per type asked, can make, would hold."""

    exact = fields.Boolean(required=True)
    seed = fields.Integer(required=True)
    requested = keyed(fields.Integer())
    capacity = keyed(fields.Integer())
    planned = keyed(fields.Integer())
    signature = fields.String(
        required=True,
        metadata={"description": "Send it as `accept` to start this very set."},
    )


class QuizSchema(ma.Schema):
    """A drawn question set, without keys (start an attempt to answer it)."""

    bank = fields.String(required=True)
    language = fields.String(required=True)
    plan = fields.Nested(PlanSchema, required=True)
    questions = fields.List(fields.Nested(PublicQuestionSchema), required=True)
