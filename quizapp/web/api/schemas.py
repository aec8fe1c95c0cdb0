"""The JSON shapes of the API (marshmallow): what each endpoint reads and sends. The OpenAPI
document is generated from these classes (apispec), so they are also its reference.

Times are UTC in RFC 3339 with a "Z"; ids are the database's; a bank and a source are named by
their slug, as in the browser's URLs.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import marshmallow as ma
from marshmallow import fields, validate

from quizapp.models import TOKEN_SCOPES
from quizapp.services.attempts import MAX_QUESTIONS, MIN_QUESTIONS
from quizapp.web.api.paging import PageArgs, page_schema
from quizapp.web.numbers import DB_INTEGER_MAX

ID = validate.Range(min=1, max=DB_INTEGER_MAX)
SHORT_TEXT = validate.Length(max=256)
LONG_TEXT = validate.Length(max=20_000)


class UtcDateTime(fields.DateTime):
    """A stored naive UTC time sent as RFC 3339 with a "Z" ("2026-12-01T10:00:00Z")."""

    def _serialize(self, value: Any, attr: Any, obj: Any, **kwargs: Any) -> str | None:
        if value is None:
            return None
        if value.tzinfo is not None:
            value = value.astimezone(dt.UTC).replace(tzinfo=None)
        return value.isoformat(timespec="seconds") + "Z"


def _lines(**kwargs: Any) -> fields.List:
    return fields.List(fields.String(validate=validate.Length(max=2000)), **kwargs)


# --- banks, sources, passages ---------------------------------------------------------------


class BankSchema(ma.Schema):
    """A bank as listed: its slug, titles per language and what it holds."""

    slug = fields.String(required=True)
    titles = fields.Dict(keys=fields.String(), values=fields.String(), required=True)
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

    descriptions = fields.Dict(keys=fields.String(), values=fields.String(), required=True)
    licence = fields.String(required=True)
    question_types = fields.Dict(
        keys=fields.String(),
        values=fields.List(fields.String()),
        required=True,
        metadata={"description": "Per language, the question types it can make there."},
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
    answers_wanted = fields.Integer(
        required=True, allow_none=True, metadata={"description": "Right options (multi)."}
    )
    tolerance = fields.Float(
        required=True, allow_none=True, metadata={"description": "Numeric tolerance."}
    )


class QuizArgs(ma.Schema):
    """A quiz to draw: language, size, question types, seed."""

    language = fields.String(required=True, validate=validate.Length(min=2, max=8))
    count = fields.Integer(
        load_default=10, validate=validate.Range(min=MIN_QUESTIONS, max=MAX_QUESTIONS)
    )
    types = fields.List(
        fields.String(validate=validate.Length(max=16)),
        load_default=list,
        validate=validate.Length(max=16),
        metadata={"description": "Question types (repeat the parameter); none: every type."},
    )
    seed = fields.Integer(
        load_default=None,
        validate=validate.Range(min=0, max=DB_INTEGER_MAX),
        metadata={"description": "The same seed draws the same set."},
    )


class PlanSchema(ma.Schema):
    """What the bank can give for a request: per type asked, can make, would hold."""

    exact = fields.Boolean(required=True)
    seed = fields.Integer(required=True)
    requested = fields.Dict(keys=fields.String(), values=fields.Integer(), required=True)
    capacity = fields.Dict(keys=fields.String(), values=fields.Integer(), required=True)
    planned = fields.Dict(keys=fields.String(), values=fields.Integer(), required=True)
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


# --- attempts -------------------------------------------------------------------------------


class SourceRefSchema(ma.Schema):
    """The passage an answer comes from, verbatim but for the answers of questions still to
    come (each replaced by ▇▇▇▇), the evidence's offsets in the text sent."""

    document = fields.String(required=True)
    document_title = fields.String(required=True)
    attribution = fields.String(required=True)
    passage_id = fields.String(required=True)
    passage_text = fields.String(required=True)
    evidence_start = fields.Integer(required=True)
    evidence_end = fields.Integer(required=True)
    hidden = fields.Integer(required=True, metadata={"description": "Answers hidden."})


class ResultSchema(ma.Schema):
    """The feedback on an answered question."""

    given = fields.Raw(required=True, allow_none=True)
    correct = fields.Boolean(required=True)
    points = fields.Float(required=True)
    key = fields.Raw(required=True, metadata={"description": "The right answer."})
    statement = fields.String(required=True, allow_none=True)
    note = fields.String(required=True, allow_none=True)
    feedback = fields.String(required=True, allow_none=True)
    general_feedback = fields.String(required=True, allow_none=True)
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
    assignment_id = fields.Integer(required=True, allow_none=True)
    mode = fields.String(required=True, metadata={"description": "quiz, practice or ask."})
    started_at = UtcDateTime(required=True)
    deadline = UtcDateTime(required=True, allow_none=True)
    finished_at = UtcDateTime(required=True, allow_none=True)
    score = fields.Float(
        required=True, allow_none=True, metadata={"description": "Once finished (and reviewed)."}
    )
    max_score = fields.Float(required=True)


