"""Forms for assignments: assigning a quiz to a class, and one learner's override.

Opening and closing times are typed in the teacher's time zone (`datetime-local` fields, the
zone the pages show times in, see web.formatting) and stored in UTC.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from quizapp.core.assignment_rules import AFTER_ANSWER, AFTER_ATTEMPT, AFTER_CLOSE
from quizapp.core.grading import AVERAGE, FIRST, HIGHEST, LAST
from quizapp.core.question_types import TYPES
from quizapp.services.assignments import MAX_ATTEMPTS, MAX_TIME_LIMIT, TITLE_MAX
from quizapp.services.attempts import MAX_QUESTIONS, MIN_QUESTIONS
from quizapp.web.fields import AppForm
from quizapp.web.formatting import current_timezone
from quizapp.web.forms import LANGUAGE_NAMES, TYPE_NAMES, MultiCheckboxField

GRADING_NAMES = {
    HIGHEST: _l("Highest grade"),
    AVERAGE: _l("Average grade"),
    FIRST: _l("First attempt"),
    LAST: _l("Last attempt"),
}
ASSIGNMENT_STATES = {
    "upcoming": _l("not open yet"),
    "to_do": _l("to do"),
    "in_progress": _l("in progress"),
    "done": _l("done"),
    "missed": _l("missed"),
}
REVIEW_NAMES = {
    AFTER_ANSWER: _l("After each answer: verdict, right answer and source at once"),
    AFTER_ATTEMPT: _l("After the attempt: once the learner finishes it"),
    AFTER_CLOSE: _l("After the assignment closes: until then, answers are only recorded"),
}


def to_utc(local: dt.datetime | None) -> dt.datetime | None:
    """A naive time typed in the user's time zone, as naive UTC (None stays None)."""
    if local is None:
        return None
    zone = zoneinfo.ZoneInfo(current_timezone())
    return local.replace(tzinfo=zone).astimezone(dt.UTC).replace(tzinfo=None)


def to_local(moment: dt.datetime | None) -> dt.datetime | None:
    """A stored naive UTC time in the user's time zone, naive, to fill a `datetime-local`."""
    if moment is None:
        return None
    zone = zoneinfo.ZoneInfo(current_timezone())
    return moment.replace(tzinfo=dt.UTC).astimezone(zone).replace(tzinfo=None)


def attempts_allowed_field(default: int) -> IntegerField:
    """The number of attempts a learner may make (0 for unlimited, up to MAX_ATTEMPTS)."""
    return IntegerField(
        _l("Attempts allowed (0 for unlimited)"),
        default=default,
        validators=[InputRequired(), NumberRange(min=0, max=MAX_ATTEMPTS)],
    )


def grading_method_field() -> SelectField:
    """Which attempt's grade counts: highest (the default), last, first or their average."""
    return SelectField(
        _l("Grading method"),
        choices=[SelectChoice(key, name) for key, name in GRADING_NAMES.items()],
        default=HIGHEST,
        validators=[InputRequired()],
    )


class QuizChoiceForm(AppForm):
    """What a quiz asks: its title, bank, language, question types and number of questions
    (the part an assignment made here and one placed from an LMS share)."""

    title = StringField(_l("Title"), validators=[InputRequired(), Length(max=TITLE_MAX)])
    bank = SelectField(_l("Bank"), coerce=int, validators=[InputRequired()])
    language = SelectField(
        _l("Language"),
        choices=[SelectChoice(code, name) for code, name in LANGUAGE_NAMES.items()],
        validators=[InputRequired()],
    )
    types = MultiCheckboxField(
        _l("Question types"),
        choices=[SelectChoice(name, TYPE_NAMES[name]) for name in TYPES],
        default=["mcq", "tf", "short"],
        validators=[InputRequired(message=_l("Choose at least one question type."))],
    )
    count = IntegerField(
        _l("Number of questions"),
        default=10,
        validators=[InputRequired(), NumberRange(min=MIN_QUESTIONS, max=MAX_QUESTIONS)],
    )

    def quiz_choice(self) -> dict[str, Any]:
        """The chosen quiz as `AssignmentSettings` keywords: title, bank_id, language, types,
        count (call after a successful validation)."""
        return {
            "title": self.title.data,
            "bank_id": self.bank.data,
            "language": self.language.data,
            "types": list(self.types.data),
            "count": self.count.data,
        }


class AssignForm(QuizChoiceForm):
    """Assign a quiz to a class: bank, language, types, count and Moodle's quiz settings."""

    time_limit = IntegerField(
        _l("Time limit in minutes (0 for none)"),
        default=0,
        validators=[Optional(), NumberRange(min=0, max=MAX_TIME_LIMIT)],
    )
    opens_at = DateTimeLocalField(
        _l("Opens (leave empty to open now)"),
        format=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"],
        validators=[Optional()],
    )
    closes_at = DateTimeLocalField(
        _l("Closes (leave empty for no closing time)"),
        format=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"],
        validators=[Optional()],
    )
    attempts_allowed = attempts_allowed_field(default=1)
    grading_method = grading_method_field()
    same_questions = BooleanField(
        _l("The same questions for everyone (results compare question by question)"),
        default=True,
    )
    review = RadioField(
        _l("Learners see right answers and sources"),
        choices=[SelectChoice(key, name) for key, name in REVIEW_NAMES.items()],
        default=AFTER_ATTEMPT,
        validators=[InputRequired()],
    )


class OverrideForm(AppForm):
    """One learner's own settings: a later close, extra attempts, another time limit."""

    learner = SelectField(_l("Learner"), coerce=int, validators=[InputRequired()])
    closes_at = DateTimeLocalField(
        _l("Closes for this learner"),
        format=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"],
        validators=[Optional()],
    )
    extra_attempts = IntegerField(
        _l("Extra attempts"),
        default=0,
        validators=[Optional(), NumberRange(min=0, max=MAX_ATTEMPTS)],
    )
    time_limit = IntegerField(
        _l("Time limit in minutes for this learner (0 to keep the assignment's)"),
        default=0,
        validators=[Optional(), NumberRange(min=0, max=MAX_TIME_LIMIT)],
    )
