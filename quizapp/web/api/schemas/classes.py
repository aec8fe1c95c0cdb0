"""The JSON shapes of classes, their learners and assignments, and the teachers' reports on
them (marshmallow): an assignment's report, what the class misses, the item analysis and a
class's gradebook; what the `classes` and `reports` endpoints read and send. Percentages go
from 0 to 100 as on the pages; a figure that is undefined (too few attempts, no variance) is
null."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import fields, validate

from quizapp.services.assignment_reports import ALL_ATTEMPTS, FIRST_ATTEMPTS
from quizapp.web.api.paging import PageArgs, page_schema
from quizapp.web.api.schemas.banks import PassageRefSchema
from quizapp.web.api.schemas.common import UtcDateTime, keyed, nullable


class ClassSummarySchema(ma.Schema):
    """A class the user teaches or is a learner in."""

    id = fields.Integer(required=True)
    name = fields.String(required=True)
    role = fields.String(required=True, metadata={"description": "owner, teacher or learner"})
    archived = fields.Boolean(required=True)
    learners = nullable(fields.Integer, "For its teachers.")


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
    time_limit_minutes = nullable(fields.Integer)
    opens_at = nullable(UtcDateTime)
    closes_at = nullable(UtcDateTime)
    attempts_allowed = nullable(fields.Integer)
    grading_method = fields.String(required=True)
    review = fields.String(required=True)
    learners_started = nullable(fields.Integer, "For its teachers.")
    learners_finished = nullable(fields.Integer, "For its teachers.")
    state = nullable(fields.String, "For a learner: their state.")
    grade = nullable(fields.Float, "For a learner: their grade.")
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
    grade = nullable(fields.Float)
    graded_attempt_id = nullable(fields.Integer)
    open_attempt_id = nullable(fields.Integer)


class DistributionSchema(ma.Schema):
    """The graded learners' grades: count, mean, median, standard deviation."""

    count = fields.Integer(required=True)
    mean = nullable(fields.Float)
    median = nullable(fields.Float)
    sd = nullable(fields.Float)


class ReportSchema(ma.Schema):
    """An assignment's report: learners per status, a page of learners, the grades."""

    assignment_id = fields.Integer(required=True)
    counts = keyed(fields.Integer())
    distribution = fields.Nested(DistributionSchema, required=True)
    learners = fields.Nested(
        page_schema(LearnerGradeSchema, "LearnerGradePageSchema"), required=True
    )


# --- further reports ----------------------------------------------------------------------


class MissesArgs(ma.Schema):
    """Which attempts the report reads."""

    attempts = fields.String(
        load_default=FIRST_ATTEMPTS,
        validate=validate.OneOf([FIRST_ATTEMPTS, ALL_ATTEMPTS]),
        metadata={"description": "Read each learner's first finished attempt, or all of them."},
    )


# MissesArgs first: marshmallow puts the fields of the last base first (page, per_page,
# attempts), the order of the query parameters in the OpenAPI document.
class ItemAnalysisArgs(MissesArgs, PageArgs):
    """Which attempts the analysis reads, and the page of items."""


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
    stem = nullable(fields.String)
    topic = nullable(fields.String)
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
    mean = nullable(fields.Float)
    median = nullable(fields.Float)
    sd = nullable(fields.Float)
    skewness = nullable(fields.Float)
    kurtosis = nullable(fields.Float)
    alpha = nullable(fields.Float, "Cronbach's alpha, 0 to 1.")
    error_ratio = nullable(fields.Float)
    standard_error = nullable(fields.Float)


class OptionPickSchema(ma.Schema):
    """An option of a choice question with how often it was picked."""

    text = fields.String(required=True)
    picks = fields.Integer(required=True)
    share = nullable(fields.Float)
    is_key = fields.Boolean(required=True)


class ItemStatisticsSchema(ma.Schema):
    """One item (a position, or a fact when every learner had their own set)."""

    key = fields.String(required=True)
    label = fields.String(required=True)
    question_type = nullable(fields.String)
    attempts = fields.Integer(required=True)
    facility = nullable(fields.Float)
    sd = nullable(fields.Float)
    random_guess = nullable(fields.Float)
    discrimination = nullable(fields.Float)
    efficiency = nullable(fields.Float)
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
    closes_at = nullable(UtcDateTime)
    mean = nullable(fields.Float)
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