AttemptPageSchema = page_schema(AttemptSummarySchema, "AttemptPageSchema")


class AttemptSchema(AttemptSummarySchema):
    """An attempt with every question."""

    learner_id = fields.Integer(required=True)
    total = fields.Integer(required=True)
    answered = fields.Integer(required=True)
    next_unanswered = fields.Integer(required=True, allow_none=True)
    items = fields.List(fields.Nested(ItemSchema), required=True)


class StartSchema(ma.Schema):
    """A quiz to start: as the home page's form."""

    bank = fields.String(required=True, validate=validate.Length(min=1, max=64))
    language = fields.String(required=True, validate=validate.Length(min=2, max=8))
    count = fields.Integer(
        load_default=10, validate=validate.Range(min=MIN_QUESTIONS, max=MAX_QUESTIONS)
    )
    types = fields.List(
        fields.String(validate=validate.Length(max=16)),
        load_default=list,
        validate=validate.Length(max=16),
        metadata={"description": "Question types; none: every type the bank can make."},
    )
    seed = fields.Integer(load_default=None, validate=validate.Range(min=0, max=DB_INTEGER_MAX))
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
    titles = fields.Dict(keys=fields.String(), values=fields.String(), required=True)
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
    closes_at = UtcDateTime(required=True, allow_none=True)
    grade = fields.Float(required=True, allow_none=True)


class HistorySchema(ma.Schema):
    """A learner's history: results per bank and assignments (attempts: /attempts)."""

    learner_id = fields.Integer(required=True)
    learner = fields.String(required=True)
    banks = fields.List(fields.Nested(BankSummarySchema), required=True)
    assignments = fields.List(fields.Nested(StandingSchema), required=True)


# --- classes and assignments ----------------------------------------------------------------


class ClassSummarySchema(ma.Schema):
    """A class the user teaches or is a learner in."""

    id = fields.Integer(required=True)
    name = fields.String(required=True)
    role = fields.String(required=True, metadata={"description": "owner, teacher or learner"})
    archived = fields.Boolean(required=True)
    learners = fields.Integer(
        required=True, allow_none=True, metadata={"description": "For its teachers."}
    )


ClassPageSchema = page_schema(ClassSummarySchema, "ClassPageSchema")


class ClassSchema(ClassSummarySchema):
    """A class, for its teachers: with its join code and teachers."""

    join_code = fields.String(required=True)
    teachers = fields.List(fields.String(), required=True)


class LearnerSchema(ma.Schema):
    """A learner of a class."""

    id = fields.Integer(required=True)
    name = fields.String(required=True)
    joined_at = UtcDateTime(required=True)


LearnerPageSchema = page_schema(LearnerSchema, "LearnerPageSchema")


class AssignmentSchema(ma.Schema):
    """An assignment: the quiz its class is given and its rules."""

    id = fields.Integer(required=True)
    class_id = fields.Integer(required=True)
    title = fields.String(required=True)
    bank = fields.String(required=True)
    language = fields.String(required=True)
    types = fields.List(fields.String(), required=True)
    question_count = fields.Integer(required=True)
    time_limit_minutes = fields.Integer(required=True, allow_none=True)
    opens_at = UtcDateTime(required=True, allow_none=True)
    closes_at = UtcDateTime(required=True, allow_none=True)
    attempts_allowed = fields.Integer(required=True, allow_none=True)
    grading_method = fields.String(required=True)
    review = fields.String(required=True)
    learners_started = fields.Integer(
        required=True, allow_none=True, metadata={"description": "For its teachers."}
    )
    learners_finished = fields.Integer(
        required=True, allow_none=True, metadata={"description": "For its teachers."}
    )
    state = fields.String(
        required=True, allow_none=True, metadata={"description": "For a learner: their state."}
    )
    grade = fields.Float(
        required=True, allow_none=True, metadata={"description": "For a learner: their grade."}
    )
    attempt_ids = fields.List(
        fields.Integer(), required=True, metadata={"description": "For a learner: theirs."}
    )


AssignmentPageSchema = page_schema(AssignmentSchema, "AssignmentPageSchema")


class ReportArgs(PageArgs):
    """A report page: learners by status, a page at a time."""

    status = fields.String(
        load_default=None, validate=validate.OneOf(["not_started", "in_progress", "finished"])
    )


class LearnerGradeSchema(ma.Schema):
    """One learner on an assignment."""

    user_id = fields.Integer(required=True)
    name = fields.String(required=True)
    status = fields.String(required=True)
    started = fields.Integer(required=True)
    finished = fields.Integer(required=True)
    grade = fields.Float(required=True, allow_none=True)
    graded_attempt_id = fields.Integer(required=True, allow_none=True)
    open_attempt_id = fields.Integer(required=True, allow_none=True)


class DistributionSchema(ma.Schema):
    """The graded learners' grades: count, mean, median, standard deviation."""

    count = fields.Integer(required=True)
    mean = fields.Float(required=True, allow_none=True)
    median = fields.Float(required=True, allow_none=True)
    sd = fields.Float(required=True, allow_none=True)


