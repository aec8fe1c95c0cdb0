"""Flask-WTF forms. Answer forms are built per question from its frozen options."""

from __future__ import annotations

import functools
import re
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    HiddenField,
    IntegerField,
    PasswordField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
)
from wtforms.fields import Label
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    DataRequired,
    EqualTo,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
)
from wtforms.widgets import CheckboxInput, HiddenInput, ListWidget

from quizapp.core import memory
from quizapp.core.question_types import TYPES, Question
from quizapp.services.attempts import MAX_QUESTIONS, MIN_QUESTIONS
from quizapp.web.fields import AppForm

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
    # Read from import files but never imported: named on the import preview's "not imported".
    "essay": _l("Essay"),
    "description": _l("Description"),
}


class EmptyForm(AppForm):
    """A button-only POST: carries the CSRF token and nothing else."""


class LoginForm(AppForm):
    """Log in with a name and a password."""

    name = StringField(_l("User name"), validators=[DataRequired(), Length(max=64)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=256)])
    remember = BooleanField(_l("Keep me logged in"))


class RegisterForm(AppForm):
    """Create a student account."""

    name = StringField(_l("User name"), validators=[DataRequired(), Length(min=3, max=64)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(min=8, max=256)])
    confirm = PasswordField(
        _l("Repeat the password"),
        validators=[DataRequired(), EqualTo("password", message=_l("The passwords differ."))],
    )


class ChangePasswordForm(AppForm):
    """Replace a (one-time) password, giving the current one."""

    current = PasswordField(_l("Current password"), validators=[DataRequired(), Length(max=256)])
    password = PasswordField(
        _l("New password"), validators=[DataRequired(), Length(min=8, max=256)]
    )
    confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[DataRequired(), EqualTo("password", message=_l("The passwords differ."))],
    )


class MemorySettingsForm(AppForm):
    """A learner's practice settings: desired retention (as a percentage) and new facts a day."""

    retention = IntegerField(
        _l("Desired retention (%)"),
        description=_l(
            "How sure you want to be of remembering a fact when it comes back for review: "
            "higher means more reviews, sooner."
        ),
        validators=[
            InputRequired(message=_l("Give a whole percentage, such as 90.")),
            NumberRange(
                min=round(memory.MIN_RETENTION * 100),
                max=round(memory.MAX_RETENTION * 100),
                message=_l("Choose a desired retention between %(min)s%% and %(max)s%%."),
            ),
        ],
    )
    daily_new_facts = IntegerField(
        _l("New facts a day"),
        description=_l(
            "How many facts you have never practised a practice session may bring in a day."
        ),
        validators=[
            InputRequired(message=_l("Give a whole number, such as 20.")),
            NumberRange(
                min=memory.MIN_DAILY_NEW_FACTS,
                max=memory.MAX_DAILY_NEW_FACTS,
                message=_l("Choose between %(min)s and %(max)s new facts a day."),
            ),
        ],
    )


class GroupCheckboxInput(CheckboxInput):
    """A tick box of a group. A group that requires a tick says so once, in its fieldset; each
    box marked `required` would be announced as required, and a browser would want them all."""

    def __call__(self, field: Any, **kwargs: Any) -> Any:
        kwargs["required"] = False  # html_params leaves out an attribute set to False
        return super().__call__(field, **kwargs)


class MultiCheckboxField(SelectMultipleField):
    """Checkboxes for a multiple choice of values (usable without JavaScript)."""

    widget = ListWidget(prefix_label=False)
    option_widget = GroupCheckboxInput()


class StartQuizForm(AppForm):
    """Pick a language, a number of questions and the question types.

    The types are chosen per language (`types_<language>` fields, made by `start_form_class`
    for a bank's languages): each offers only the types the bank can make in that language,
    and only the chosen language's ticks count. The plain `types` field is still read when no
    language field carries a tick (older clients post it). `seed` and `accept` come from the
    page that announced a shortfall: the learner accepted that set (see start_attempt).
    """

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
    types = MultiCheckboxField(_l("Question types"), default=[], validators=[Optional()])
    seed = IntegerField(
        widget=HiddenInput(), validators=[Optional(), NumberRange(min=0, max=2**31 - 1)]
    )
    accept = HiddenField(
        validators=[Optional(), Regexp(r"^[a-z]+=\d+(,[a-z]+=\d+)*$"), Length(max=200)]
    )

    def set_choices(self, offer: dict[str, list[str]]) -> None:
        """Fill the language and type choices for one bank from what it can make where."""
        self.language.choices = [
            SelectChoice(code, LANGUAGE_NAMES.get(code, code)) for code in offer
        ]
        self.types.choices = [SelectChoice(name, TYPE_NAMES.get(name, name)) for name in TYPES]
        for code, offered in offer.items():
            self.type_field(code).choices = [
                SelectChoice(name, TYPE_NAMES.get(name, name)) for name in offered
            ]

    def type_field(self, language: str) -> MultiCheckboxField:
        """The types field of one language."""
        return self[type_field_name(language)]

    def type_fields(self) -> list[tuple[str, MultiCheckboxField]]:
        """(language, field) for every language of the form, in the language list's order."""
        codes = [str(choice.value) for choice in self.language.choices]
        return [(code, self.type_field(code)) for code in codes]

    def chosen_types(self) -> list[str]:
        """The types ticked for the chosen language (or in the plain `types` field)."""
        name = type_field_name(self.language.data or "")
        ticked = self[name].data if name in self else None
        return list(ticked or self.types.data or [])

    def validate(self, extra_validators=None) -> bool:
        """The fields' own checks, then: at least one type ticked for the chosen language."""
        valid = super().validate(extra_validators)
        for field in [self.types, *(f for _code, f in self.type_fields())]:
            if field.errors:
                # Only a stale page or a forged request sends a type the list does not offer.
                field.errors[:] = [str(_l("Choose question types from the list."))]
        if self.language.errors:
            # A language missing from the list is one the bank cannot make a quiz in (yet).
            self.language.errors[:] = [
                str(_l("This bank cannot make a quiz in this language yet."))
            ]
            return False
        if not self.chosen_types():
            message = str(_l("Choose at least one question type."))
            self.type_field(self.language.data).errors.append(message)
            return False
        return valid


