"""Flask-WTF forms. Answer forms are built per question from its frozen options."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    IntegerField,
    PasswordField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    DataRequired,
    EqualTo,
    InputRequired,
    Length,
    NumberRange,
    Optional,
)
from wtforms.widgets import CheckboxInput, ListWidget

from quizapp.core.question_types import TYPES, Question
from quizapp.services.attempts import MAX_QUESTIONS, MIN_QUESTIONS

LANGUAGE_NAMES = {"en": _l("English"), "es": _l("Spanish")}
TYPE_NAMES = {
    "mcq": _l("Multiple choice"),
    "tf": _l("True or false"),
    "cloze": _l("Fill in the blank"),
    "short": _l("Short answer"),
    "numeric": _l("Numeric"),
    "order": _l("Chronological order"),
    "match": _l("Matching"),
    "multi": _l("Multiple answers"),
}


class EmptyForm(FlaskForm):
    """A button-only POST: carries the CSRF token and nothing else."""


class LoginForm(FlaskForm):
    """Log in with a name and a password."""

    name = StringField(_l("User name"), validators=[DataRequired(), Length(max=64)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=256)])
    remember = BooleanField(_l("Keep me logged in"))


class RegisterForm(FlaskForm):
    """Create a student account."""

    name = StringField(_l("User name"), validators=[DataRequired(), Length(min=3, max=64)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(min=8, max=256)])
    confirm = PasswordField(
        _l("Repeat the password"),
        validators=[DataRequired(), EqualTo("password", message=_l("The passwords differ."))],
    )


class ChangePasswordForm(FlaskForm):
    """Replace a (one-time) password."""

    password = PasswordField(
        _l("New password"), validators=[DataRequired(), Length(min=8, max=256)]
    )
    confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[DataRequired(), EqualTo("password", message=_l("The passwords differ."))],
    )


class MultiCheckboxField(SelectMultipleField):
    """Checkboxes for a multiple choice of values (usable without JavaScript)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class StartQuizForm(FlaskForm):
    """Pick a language, a number of questions and the question types."""

    language = SelectField(_l("Language"), validators=[InputRequired()])
    count = IntegerField(
        _l("Number of questions"),
        default=10,
        validators=[InputRequired(), NumberRange(min=MIN_QUESTIONS, max=MAX_QUESTIONS)],
    )
    time_limit = IntegerField(
        _l("Time limit in minutes (0 for none)"),
        default=0,
        validators=[Optional(), NumberRange(min=0, max=180)],
    )
    types = MultiCheckboxField(
        _l("Question types"),
        default=list(TYPES),
        validators=[DataRequired(message=_l("Choose at least one question type."))],
    )

    def set_choices(self, languages: list[str]) -> None:
        """Fill the language and type choices for one bank."""
        self.language.choices = [
            SelectChoice(code, LANGUAGE_NAMES.get(code, code)) for code in languages
        ]
        self.types.choices = [SelectChoice(name, TYPE_NAMES.get(name, name)) for name in TYPES]


# How each kind of input becomes form fields and, back, an answer for the checker.


def _choice_form(question: Question) -> type[FlaskForm]:
    class ChoiceForm(FlaskForm):
        answer = RadioField(
            _l("Your answer"),
            choices=[
                SelectChoice(str(i), option) for i, option in enumerate(question.options or [])
            ],
            validators=[InputRequired(message=_l("Choose an answer."))],
        )

    return ChoiceForm


def _multi_form(question: Question) -> type[FlaskForm]:
    class MultiForm(FlaskForm):
        answer = MultiCheckboxField(
            _l("Your answer"),
            choices=[
                SelectChoice(str(i), option) for i, option in enumerate(question.options or [])
            ],
            validators=[DataRequired(message=_l("Choose at least one answer."))],
        )

    return MultiForm


def _text_form(question: Question) -> type[FlaskForm]:
    class TextForm(FlaskForm):
        answer = StringField(
            _l("Your answer"),
            validators=[DataRequired(message=_l("Type an answer.")), Length(max=200)],
        )

    return TextForm


def _order_form(question: Question) -> type[FlaskForm]:
    options = list(question.options or [])
    attributes: dict[str, Any] = {}
    for index in range(len(options)):
        attributes[f"place_{index}"] = SelectField(
            _l("Position %(number)s", number=index + 1),
            choices=[SelectChoice("", "—")]
            + [SelectChoice(str(i), label) for i, label in enumerate(options)],
            validators=[InputRequired(message=_l("Choose an event for every position."))],
        )
    return type("OrderForm", (FlaskForm,), attributes)


def _match_form(question: Question) -> type[FlaskForm]:
    options: dict[str, list[str]] = question.options  # type: ignore[assignment]
    attributes: dict[str, Any] = {}
    for index, left in enumerate(options["left"]):
        attributes[f"pair_{index}"] = SelectField(
            left,
            choices=[SelectChoice("", "—")]
            + [SelectChoice(str(i), right) for i, right in enumerate(options["right"])],
            validators=[InputRequired(message=_l("Choose a match for every item."))],
        )
    return type("MatchForm", (FlaskForm,), attributes)


def _choice_answer(form: FlaskForm, question: Question) -> str:
    return (question.options or [])[int(form.answer.data)]


def _multi_answer(form: FlaskForm, question: Question) -> list[str]:
    options = list(question.options or [])
    return [options[int(index)] for index in form.answer.data]


def _text_answer(form: FlaskForm, question: Question) -> str:
    return form.answer.data.strip()


def _order_answer(form: FlaskForm, question: Question) -> list[str]:
    options = list(question.options or [])
    return [options[int(form[f"place_{i}"].data)] for i in range(len(options))]


def _match_answer(form: FlaskForm, question: Question) -> dict[str, str]:
    options: dict[str, list[str]] = question.options  # type: ignore[assignment]
    return {
        left: options["right"][int(form[f"pair_{i}"].data)]
        for i, left in enumerate(options["left"])
    }


INPUTS = {
    "mcq": (_choice_form, _choice_answer),
    "tf": (_choice_form, _choice_answer),
    "cloze": (_text_form, _text_answer),
    "short": (_text_form, _text_answer),
    "numeric": (_text_form, _text_answer),
    "order": (_order_form, _order_answer),
    "match": (_match_form, _match_answer),
    "multi": (_multi_form, _multi_answer),
}


def answer_form(question: Question, **kwargs: Any) -> FlaskForm:
    """The answer form for a frozen question."""
    return INPUTS[question.type][0](question)(**kwargs)


def answer_from(form: FlaskForm, question: Question) -> Any:
    """The learner's answer in the form the question's checker takes."""
    return INPUTS[question.type][1](form, question)