class ReportSchema(ma.Schema):
    """An assignment's report: learners per status, a page of learners, the grades."""

    assignment_id = fields.Integer(required=True)
    counts = fields.Dict(keys=fields.String(), values=fields.Integer(), required=True)
    distribution = fields.Nested(DistributionSchema, required=True)
    learners = fields.Nested(
        page_schema(LearnerGradeSchema, "LearnerGradePageSchema"), required=True
    )


# --- facts and hand-written questions -------------------------------------------------------


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
    label = fields.String(required=True, allow_none=True)
    category = fields.String(required=True, allow_none=True)
    tolerance = fields.Float(required=True)
    evidence = fields.String(required=True)
    evidence_start = fields.Integer(required=True)
    evidence_end = fields.Integer(required=True)
    note = fields.String(required=True, allow_none=True)
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
    evidence_start = fields.Integer(load_default=None, validate=validate.Range(min=0, max=10**7))
    evidence_end = fields.Integer(load_default=None, validate=validate.Range(min=0, max=10**7))
    statement = fields.String(required=True, validate=validate.Length(min=1, max=2000))
    answer = fields.String(required=True, validate=validate.Length(min=1, max=256))
    kind = fields.String(required=True, validate=validate.Length(max=16))
    stems = _lines(required=True, validate=validate.Length(min=1, max=20))
    alternatives = _lines(load_default=list, validate=validate.Length(max=50))
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
    false_statements = _lines(load_default=list, validate=validate.Length(max=20))
    exclude_distractors = _lines(load_default=list, validate=validate.Length(max=50))


class ListArgs(ma.Schema):
    """Whether retired entries are listed too."""

    retired = fields.Boolean(load_default=False)


class TokenSchema(ma.Schema):
    """The token this request uses (never its secret)."""

    name = fields.String(required=True)
    scope = fields.String(required=True, validate=validate.OneOf(TOKEN_SCOPES))
    expires_at = UtcDateTime(required=True, allow_none=True)


class MeSchema(ma.Schema):
    """Who the token acts for."""

    id = fields.Integer(required=True)
    name = fields.String(required=True)
    role = fields.String(required=True)
    token = fields.Nested(TokenSchema, required=True)


# --- hand-written questions -----------------------------------------------------------------


class ChoiceSchema(ma.Schema):
    """An option (multiple choice) or an accepted answer (short answer)."""

    text = fields.String(required=True, validate=validate.Length(min=1, max=2000))
    correct = fields.Boolean(load_default=False)
    weight = fields.Float(
        load_default=None,
        allow_nan=False,
        validate=validate.Range(min=-100, max=100),
        metadata={"description": "Share of the points, -100 to 100; none: 100 if correct."},
    )
    feedback = fields.String(load_default=None, validate=validate.Length(max=2000))


class NumericSchema(ma.Schema):
    """An accepted number: a value with a tolerance, or a range from low to high."""

    value = fields.Float(load_default=None, allow_nan=False, validate=validate.Range(-1e15, 1e15))
    tolerance = fields.Float(load_default=0.0, allow_nan=False, validate=validate.Range(0, 1e15))
    low = fields.Float(load_default=None, allow_nan=False, validate=validate.Range(-1e15, 1e15))
    high = fields.Float(load_default=None, allow_nan=False, validate=validate.Range(-1e15, 1e15))
    weight = fields.Float(load_default=None, allow_nan=False, validate=validate.Range(-100, 100))
    feedback = fields.String(load_default=None, validate=validate.Length(max=2000))


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
    language = fields.String(load_default=None, validate=validate.Length(min=2, max=8))
    passage_id = fields.Integer(load_default=None, validate=ID)
    fact_key = fields.String(load_default=None, validate=validate.Length(max=128))
    choices = fields.List(
        fields.Nested(ChoiceSchema), load_default=list, validate=validate.Length(max=30)
    )
    is_true = fields.Boolean(load_default=None)
    true_feedback = fields.String(load_default=None, validate=validate.Length(max=2000))
    false_feedback = fields.String(load_default=None, validate=validate.Length(max=2000))
    numeric = fields.List(
        fields.Nested(NumericSchema), load_default=list, validate=validate.Length(max=30)
    )
    other_feedback = fields.String(load_default=None, validate=validate.Length(max=2000))
    pairs = fields.List(
        fields.Nested(PairSchema), load_default=list, validate=validate.Length(max=30)
    )
    general_feedback = fields.String(load_default=None, validate=validate.Length(max=2000))


class WrittenQuestionSchema(ma.Schema):
    """A hand-written question of a bank (teachers who may see the bank read it whole)."""

    id = fields.Integer(required=True)
    bank = fields.String(required=True)
    type = fields.String(required=True)
    language = fields.String(required=True)
    stem = fields.String(required=True)
    passage_id = fields.Integer(required=True, allow_none=True)
    origin = fields.String(required=True)
    retired = fields.Boolean(required=True)
    data = fields.Dict(
        required=True, metadata={"description": "The whole question: options, weights, feedback."}
    )


WrittenQuestionPageSchema = page_schema(WrittenQuestionSchema, "WrittenQuestionPageSchema")
