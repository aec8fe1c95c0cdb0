"""Flask-WTF forms of the teachers' area: banks, sources, facts, questions, imports."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import (
    BooleanField,
    Form,
    FormField,
    HiddenField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    DataRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
    ValidationError,
)

from quizapp.core.bank import KINDS
from quizapp.core.question_types import TYPES
from quizapp.web.fields import AppForm, NumberField, RowList
from quizapp.web.forms import LANGUAGE_NAMES, TYPE_NAMES, MultiCheckboxField

KIND_NAMES = {
    "date": _l("date"),
    "year": _l("year"),
    "number": _l("number or quantity"),
    "person": _l("person"),
    "place": _l("place"),
    "organisation": _l("organisation"),
    "event": _l("event"),
    "term": _l("term"),
}
TEXT_FORMATS = [
    SelectChoice("plain", _l("Plain text")),
    SelectChoice("markdown", _l("Markdown")),
    SelectChoice("html", _l("HTML (sanitised)")),
]
LANGUAGE_CHOICES = [SelectChoice(code, name) for code, name in LANGUAGE_NAMES.items()]


class BankForm(AppForm):
    """A bank's titles, descriptions and languages."""

    slug = StringField(
        _l("Id (letters, digits and hyphens; made from the title when empty)"),
        validators=[Optional(), Length(max=48)],
    )
    title_en = StringField(_l("Title in English"), validators=[Length(max=200)])
    title_es = StringField(_l("Title in Spanish"), validators=[Length(max=200)])
    description_en = TextAreaField(_l("Description in English"), validators=[Length(max=2000)])
    description_es = TextAreaField(_l("Description in Spanish"), validators=[Length(max=2000)])
    languages = MultiCheckboxField(
        _l("Languages of its quizzes"),
        choices=LANGUAGE_CHOICES,
        validators=[DataRequired(message=_l("Choose at least one language."))],
    )
    subject = StringField(_l("Subject"), validators=[Length(max=64)])
    licence = StringField(_l("Licence"), validators=[Length(max=500)])

    def validate_title_en(self, field: StringField) -> None:
        """Each chosen language needs a title."""
        for code in self.languages.data or []:
            title = self._fields.get(f"title_{code}")
            if title is None:
                continue  # not a language of ours: the languages field says so
            if not (title.data or "").strip():
                raise ValidationError(_l("Give a title in each language of the bank."))


class SourceForm(AppForm):
    """A new source: pasted text or an uploaded .txt/.md file."""

    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=256)])
    language = SelectField(_l("Language of the text"), choices=LANGUAGE_CHOICES)
    text = TextAreaField(
        _l("Text (paragraphs separated by blank lines)"), validators=[Length(max=500_000)]
    )
    upload = FileField(
        _l("…or upload a .txt or .md file (UTF-8)"),
        validators=[FileAllowed(["txt", "md"], _l("Only .txt and .md files."))],
    )
    origin = StringField(_l("Where it comes from"), validators=[DataRequired(), Length(max=1000)])
    licence = StringField(_l("Licence"), validators=[DataRequired(), Length(max=500)])
    attribution = StringField(
        _l("Attribution (shown with every quote)"), validators=[DataRequired(), Length(max=1000)]
    )


class SourceEditForm(AppForm):
    """Edit a source; passages keep their {#id} lines."""

    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=256)])
    text = TextAreaField(
        _l("Text: each passage under its {#id} line; a new paragraph gets a new id"),
        validators=[DataRequired(), Length(max=500_000)],
    )
    origin = StringField(_l("Where it comes from"), validators=[DataRequired(), Length(max=1000)])
    licence = StringField(_l("Licence"), validators=[DataRequired(), Length(max=500)])
    attribution = StringField(_l("Attribution"), validators=[DataRequired(), Length(max=1000)])


