"""Live class games: the teacher's start form, projected screen, moves and results; the
players' join page, game page and answers. Every page works without JavaScript (waiting pages
reload themselves from a <noscript> refresh, and forms are plain POSTs with CSRF); with it,
`static/live.js` follows the game's event stream (`web.live_stream`) and swaps the page's stage
in place."""

from __future__ import annotations

import re
from typing import Any

from flask import (
    Blueprint,
    abort,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required
from wtforms.fields.choices import SelectChoice

from quizapp.core import live_game as core
from quizapp.core.live_spread import LIVE_TYPES, SHAPES, spread_svg
from quizapp.core.masking import question_answers
from quizapp.core.spreadsheet_csv import csv_chunks
from quizapp.extensions import db
from quizapp.models import Bank, LiveGame, utcnow
from quizapp.services import banks, permissions
from quizapp.services.live import games, players, results
from quizapp.web.forms import TYPE_NAMES, EmptyForm
from quizapp.web.live_forms import (
    GameSettingsForm,
    JoinGameForm,
    LiveAnswerForm,
    MoveForm,
    NewGameForm,
)

bp = Blueprint("live", __name__)
GUESTS_KEY = "live_guests"
TOP = 5


# ---------------------------------------------------------------------------------------------
# Starting a game (teachers)


def _sources(user) -> list[SelectChoice]:
    """(value "slug:language", label) for every bank the teacher may see that can ask live."""
    choices = []
    for bank, _count, offer in banks.offered_banks(user):
        if not permissions.can_view(user, bank):
            continue
        for language, types in offer.items():
            if any(t in LIVE_TYPES for t in types):
                title = bank.titles.get(language) or bank.slug
                choices.append(SelectChoice(f"{bank.slug}:{language}", f"{title} ({language})"))
    return choices


@bp.route("/live/new", methods=["GET", "POST"])
@login_required
def new():
    """The teacher's start form (a bank, a language, types, count and the game's options), and
    their latest games."""
    permissions.require_teacher(current_user)
    form = NewGameForm()
    form.source.choices = _sources(current_user)
    form.types.choices = [SelectChoice(name, TYPE_NAMES[name]) for name in LIVE_TYPES]
    if request.method == "GET":
        form.types.data = ["mcq", "tf"]
    if form.validate_on_submit():
        slug, _colon, language = form.source.data.partition(":")
        bank = db.session.scalar(db.select(Bank).where(Bank.slug == slug))
        if bank is None:
            abort(404)
        try:
            game = games.create_from_bank(
                current_user,
                bank,
                language,
                form.types.data or [],
                form.count.data,
                form.game_settings(),
            )
        except games.LiveError as error:
            flash(str(error), "error")
        else:
            db.session.commit()
            return redirect(url_for("live.screen", game_id=game.id))
    status = 400 if request.method == "POST" else 200
    return render_template(
        "live/new.html", form=form, games=games.teacher_games(current_user)
    ), status


@bp.route("/live/new/assignment/<int:assignment_id>", methods=["GET", "POST"])
@login_required
def new_from_assignment(assignment_id: int):
    """A game of an assignment's questions, for a teacher of its class."""
    from quizapp.services import assignments

    assignment = assignments.get_assignment(current_user, assignment_id, need="teach")
    permissions.require_teacher(current_user)
    form = GameSettingsForm()
    if form.validate_on_submit():
        try:
            game = games.create_from_assignment(current_user, assignment_id, form.game_settings())
        except games.LiveError as error:
            flash(str(error), "error")
        else:
            db.session.commit()
            return redirect(url_for("live.screen", game_id=game.id))
    status = 400 if request.method == "POST" else 200
    return render_template("live/new_assignment.html", form=form, assignment=assignment), status


# ---------------------------------------------------------------------------------------------
# The projected screen (the game's teacher)


def join_url(game: LiveGame) -> str:
    """The game's join link, as the QR code carries it."""
    return url_for("live.join_link", pin=game.pin, _external=True)


def qr_svg(text: str) -> str:
    """A QR code of `text` as an inline SVG element, drawn on the server by `segno` (its modules
    drawn in the page's text colour by the style sheet, so it reads in both colour schemes; no
    inline style, which the Content-Security-Policy would refuse)."""
    import io

    import segno

    out = io.BytesIO()
    segno.make(text, error="m").save(
        out,
        kind="svg",
        scale=1,
        border=4,
        xmldecl=False,
        svgns=True,
        svgclass="qr",
        lineclass="qr-modules",
        omitsize=True,
        light=None,
    )
    return out.getvalue().decode()


def _pending(game: LiveGame, after: int) -> list:
    """The answers of the game's questions after `after`, hidden in a shown passage (as a
    quiz's feedback hides the answers of questions still to come, core.masking)."""
    pending = []
    for position in range(after + 1, game.question_count + 1):
        answers = question_answers(games.question_at(game, position))
        if answers:
            pending.append((position, answers))
    return pending


def screen_context(game: LiveGame) -> dict[str, Any]:
    """What the projected screen shows for the game's phase."""
    state = games.state_of(game)
    now = utcnow()
    context: dict[str, Any] = {
        "game": game,
        "state": state,
        "settings": games.settings_of(game),
        "seconds_left": _whole(state.seconds_left(now)),
        "move_form": MoveForm(formdata=None),
        "remove_form": EmptyForm(formdata=None),
        "shapes": SHAPES,
    }
    if state.phase == core.LOBBY:
        context["players"] = [p for p in results.players(game.id) if not p.removed]
        context["join_url"] = join_url(game)
        context["qr"] = qr_svg(join_url(game))
    if state.phase in (core.QUESTION, core.REVEAL):
        question = games.question_at(game, state.position)
        context["question"] = question
        context["answered"], context["players_in"] = results.answered_count(game.id, state.position)
    if state.phase == core.REVEAL:
        question = context["question"]
        spread = results.spread(game, state.position, question, _("other answers"))
        context["spread"] = spread
        context["spread_svg"] = spread_svg(
            spread,
            title=_("How the class answered question %(n)s", n=state.position),
            description=_(
                "%(answered)s answers, %(silent)s players gave none; the table below has the "
                "numbers.",
                answered=spread.answered,
                silent=spread.unanswered,
            ),
            right_mark=_("(right)"),
        )
        context["pending"] = _pending(game, state.position)
    if state.phase in (core.LEADERBOARD, core.END):
        ranked = results.standings(game.id)
        context["top"] = [s for s in ranked if s.rank <= TOP][: TOP * 2]
        context["podium"] = core.podium(ranked)
        context["player_total"] = len(ranked)
    if state.phase == core.END:
        context["summaries"] = results.question_summaries(game)
    return context


def _time_is_up(game: LiveGame) -> bool:
    """Whether the game's open question has run out of time (read from the row loaded)."""
    return core.time_is_up(games.state_of(game), utcnow())


def _whole(seconds: float | None) -> int | None:
    return None if seconds is None else int(-(-seconds // 1))


@bp.route("/live/games/<int:game_id>/screen")
@login_required
def screen(game_id: int):
    """The projected screen of the teacher's game (the whole page, or its stage alone for
    live.js with `?stage=1`). Showing it also reveals a question whose time is up."""
    game = games.teacher_game(current_user, game_id)
    if _time_is_up(game) and games.reveal_if_due(game.id, game.position):
        db.session.refresh(game)
    template = "live/_screen_stage.html" if request.args.get("stage") else "live/screen.html"
    return render_template(template, **screen_context(game))


@bp.route("/live/games/<int:game_id>/move", methods=["POST"])
@login_required
def move(game_id: int):
    """A teacher's move (next, pause, resume, skip, end), then back to the screen (PRG)."""
    form = MoveForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        games.teacher_move(
            current_user, game_id, form.move.data, form.phase.data, form.position.data
        )
    except games.LiveError as error:
        flash(str(error), "info")
    return redirect(url_for("live.screen", game_id=game_id))


@bp.route("/live/games/<int:game_id>/players/<int:player_id>/remove", methods=["POST"])
@login_required
def remove_player(game_id: int, player_id: int):
    """The teacher removes a player from the game (PRG)."""
    form = EmptyForm()
    if not form.validate_on_submit():
        abort(400)
    player_name = players.remove_player(current_user, game_id, player_id)
    flash(_("%(name)s was removed from the game.", name=player_name), "success")
    return redirect(url_for("live.screen", game_id=game_id))


@bp.route("/live/games/<int:game_id>/results")
@login_required
def results_page(game_id: int):
    """The game's results as a report: ranking, each player's answers, each question."""
    game = games.teacher_game(current_user, game_id)
    ranked = {s.player_id: s.rank for s in results.standings(game.id)}
    return render_template(
        "live/results.html",
        game=game,
        state=games.state_of(game),
        rows=results.players(game.id),
        ranks=ranked,
        summaries=results.question_summaries(game),
        settings=games.settings_of(game),
    )


@bp.route("/live/games/<int:game_id>/results.csv")
@login_required
def results_csv(game_id: int):
    """Every answer of the game as CSV, as an assignment's answers download."""
    from quizapp.web.gradebook import _csv_response

    game = games.teacher_game(current_user, game_id)
    rows = results.answer_rows(game.id)
    yes, no = _("yes"), _("no")
    header = [
        _("Player"),
        _("Guest"),
        _("Question"),
        _("Question text"),
        _("Answer given"),
        _("Right"),
        _("Points"),
        _("Seconds taken"),
        _("Answered at (UTC)"),
    ]
    stems = [str(q.get("stem", "")) for q in game.questions]

    def lines():
        yield header
        for row in rows:
            yield [
                row.player,
                yes if row.guest else no,
                row.position,
                stems[row.position - 1] if row.position <= len(stems) else "",
                row.answer,
                yes if row.correct else no,
                row.points,
                round(row.seconds_taken, 1),
                row.answered_at.strftime("%Y-%m-%d %H:%M:%S"),
            ]

    return _csv_response(csv_chunks(lines()), f"live-game-{game.id}.csv")


# ---------------------------------------------------------------------------------------------
# Players


def _guest_id(game_id: int) -> int | None:
    value = (session.get(GUESTS_KEY) or {}).get(str(game_id))
    return value if isinstance(value, int) else None


def _remember_guest(game_id: int, player_id: int) -> None:
    guests = dict(session.get(GUESTS_KEY) or {})
    guests[str(game_id)] = player_id
    # Only the latest few games: the session is a cookie.
    session[GUESTS_KEY] = dict(list(guests.items())[-5:])


def _viewer():
    return current_user if current_user.is_authenticated else None


def _clean_pin(typed: str) -> str:
    return re.sub(r"\s+", "", typed or "")


@bp.route("/live", methods=["GET", "POST"])
def join():
    """ "Join a game": type the PIN (and a nickname as a guest, when the game allows guests)."""
    form = JoinGameForm()
    if form.validate_on_submit():
        pin = _clean_pin(form.pin.data)
        game = games.running_game(pin)
        if game is None:
            form.pin.errors.append(_("No game is running with this PIN."))
        else:
            return _join(game, form)
    status = 400 if request.method == "POST" else 200
    return render_template("live/join.html", form=form, game=None), status


@bp.route("/live/<pin>", methods=["GET", "POST"])
def join_link(pin: str):
    """The join link (and QR code) of a game: confirm, with a nickname as a guest."""
    game = games.running_game(pin)
    if game is None:
        ended = games.game_by_pin(pin)
        if ended is not None and _player_of(ended) is not None:
            return redirect(url_for("live.play", pin=ended.pin))
        flash(_("No game is running with this PIN."), "error")
        return redirect(url_for("live.join"))
    if _player_of(game) is not None:
        return redirect(url_for("live.play", pin=game.pin))
    form = JoinGameForm(pin=game.pin)
    if request.method == "POST" and form.validate_on_submit():
        return _join(game, form)
    status = 400 if request.method == "POST" else 200
    return render_template("live/join.html", form=form, game=game), status


def _join(game: LiveGame, form: JoinGameForm):
    if not current_user.is_authenticated and not (game.settings or {}).get("guests"):
        flash(_("This game is for learners with an account: log in to join."), "info")
        return redirect(url_for("auth.login", next=url_for("live.join_link", pin=game.pin)))
    if not current_user.is_authenticated and not (form.nickname.data or "").strip():
        form.nickname.errors.append(_("Choose a nickname to play as a guest."))
        return render_template("live/join.html", form=form, game=game), 400
    try:
        player = players.join(game.id, _viewer(), form.nickname.data)
    except games.LiveError as error:
        form.nickname.errors.append(str(error))
        return render_template("live/join.html", form=form, game=game), 400
    if player.user_id is None:
        _remember_guest(game.id, player.id)
    return redirect(url_for("live.play", pin=game.pin))


def _player_of(game: LiveGame):
    return players.player_for(game, _viewer(), _guest_id(game.id))


def _game_for_player(pin: str) -> LiveGame:
    game = games.running_game(pin) or games.game_by_pin(pin)
    if game is None:
        abort(404)
    return game


def play_context(game: LiveGame, player) -> dict[str, Any]:
    """What a player's page shows for the game's phase."""
    state = games.state_of(game)
    now = utcnow()
    context: dict[str, Any] = {
        "game": game,
        "state": state,
        "player": player,
        "shapes": SHAPES,
        "seconds_left": _whole(state.seconds_left(now)),
    }
    if state.phase in (core.QUESTION, core.REVEAL):
        question = games.question_at(game, state.position)
        context["question"] = question
        context["own"] = results.own_answer(player.id, state.position)
        if state.phase == core.QUESTION and context["own"] is None:
            form = LiveAnswerForm(formdata=None, position=state.position)
            context["form"] = form
    if state.phase in (core.LEADERBOARD, core.END, core.REVEAL):
        context["standing"] = results.standing_of(game.id, player.id)
    if state.phase == core.END:
        context["podium"] = core.podium(results.standings(game.id))
    return context


@bp.route("/live/<pin>/play")
def play(pin: str):
    """A player's page: where the game is, and the answer buttons while a question is open
    (the whole page, or its stage alone with `?stage=1`)."""
    game = _game_for_player(pin)
    player = _player_of(game)
    if player is None:
        return redirect(url_for("live.join_link", pin=pin))
    if _time_is_up(game) and games.reveal_if_due(game.id, game.position):
        db.session.refresh(game)
    template = "live/_play_stage.html" if request.args.get("stage") else "live/play.html"
    return render_template(template, **play_context(game, player))


@bp.route("/live/games/<int:game_id>/play")
@login_required
def game_player(game_id: int):
    """The game a learner's live attempt belongs to (the quiz pages send them here)."""
    game = db.session.get(LiveGame, game_id)
    if game is None:
        abort(404)
    return redirect(url_for("live.play", pin=game.pin))


@bp.route("/live/<pin>/answer", methods=["POST"])
def answer(pin: str):
    """A player's answer (PRG back to the game page, which says what became of it)."""
    game = _game_for_player(pin)
    player = _player_of(game)
    if player is None:
        return redirect(url_for("live.join_link", pin=pin))
    form = LiveAnswerForm()
    if not form.validate_on_submit():
        flash(_("Choose or type an answer."), "error")
        return redirect(url_for("live.play", pin=pin))
    message = None
    try:
        receipt = players.answer(
            game.id, player.id, form.position.data, form.answer.data.strip(), _viewer()
        )
    except games.LiveError as error:
        message = (str(error), "error")
    else:
        if not receipt.first:
            message = (
                _("You had already answered this question; your first answer counts."),
                "info",
            )
    if request.headers.get("X-Live-Stage"):
        # live.js: the new stage at once, with what became of the answer (no redirect).
        db.session.refresh(game)
        db.session.refresh(player)
        return render_template(
            "live/_play_stage.html", message=message, **play_context(game, player)
        )
    if message:
        flash(*message)
    return redirect(url_for("live.play", pin=pin))
