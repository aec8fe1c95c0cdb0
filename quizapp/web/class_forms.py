"""Flask-WTF forms of the classes pages (`web.classes`)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from quizapp.services.classes import MAX_TYPED_CODE, NAME_MAX
from quizapp.web.fields import AppForm


class ClassNameForm(AppForm):
    """A class's name, to create or rename it (prefix "class" where other forms share a page)."""

    name = StringField(_l("Name of the class"), validators=[DataRequired(), Length(max=NAME_MAX)])


class JoinForm(AppForm):
    """A join code as the learner types it (any case, spaces and hyphens allowed)."""

    code = StringField(_l("Join code"), validators=[DataRequired(), Length(max=MAX_TYPED_CODE)])


class CoTeacherForm(AppForm):
    """Another teacher to add to a class, named by user name."""

    name = StringField(
        _l("Teacher's user name"), validators=[DataRequired(), Length(min=3, max=64)]
    )