class FactForm(AppForm):
    """A fact, its evidence chosen from its passage; each field says in a hint what it does."""

    passage_id = SelectField(
        _l("Passage"),
        description=_l("The paragraph of a source that proves the fact; it is shown below."),
        coerce=int,
        validators=[DataRequired()],
    )
    evidence = TextAreaField(
        _l("Evidence"),
        description=_l(
            "The words of the passage that prove the answer: select them in the passage above "
            "(they fill this box) or paste them word for word. Learners see them highlighted."
        ),
        validators=[DataRequired(), Length(max=2000)],
    )
    evidence_start = HiddenField()
    evidence_end = HiddenField()
    statement = TextAreaField(
        _l("Statement"),
        description=_l(
            "A full sentence containing the answer exactly as written in the Answer field; "
            "true/false and fill-in-the-blank questions are made from it."
        ),
        validators=[DataRequired(), Length(max=1000)],
    )
    answer = StringField(
        _l("Answer"),
        description=_l("What the learner must give: a date, number, name or term, as written."),
        validators=[DataRequired(), Length(max=256)],
    )
    kind = SelectField(
        _l("Kind of answer"),
        description=_l("Decides how answers are checked and which wrong options fit."),
        choices=[SelectChoice(kind, KIND_NAMES[kind]) for kind in KINDS],
    )
    stems = TextAreaField(
        _l("Questions"),
        description=_l(
            "One per line, each asking for the answer without containing it; quizzes use one "
            "of them."
        ),
        validators=[DataRequired(), Length(max=2000)],
    )
    alternatives = TextAreaField(
        _l("Other accepted answers"),
        description=_l("One per line: other spellings or forms that count as right too."),
        validators=[Length(max=2000)],
    )
    label = StringField(
        _l("Label"),
        description=_l(
            "The fact without its answer (“Romania joins the Axis”): ordering and matching "
            "questions show it. Without one, the fact is left out of them."
        ),
        validators=[Length(max=256)],
    )
    topic = StringField(
        _l("Topic key"),
        description=_l(
            "The same key for the facts about the same thing in other languages, so that a "
            "quiz asks it once; made from the answer when empty."
        ),
        validators=[Length(max=128)],
    )
    tolerance = NumberField(
        _l("Tolerance for numbers and years"),
        description=_l("How far a typed number or year may be from the answer and still count."),
        validators=[Optional(), NumberRange(min=0)],
        default=0,
    )
    exclude_distractors = TextAreaField(
        _l("Never offer these as wrong answers"),
        description=_l("One per line: values that would be right too, or unfairly close."),
        validators=[Length(max=2000)],
    )
    note = TextAreaField(
        _l("Curator's note"),
        description=_l("Shown to learners with the answer, after they answer."),
        validators=[Length(max=2000)],
    )
    source_garbled = BooleanField(
        _l("The source states the answer in a garbled form"),
        description=_l(
            "The fact then gives the true answer and the curator's note must explain the defect."
        ),
    )
    category = StringField(
        _l("Category under its kind (e.g. country, general, party)"),
        description=_l(
            "Wrong options and true/false swaps come only from this category: without one, a "
            "name gets no multiple choice. Lowercase letters, digits and hyphens."
        ),
        validators=[
            Length(max=64),
            Regexp(
                r"^$|^[a-z0-9][a-z0-9-]*$",
                message=_l("Use lowercase letters, digits and hyphens, such as army-unit."),
            ),
        ],
    )
    gender = SelectField(
        _l("Grammatical gender of the answer"),
        description=_l("Spanish names need it for true/false swaps (la/el, adjectives)."),
        choices=[
            SelectChoice("", _l("not given")),
            SelectChoice("m", _l("masculine")),
            SelectChoice("f", _l("feminine")),
        ],
        default="",
    )
    number = SelectField(
        _l("Grammatical number of the answer"),
        description=_l("Plural answers get plural swaps in true/false statements."),
        choices=[SelectChoice("singular", _l("singular")), SelectChoice("plural", _l("plural"))],
        default="singular",
    )
    event = BooleanField(
        _l("The date or year is when an event happened"),
        description=_l("Chronological-order questions use only these."),
    )
    false_statements = TextAreaField(
        _l("False statements for true/false (one per line; each wrong in one clear point)"),
        description=_l(
            "Used when no wrong value of the category fits the sentence; none may contain the "
            "answer."
        ),
        validators=[Length(max=4000)],
    )
    skip_types = MultiCheckboxField(
        _l("Never ask this fact as"),
        description=_l(
            "For a form that would be unfair for this fact: a blank whose sentence fits several "
            "answers, wrong options that are not plausible."
        ),
        choices=[SelectChoice(name, TYPE_NAMES.get(name, name)) for name in TYPES],
    )