def type_field_name(language: str) -> str:
    """The name of a language's type field: `types_es`, `types_pt_br`."""
    return "types_" + re.sub(r"\W", "_", language.lower())


@functools.lru_cache(maxsize=64)
def start_form_class(languages: tuple[str, ...]) -> type[StartQuizForm]:
    """A StartQuizForm class with a type field per language (built once per language list)."""
    fields: dict[str, Any] = {
        type_field_name(code): MultiCheckboxField(
            _l("Question types"), default=[], validators=[Optional()]
        )
        for code in languages
    }
    return type("StartQuizForm", (StartQuizForm,), fields)


# How each kind of input becomes form fields and, back, an answer for the checker. The form
# classes are built once (order and match: once per number of rows); each request only sets the
# question's options, labels and choices on its form instance.


class AnswerForm(AppForm):
    """Base of the answer forms: `shown` carries the signed time the question page was shown.

    The CSRF token is checked for every POST by CSRFProtect before the view runs; the page sends
    it with `csrf_token()`, so the form itself neither makes nor checks one.
    """

    class Meta:
        csrf = False

    shown = HiddenField(label="")  # a label, so that WTForms does not load translations for one


class _ChoiceForm(AnswerForm):
    answer = RadioField(
        _l("Your answer"),
        choices=[],
        validators=[InputRequired(message=_l("Choose an answer."))],
    )


class _MultiForm(AnswerForm):
    answer = MultiCheckboxField(
        _l("Your answer"),
        choices=[],
        validators=[DataRequired(message=_l("Choose at least one answer."))],
    )


class _TextForm(AnswerForm):
    answer = StringField(
        _l("Your answer"),
        validators=[DataRequired(message=_l("Type an answer.")), Length(max=200)],
    )


@functools.lru_cache(maxsize=64)
def _order_class(count: int) -> type[AnswerForm]:
    attributes: dict[str, Any] = {
        f"place_{index}": SelectField(
            _l("Position %(number)s", number=index + 1),
            choices=[],
            validators=[InputRequired(message=_l("Choose an event for every position."))],
        )
        for index in range(count)
    }
    return type("OrderForm", (AnswerForm,), attributes)


@functools.lru_cache(maxsize=64)
def _match_class(count: int) -> type[AnswerForm]:
    attributes: dict[str, Any] = {
        f"pair_{index}": SelectField(
            "",  # the item to match, set per question
            choices=[],
            validators=[InputRequired(message=_l("Choose a match for every item."))],
        )
        for index in range(count)
    }
    return type("MatchForm", (AnswerForm,), attributes)


def _indexed(options: list[str]) -> list[SelectChoice]:
    return [SelectChoice(str(i), option) for i, option in enumerate(options)]


def _choice_form(question: Question, **kwargs: Any) -> AnswerForm:
    form = _ChoiceForm(**kwargs)
    form.answer.choices = _indexed(question.options or [])
    return form


def _multi_form(question: Question, **kwargs: Any) -> AnswerForm:
    form = _MultiForm(**kwargs)
    form.answer.choices = _indexed(question.options or [])
    return form


def _text_form(question: Question, **kwargs: Any) -> AnswerForm:
    return _TextForm(**kwargs)


def _order_form(question: Question, **kwargs: Any) -> AnswerForm:
    options = list(question.options or [])
    form = _order_class(len(options))(**kwargs)
    choices = [SelectChoice("", "—"), *_indexed(options)]
    for index in range(len(options)):
        form[f"place_{index}"].choices = choices
    return form


def _match_form(question: Question, **kwargs: Any) -> AnswerForm:
    options: dict[str, list[str]] = question.options  # type: ignore[assignment]
    form = _match_class(len(options["left"]))(**kwargs)
    choices = [SelectChoice("", "—"), *_indexed(options["right"])]
    for index, left in enumerate(options["left"]):
        field = form[f"pair_{index}"]
        field.label = Label(field.id, left)
        field.choices = choices
    return form


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


def answer_form(question: Question, **kwargs: Any) -> AnswerForm:
    """The answer form for a frozen question (its class is reused, its options set on it)."""
    return INPUTS[question.type][0](question, **kwargs)


def answer_from(form: FlaskForm, question: Question) -> Any:
    """The learner's answer in the form the question's checker takes."""
    return INPUTS[question.type][1](form, question)
