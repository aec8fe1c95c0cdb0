"""The JSON shapes of the teachers' further reports (marshmallow): what the class misses, the
item analysis and a class's gradebook. Percentages go from 0 to 100 as on the pages; a figure
that is undefined (too few attempts, no variance) is null."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import fields, validate

from quizapp.services.assignment_reports import ALL_ATTEMPTS, FIRST_ATTEMPTS
from quizapp.web.api.paging import PageArgs, page_schema
from quizapp.web.api.schemas import UtcDateTime

_WHICH = {
    "load_default": FIRST_ATTEMPTS,
    "validate": validate.OneOf([FIRST_ATTEMPTS, ALL_ATTEMPTS]),
    "metadata": {"description": "Read each learner's first finished attempt, or all of them."},
}


class MissesArgs(ma.Schema):
    """Which attempts the report reads."""

    attempts = fields.String(**_WHICH)


class ItemAnalysisArgs(PageArgs):
    """Which attempts the analysis reads, and the page of items."""

    attempts = fields.String(**_WHICH)


class PassageRefSchema(ma.Schema):
    """The passage a fact's question comes from (verbatim), as the page shows it."""

    document = fields.String(required=True)
    document_title = fields.String(required=True)
    attribution = fields.String(required=True)
    passage_id = fields.String(required=True)
    passage_text = fields.String(required=True)


class TypedAnswerSchema(ma.Schema):
    """An answer typed to a fact: as typed most often, how many gave it, how many are right."""

    text = fields.String(required=True)
    normalised = fields.String(
        required=True, metadata={"description": "Its normalised form (what a regrade accepts)."}
    )
    responses = fields.Integer(required=True)
    right = fields.Integer(required=True)


class MissedFactSchema(ma.Schema):
    """A fact (or hand-written question) the class got wrong, with its teacher-facing key."""

    fact_key = fields.String(required=True)
    statement = fields.String(required=True)
    stem = fields.String(required=True, allow_none=True)
    topic = fields.String(required=True, allow_none=True)
    written = fields.Boolean(required=True)
    asked = fields.Integer(required=True)
    missed = fields.Integer(required=True)
    share = fields.Float(required=True, metadata={"description": "Missed, in % of asked."})
    accepted = fields.List(
        fields.String(),
        required=True,
        metadata={"description": "The answers its typed question accepts (teachers only)."},
    )
    source = fields.Nested(PassageRefSchema, required=True, allow_none=True)
    typed = fields.List(fields.Nested(TypedAnswerSchema), required=True)


class MissedTopicSchema(ma.Schema):
    """A topic with the learners asked one of its facts and those who missed at least one."""

    topic = fields.String(required=True)
    label = fields.String(required=True)
    asked = fields.Integer(required=True)
    missed = fields.Integer(required=True)
    share = fields.Float(required=True)


class MissesSchema(ma.Schema):
    """What the class misses on an assignment: the ranked facts and topics."""

    assignment_id = fields.Integer(required=True)
    attempts = fields.String(required=True)
    learners = fields.Integer(required=True, metadata={"description": "Learners read."})
    bank_editable = fields.Boolean(required=True)
    facts = fields.List(fields.Nested(MissedFactSchema), required=True)
    topics = fields.List(fields.Nested(MissedTopicSchema), required=True)


class OverallStatisticsSchema(ma.Schema):
    """The test's statistics (Moodle's quiz statistics), as the page shows them."""

    attempts = fields.Integer(required=True)
    mean = fields.Float(required=True, allow_none=True)
    median = fields.Float(required=True, allow_none=True)
    sd = fields.Float(required=True, allow_none=True)
    skewness = fields.Float(required=True, allow_none=True)
    kurtosis = fields.Float(required=True, allow_none=True)
    alpha = fields.Float(
        required=True, allow_none=True, metadata={"description": "Cronbach's alpha, 0 to 1."}
    )
    error_ratio = fields.Float(required=True, allow_none=True)
    standard_error = fields.Float(required=True, allow_none=True)


class OptionPickSchema(ma.Schema):
    """An option of a choice question with how often it was picked."""

    text = fields.String(required=True)
    picks = fields.Integer(required=True)
    share = fields.Float(required=True, allow_none=True)
    is_key = fields.Boolean(required=True)


class ItemStatisticsSchema(ma.Schema):
    """One item (a position, or a fact when every learner had their own set)."""

    key = fields.String(required=True)
    label = fields.String(required=True)
    question_type = fields.String(required=True, allow_none=True)
    attempts = fields.Integer(required=True)
    facility = fields.Float(required=True, allow_none=True)
    sd = fields.Float(required=True, allow_none=True)
    random_guess = fields.Float(required=True, allow_none=True)
    discrimination = fields.Float(required=True, allow_none=True)
    efficiency = fields.Float(required=True, allow_none=True)
    flags = fields.List(fields.String(), required=True)
    options = fields.List(fields.Nested(OptionPickSchema), required=True)


class ItemAnalysisSchema(ma.Schema):
    """An assignment's item analysis: the test's statistics and a page of items."""

    assignment_id = fields.Integer(required=True)
    attempts = fields.String(required=True)
    by = fields.String(required=True, metadata={"description": "Items are positions or facts."})
    overall = fields.Nested(OverallStatisticsSchema, required=True)
    items = fields.Nested(
        page_schema(ItemStatisticsSchema, "ItemStatisticsPageSchema"), required=True
    )


class GradebookColumnSchema(ma.Schema):
    """An assignment of the class: its grading method, closing time, mean and graded count."""

    assignment_id = fields.Integer(required=True)
    title = fields.String(required=True)
    grading_method = fields.String(required=True)
    closes_at = UtcDateTime(required=True, allow_none=True)
    mean = fields.Float(required=True, allow_none=True)
    graded = fields.Integer(required=True)


class GradebookRowSchema(ma.Schema):
    """A learner with a grade (% of the maximum, null without one) per column."""

    user_id = fields.Integer(required=True)
    name = fields.String(required=True)
    grades = fields.List(fields.Float(allow_none=True), required=True)


class GradebookSchema(ma.Schema):
    """A class's gradebook: the columns and a page of learners."""

    class_id = fields.Integer(required=True)
    columns = fields.List(fields.Nested(GradebookColumnSchema), required=True)
    learners = fields.Nested(
        page_schema(GradebookRowSchema, "GradebookRowPageSchema"), required=True
    )
