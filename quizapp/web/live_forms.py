"""Flask-WTF forms of the live games' pages (`web.live`)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, HiddenField, IntegerField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from quizapp.core import live_game as core
from quizapp.services.live.games import MAX_COUNT, MIN_COUNT, GameSettings
from quizapp.services.live.players import NICKNAME_MAX
from quizapp.web.fields import AppForm
from quizapp.web.forms import MultiCheckboxField


class JoinGameForm(AppForm):
    """A game's PIN, and a nickname for a guest."""

    pin = StringField(
        _l("Game PIN"),
        validators=[DataRequired(message=_l("Type the game's PIN.")), Length(max=20)],
    )
    nickname = StringField(_l("Nickname"), validators=[Optional(), Length(max=NICKNAME_MAX * 2)])


class GameSettingsForm(AppForm):
    """A game's options (scoring, time per question, guests)."""

    seconds = IntegerField(
        _l("Seconds per question"),
        default=20,
        validators=[InputRequired(), NumberRange(min=core.MIN_SECONDS, max=core.MAX_SECONDS)],
    )
    points = IntegerField(
        _l("Points per question"),
        default=1000,
        validators=[InputRequired(), NumberRange(min=core.MIN_POINTS, max=core.MAX_POINTS)],
    )
    speed = BooleanField(_l("Points for speed (a faster right answer earns more)"), default=True)
    streak = BooleanField(_l("Streak bonus (right answers in a row earn extra)"), default=True)
    guests = BooleanField(
        _l("Let guests join with a nickname (their answers are kept nowhere else)")
    )

    def game_settings(self) -> GameSettings:
        """The options as the service takes them."""
        return GameSettings(
            points=self.points.data,
            speed=bool(self.speed.data),
            streak=bool(self.streak.data),
            seconds=self.seconds.data,
            guests=bool(self.guests.data),
        )


class NewGameForm(GameSettingsForm):
    """A game from a bank: which bank and language, question types, how many questions."""

    source = SelectField(_l("Bank and language"), validators=[InputRequired()])
    types = MultiCheckboxField(_l("Question types"), default=[], validators=[Optional()])
    count = IntegerField(
        _l("Number of questions"),
        default=10,
        validators=[InputRequired(), NumberRange(min=MIN_COUNT, max=MAX_COUNT)],
    )


class MoveForm(AppForm):
    """A teacher's move, with the phase and question the screen showed."""

    move = SelectField(
        choices=[SelectChoice(name, name) for name in ("next", "pause", "resume", "skip", "end")],
        validators=[InputRequired()],
    )
    phase = HiddenField(validators=[InputRequired(), Length(max=16)])
    position = IntegerField(validators=[InputRequired(), NumberRange(min=0, max=MAX_COUNT)])


class LiveAnswerForm(AppForm):
    """A player's answer to the question at `position`: an option's text or what was typed."""

    position = IntegerField(validators=[InputRequired(), NumberRange(min=1, max=MAX_COUNT)])
    answer = StringField(
        _l("Your answer"),
        validators=[DataRequired(message=_l("Type an answer.")), Length(max=200)],
    )