class ChoiceRow(Form):
    """One option or accepted answer: right or not, with an optional weight and feedback.

    The tick is what a teacher uses; the weight (an advanced field) overrides it
    (`services.authoring.weights_from_ticks`).
    """

    text = StringField(_l("Answer"), validators=[Length(max=1000)])
    right = BooleanField(_l("Right answer"))
    weight = NumberField(_l("Weight %"), validators=[Optional(), NumberRange(min=-100, max=100)])
    feedback = StringField(_l("Feedback"), validators=[Length(max=1000)])


class NumericRow(Form):
    """One accepted number: a value with a tolerance, or a range."""

    value = NumberField(_l("Value"), validators=[Optional()])
    tolerance = NumberField(_l("± tolerance"), validators=[Optional(), NumberRange(min=0)])
    low = NumberField(_l("or from"), validators=[Optional()])
    high = NumberField(_l("to"), validators=[Optional()])
    weight = NumberField(_l("Weight %"), validators=[Optional(), NumberRange(min=0, max=100)])
    feedback = StringField(_l("Feedback"), validators=[Length(max=1000)])


class PairRow(Form):
    """One matching pair."""

    left = StringField(_l("Item"), validators=[Length(max=500)])
    right = StringField(_l("Its match"), validators=[Length(max=500)])


# The types a teacher writes, named as everywhere else (TYPE_NAMES) with what sets them apart.
QUESTION_TYPES = [
    SelectChoice("mcq", _l("Multiple choice (one right answer)")),
    SelectChoice("multi", _l("Multiple answers (several right)")),
    SelectChoice("tf", _l("True or false")),
    SelectChoice("short", _l("Short answer")),
    SelectChoice("numeric", _l("Numeric (a value or a range)")),
    SelectChoice("match", _l("Matching")),
]


class QuestionForm(AppForm):
    """A hand-written question of any gradable type."""

    type = SelectField(_l("Type"), choices=QUESTION_TYPES)
    language = SelectField(_l("Language"), choices=LANGUAGE_CHOICES)
    stem = TextAreaField(_l("Question"), validators=[DataRequired(), Length(max=5000)])
    text_format = SelectField(_l("Text format"), choices=TEXT_FORMATS, default="plain")
    passage_id = SelectField(_l("Source passage"), coerce=int, default=0)
    fact_key = SelectField(
        _l("Fact it asks about"),
        default="",
        description=_l(
            "Answers to this question then count in each learner's memory of that fact, "
            "as answers to the questions made from it do."
        ),
    )
    choices = RowList(FormField(ChoiceRow), min_entries=6, max_entries=20)
    is_true = RadioField(
        _l("The statement is"),
        choices=[SelectChoice("true", _l("true")), SelectChoice("false", _l("false"))],
        validators=[Optional()],
    )
    true_feedback = StringField(_l("Feedback when answered true"), validators=[Length(max=1000)])
    false_feedback = StringField(_l("Feedback when answered false"), validators=[Length(max=1000)])
    numeric = RowList(FormField(NumericRow), min_entries=3, max_entries=10)
    pairs = RowList(FormField(PairRow), min_entries=6, max_entries=20)
    general_feedback = TextAreaField(_l("General feedback"), validators=[Length(max=5000)])


class ImportForm(AppForm):
    """An import file and its format."""

    file = FileField(
        _l("File"),
        validators=[
            FileRequired(_l("Choose a file.")),
            FileAllowed(["gift", "txt", "csv", "zip"], _l("Use a .gift, .txt, .csv or .zip file.")),
        ],
    )
    file_format = SelectField(
        _l("Format"),
        choices=[
            SelectChoice("gift", "GIFT (Moodle)"),
            SelectChoice("aiken", "Aiken"),
            SelectChoice("csv", "CSV"),
            SelectChoice("zip", _l("Bank folder (.zip)")),
        ],
    )
    language = SelectField(_l("Language of the questions"), choices=LANGUAGE_CHOICES)


class EditorForm(AppForm):
    """A co-editor for a bank, named by user name."""

    name = StringField(
        _l("Teacher's user name"), validators=[DataRequired(), Length(min=3, max=64)]
    )
