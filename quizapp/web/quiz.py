"""Taking a quiz: home, start, one question per page with feedback, finish, review."""

from __future__ import annotations

import datetime as dt
import math
import time
from collections import Counter
from dataclasses import dataclass

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_login import current_user, login_required
from itsdangerous import BadSignature, Signer
from markupsafe import Markup, escape

from quizapp.core import results
from quizapp.core.question_types import TYPES, Question
from quizapp.extensions import db, limiter
from quizapp.models import Bank, Fact, Passage, SchoolClass, Source
from quizapp.services import (
    assignment_lists,
    assignment_windows,
    attempt_modes,
    attempts,
    banks,
    class_lists,
    classes,
    permissions,
)
from quizapp.web import formatting
from quizapp.web.assignment_forms import ASSIGNMENT_STATES
from quizapp.web.class_forms import JoinForm
from quizapp.web.forms import (
    LANGUAGE_NAMES,
    TYPE_NAMES,
    EmptyForm,
    StartQuizForm,
    answer_form,
    answer_from,
    start_form_class,
    type_field_name,
)
from quizapp.web.i18n import current_language
from quizapp.web.numbers import whole_number

bp = Blueprint("quiz", __name__)


def _start_form(
    bank: Bank, offer: dict[str, list[str]], formdata=None, **meta: bool
) -> StartQuizForm:
    """The bank's start form: from `formdata` (a POST or the settings being changed) or, with
    none, with its defaults (every type the bank can make in each language ticked)."""
    defaults = {type_field_name(code): list(types) for code, types in offer.items()}
    form_class = start_form_class(tuple(offer))
    form = form_class(formdata=formdata, prefix=f"b{bank.id}", meta=meta or None, **defaults)
    form.set_choices(offer)
    if formdata is not None:
        # Only the chosen language's ticks were sent: the other languages keep their defaults.
        chosen = formdata.get(form.language.name)
        for code, field in form.type_fields():
            if code != chosen and field.name not in formdata:
                field.data = list(offer[code])
    elif current_language() in offer:
        # Offer quizzes in the interface's language first.
        form.language.data = current_language()
    return form


def _viewer():
    """The logged-in user, or None for a visitor."""
    return current_user if current_user.is_authenticated else None


def _listing(failed: StartQuizForm | None = None, failed_bank: Bank | None = None) -> list:
    """(bank, content in all, content per offered language, offer, start form) for each bank
    offered, where content counts facts and hand-written questions (`banks.Content`).

    Every form shows its defaults, or the learner's choices being changed (from the query
    string); a form that failed shows what was sent and its errors. A failed start on one bank
    never touches the other banks' forms.
    """
    offered = banks.offered_banks(_viewer())
    contents = banks.content_by_language([bank.id for bank, _count, _offer in offered])
    listed = []
    for bank, _count, offer in offered:
        if failed is not None and failed_bank is not None and bank.id == failed_bank.id:
            form = failed
        elif any(key.startswith(f"b{bank.id}-") for key in request.args):
            form = _start_form(bank, offer, request.args, csrf=False)
        else:
            form = _start_form(bank, offer)
        per_language = contents.get(bank.id, {})
        total = sum(per_language.values(), banks.Content())
        offered_content = {c: per_language.get(c, banks.Content()) for c in offer}
        listed.append((bank, total, offered_content, offer, form))
    return listed


@bp.route("/")
def home():
    """The banks that can make a quiz, a start form for each, any attempt to resume, and the
    classes the user is a learner in (with a form to join one)."""
    return _render_home(_listing())


def _render_home(listed: list):
    """The home page with these bank listings (and their forms)."""
    logged_in = current_user.is_authenticated
    return render_template(
        "quiz/home.html",
        banks=listed,
        unfinished=attempts.unfinished_attempts(current_user) if logged_in else [],
        joined=class_lists.joined_classes(current_user) if logged_in else [],
        join_form=JoinForm(formdata=None),
        assigned=assignment_lists.learner_assignments(current_user) if logged_in else [],
        state_names=ASSIGNMENT_STATES,
    )


def _settings(form: StartQuizForm, bank: Bank, seed: int | None = None) -> dict[str, object]:
    """The form's choices as request arguments, to carry them to another page."""
    prefix = f"b{bank.id}-"
    language = form.language.data
    settings: dict[str, object] = {
        f"{prefix}language": language,
        f"{prefix}count": form.count.data,
        f"{prefix}time_limit": form.time_limit.data or 0,
        f"{prefix}{type_field_name(language)}": form.chosen_types(),
    }
    if seed is not None:
        settings[f"{prefix}seed"] = seed
    return settings


def _learner_key() -> str:
    # The account id, not get_id(): that changes at every logout and would reset the count.
    # The JSON API's requests count for the token's user (`web.api.access`), under this key.
    user = g.get("api_user") or current_user
    return f"learner:{user.id}"


# Each start (and each practice) freezes a question set in the database: a loop of starts must
# not fill it. One shared limit per learner: every route that starts something (pages and the
# JSON API) counts in the same scope.
start_limit = limiter.shared_limit(
    lambda: current_app.config["RATELIMIT_START"],
    scope="starts",
    methods=["POST"],
    key_func=_learner_key,
    error_message=lambda: _(
        "You started too many quizzes in a short time; wait a minute before starting another."
    ),
)


@bp.route("/banks/<slug>/start", methods=["POST"])
@login_required
@start_limit
def start(slug: str):
    """Start a new attempt with its own frozen question set.

    When the bank cannot give the set as asked, nothing is stored: the learner is sent to a
    page that says what the bank can give (`confirm`), from which they may start that set.
    """
    bank = db.session.scalar(db.select(Bank).where(Bank.slug == slug))
    if bank is None or not permissions.can_take(current_user, bank):
        abort(404)
    offer = banks.offered_types(bank)
    if not offer:
        flash(_("This bank cannot make a quiz yet."), "error")
        return redirect(url_for("quiz.home"))
    form = _start_form(bank, offer, request.form)
    if form.validate_on_submit():
        try:
            attempt = attempts.start_attempt(
                current_user,
                bank,
                form.language.data,
                form.count.data,
                form.chosen_types(),
                seed=form.seed.data,
                time_limit_minutes=form.time_limit.data or None,
                accepted=form.accept.data or None,
            )
        except attempts.QuizShortfall as shortfall:
            settings = _settings(form, bank, shortfall.seed)
            return redirect(url_for("quiz.confirm", slug=slug, **settings))
        except attempts.QuizError as error:
            flash(str(error), "error")
        else:
            db.session.commit()
            return redirect(url_for("quiz.question", attempt_id=attempt.id, position=1))
    return _render_home(_listing(failed=form, failed_bank=bank)), 400


@bp.route("/banks/<slug>/confirm")
@login_required
def confirm(slug: str):
    """What the bank can give for the settings in the query string, and the choice to start it.

    The settings are read and checked again like a start form's, and the set is drawn again
    from them; the page carries them in its forms (start with this set, or change them).
    """
    bank = db.session.scalar(db.select(Bank).where(Bank.slug == slug))
    if bank is None or not permissions.can_take(current_user, bank):
        abort(404)
    offer = banks.offered_types(bank)
    form = _start_form(bank, offer, request.args, csrf=False)
    if not offer or not form.validate() or form.seed.data is None:
        return redirect(url_for("quiz.home", _anchor=f"bank-{bank.id}"))
    try:
        plan = attempts.plan_set(
            bank, form.language.data, form.count.data, form.chosen_types(), form.seed.data
        )
    except attempts.QuizError as error:
        flash(str(error), "error")
        return redirect(url_for("quiz.home", **_settings(form, bank), _anchor=f"bank-{bank.id}"))
    return render_template(
        "quiz/confirm.html",
        bank=bank,
        plan=plan,
        lines=shortfall_lines(plan),
        settings=_settings(form, bank, form.seed.data),
        change=_settings(form, bank),
        accept_name=f"b{bank.id}-accept",
    )


def shortfall_lines(plan) -> list[str]:
    """The announcement of a set that differs from the request, in the learner's language."""
    language = LANGUAGE_NAMES.get(plan.language, plan.language)
    lines = []
    for type_name in plan.short_types():
        values = {
            "type": TYPE_NAMES.get(type_name, type_name),
            "num": plan.capacity.get(type_name, 0),
            "asked": plan.requested[type_name],
            "language": language,
        }
        if values["num"] < values["asked"]:
            lines.append(
                _(
                    "This bank can make %(num)d questions of the type “%(type)s” in "
                    "%(language)s; you asked for %(asked)d.",
                    **values,
                )
            )
        else:
            values["num"] = plan.planned.get(type_name, 0)
            lines.append(
                _(
                    "Only %(num)d questions of the type “%(type)s” fit in one quiz with the "
                    "rest of your choices; you asked for %(asked)d.",
                    **values,
                )
            )
    parts = ", ".join(f"{TYPE_NAMES.get(t, t)}: {n}" for t, n in plan.planned.items() if n > 0)
    if plan.total != plan.count:
        lines.append(
            _(
                "Your quiz would have %(total)d questions instead of %(count)d (%(parts)s).",
                total=plan.total,
                count=plan.count,
                parts=parts,
            )
        )
    else:
        lines.append(
            _(
                "Your quiz would have %(total)d questions (%(parts)s).",
                total=plan.total,
                parts=parts,
            )
        )
    return lines


def _owned_attempt(attempt_id: int, write: bool = False):
    attempt = attempts.attempt_for(current_user, attempt_id, write=write)
    if attempt is None:
        abort(404)
    return attempt


# Only wrong answers count, so that guessing answers by brute force is slowed down; the pages
# and the JSON API share the count.
wrong_answer_limit = limiter.shared_limit(
    lambda: current_app.config["RATELIMIT_WRONG_ANSWERS"],
    scope="wrong-answers",
    methods=["POST"],
    key_func=_learner_key,
    deduct_when=lambda response: bool(g.get("wrong_answer")),
    error_message=lambda: _(
        "Too many wrong answers in a short time; wait a minute before answering again."
    ),
)


@bp.route("/attempts/<int:attempt_id>/q/<int:position>", methods=["GET", "POST"])
@login_required
@wrong_answer_limit
def question(attempt_id: int, position: int):
    """Show a question; on POST check and store the answer, then show its feedback (PRG).

    One query reads the attempt, the item and any stored answer; showing a question writes
    nothing (the time it was shown travels, signed, in the answer form), and an answer is one
    short write transaction.
    """
    page = attempts.question_page(current_user, attempt_id, position)
    if page is None:
        abort(404)
    if page.attempt.live_game is not None and page.attempt.finished_at is None:
        # A live game's questions are answered in the game, at the teacher's pace.
        return redirect(url_for("live.game_player", game_id=page.attempt.live_game))
    question = attempts.frozen_question(page.item)
    if page.response is None and page.attempt.finished_at is None:
        form = answer_form(question)
        if request.method == "POST" and form.validate_on_submit():
            try:
                outcome = attempts.record_answer(
                    current_user,
                    attempt_id,
                    position,
                    answer_from(form, question),
                    shown_at=_shown_at(form.shown.data, page.item.id),
                    page=page,
                    question=question,
                )
            except attempts.QuizError as error:
                if attempts.deadline_passed(page.attempt):
                    return _time_is_up(attempt_id, str(error))
                flash(str(error), "error")
            else:
                g.wrong_answer = outcome.first and not outcome.response.correct
                if attempts.deadline_passed(page.attempt):
                    # Sent at zero (by the page itself) within the grace: counted, then closed.
                    return _time_is_up(
                        attempt_id, _("Time is up: your answer was submitted and counted.")
                    )
            return redirect(url_for("quiz.question", attempt_id=attempt_id, position=position))
        if attempts.deadline_passed(page.attempt):
            if request.method == "POST":
                message = _("Time is up: this question had no complete answer and scores 0.")
            else:
                message = _("Time is up: answers can no longer be given.")
            return _time_is_up(attempt_id, message)
        if not form.shown.data:
            form.shown.data = _shown_token(page.item.id)
        time_left = attempts.time_left(page.attempt)
        return render_template(
            "quiz/question.html",
            attempt=page.attempt,
            item=page.item,
            question=question,
            form=form,
            template=TYPES[question.type].template,
            total=page.total,
            nav=attempts.attempt_map(current_user, attempt_id),
            tolerance=numeric_tolerance(question),
            time_left=time_left,
            # Rounded up, so that the page's countdown reaches zero at or just after the deadline.
            seconds_left=None if time_left is None else math.ceil(time_left.total_seconds()),
        ), (400 if form.errors else 200)
    if request.method == "POST":
        if page.response is None:
            flash(_("This attempt is finished; its answers can no longer change."), "error")
        else:
            # A second answer (double click, replay, back button): the first one stands.
            flash(_("This question was already answered; your first answer is kept."), "info")
        return redirect(url_for("quiz.question", attempt_id=attempt_id, position=position))
    finished = page.attempt.finished_at is not None
    if not assignment_windows.review_open(page.attempt.assignment_id, current_user.id, finished):
        return render_template(
            "quiz/recorded.html",
            attempt=page.attempt,
            item=page.item,
            question=question,
            total=page.total,
            next_position=page.next_position,
            nav=attempts.attempt_map(current_user, attempt_id),
            review_note=_review_note(page.attempt.assignment_id, finished),
        )
    return render_template(
        "quiz/feedback.html",
        attempt=page.attempt,
        item=page.item,
        question=question,
        response=page.response,
        total=page.total,
        next_position=page.next_position,
        nav=attempts.attempt_map(current_user, attempt_id),
        # Words of the passage that answer questions still to come are hidden until answered.
        pending=attempts.pending_answers(page),
    )


def numeric_tolerance(question: Question) -> str | None:
    """How far from the right number an answer may be and still count, in the interface
    language ("5", "0,5"), for a numeric question with a tolerance; None otherwise.

    A hand-written question gives ranges per answer: its best answer's half-width is shown.
    """
    if question.type != "numeric":
        return None
    tolerance = question.tolerance
    if question.numeric_answers:
        best = max(question.numeric_answers, key=lambda answer: answer["weight"])
        tolerance = (best["high"] - best["low"]) / 2
    return format_decimal(tolerance) if tolerance > 0 else None


def _wants_json() -> bool:
    """Whether the request comes from a page's script asking for JSON (not a form's POST)."""
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return best == "application/json"


@bp.route("/attempts/<int:attempt_id>/q/<int:position>/flag", methods=["POST"])
@login_required
def flag(attempt_id: int, position: int):
    """Flag a question for review or remove its flag (`flagged` is "1" or "0").

    A form's POST is redirected back to the question (PRG); the page's script asks for JSON
    and changes the page in place. The form names the state it wants, so a second click or a
    replayed POST never undoes the first.
    """
    wanted = request.form.get("flagged")
    if wanted not in ("0", "1"):
        abort(400)
    flagged = wanted == "1"
    try:
        attempts.set_flag(current_user, attempt_id, position, flagged)
    except LookupError:
        abort(404)
    except attempts.QuizError as error:
        if _wants_json():
            return {"error": str(error)}, 409
        attempt = _owned_attempt(attempt_id, write=True)
        if attempts.deadline_passed(attempt):
            return _time_is_up(attempt_id, str(error))
        flash(str(error), "error")
        return redirect(url_for("quiz.question", attempt_id=attempt_id, position=position))
    db.session.commit()
    if flagged:
        message = _("Question %(n)s is flagged for review.", n=position)
    else:
        message = _("Question %(n)s is no longer flagged.", n=position)
    if _wants_json():
        return {"flagged": flagged, "position": position, "message": message}
    flash(message, "info")
    return redirect(url_for("quiz.question", attempt_id=attempt_id, position=position))


def _time_is_up(attempt_id: int, message: str):
    """Close a timed attempt whose deadline has passed and show its results with `message`."""
    attempts.close_attempt(current_user, attempt_id)
    db.session.commit()
    flash(message, "info")
    return redirect(url_for("quiz.review", attempt_id=attempt_id))


def _shown_signer() -> Signer:
    return Signer(current_app.secret_key, salt="quizapp.question-shown")


def _shown_token(item_id: int) -> str:
    """`<item id>.<milliseconds since the epoch>`, signed: when this question page was shown."""
    return _shown_signer().sign(f"{item_id}.{time.time_ns() // 1_000_000}").decode()


def _shown_at(token: str | None, item_id: int) -> dt.datetime | None:
    """The time a page for this item was shown, from its signed token (None if not valid)."""
    if not token:
        return None
    try:
        value = _shown_signer().unsign(token).decode()
    except BadSignature:
        return None
    shown_item, _dot, millis = value.partition(".")
    if shown_item != str(item_id) or not (millis.isascii() and millis.isdigit()):
        return None
    return dt.datetime.fromtimestamp(int(millis) / 1000, dt.UTC).replace(tzinfo=None)


def _confirm_finish(attempt_id: int):
    """The step before finishing early: how many questions are unanswered or flagged, the
    button that finishes, and the way back to the question the learner came from (`from`)."""
    nav = attempts.attempt_map(current_user, attempt_id)
    if nav is None:
        abort(404)
    if nav.attempt.finished_at is not None:
        return redirect(url_for("quiz.review", attempt_id=attempt_id))
    if attempts.deadline_passed(nav.attempt):
        return _time_is_up(attempt_id, _("Time is up: answers can no longer be given."))
    back = whole_number(request.args.get("from"), 1, nav.total) or nav.next_unanswered or 1
    return render_template(
        "quiz/finish.html",
        attempt=nav.attempt,
        nav=nav,
        back=back,
        time_left=attempts.time_left(nav.attempt),
    )


# One rule for both methods: with a GET rule and a POST rule on one path, Werkzeug answers 405
# instead of 404 for an id its converter refuses (it notes the other rule's method first).
@bp.route("/attempts/<int:attempt_id>/finish", methods=["GET", "POST"])
@login_required
def finish(attempt_id: int):
    """GET: the confirmation before finishing early. POST: close the attempt, show results."""
    if request.method == "GET":
        return _confirm_finish(attempt_id)
    _owned_attempt(attempt_id, write=True)
    form = EmptyForm()
    if form.validate_on_submit():
        attempts.finish_attempt(current_user, attempt_id)
        db.session.commit()
    return redirect(url_for("quiz.review", attempt_id=attempt_id))


@bp.route("/attempts/<int:attempt_id>")
@login_required
def review(attempt_id: int):
    """The results of an attempt, or the way back into it when it is still open.

    A summary comes first (score, time, a grid of every question's outcome, how each question
    type and each topic went, and what to do next), then each question in detail.
    """
    attempt = _owned_attempt(attempt_id)
    own = attempt.user_id == current_user.id
    if attempt.finished_at is None and own:
        position = attempts.next_unanswered(attempt)
        if position is not None:
            return redirect(url_for("quiz.question", attempt_id=attempt.id, position=position))
    finished = attempt.finished_at is not None
    if own and not assignment_windows.review_open(attempt.assignment_id, current_user.id, finished):
        return render_template(
            "quiz/attempt_recorded.html",
            attempt=attempt,
            assignment=attempt.assignment,
            review_note=_review_note(attempt.assignment_id, finished),
        )
    answers = attempts.answers_of(attempt)
    rows = [
        (item, answer.question, item.response)
        for item, answer in zip(attempt.items, answers, strict=True)
    ]
    offered = own and finished and permissions.can_take(current_user, attempt.bank)
    grid = [
        (item.position, results.outcome(answer))
        for item, answer in zip(attempt.items, answers, strict=True)
    ]
    return render_template(
        "quiz/review.html",
        attempt=attempt,
        rows=rows,
        grid=grid,
        counts=Counter(outcome for _position, outcome in grid),
        by_type=attempts.type_breakdown(attempt.id) if finished else [],
        by_topic=results.topic_breakdown(answers) if finished else [],
        missed=len(attempts.missed_in(answers)) if offered else 0,
        offered=offered,
        # An assignment's settings are the teacher's: a quiz of one's own is started from home.
        same_settings=_same_settings(attempt) if offered and not attempt.assignment_id else None,
        duration=attempts.duration(attempt),
        practice_session=attempt_modes.is_practice(attempt),
        finish_form=EmptyForm(),
        action_form=EmptyForm(),
    )


def _review_note(assignment_id: int | None, finished: bool) -> str:
    """When the learner will see right answers and sources of an assignment's attempt."""
    opens = assignment_windows.review_opens_for(assignment_id, current_user.id)
    if opens is not None:
        return _(
            "Right answers and sources are shown once the assignment closes, %(when)s.",
            when=formatting.when(opens),
        )
    if not finished:
        return _("Right answers and sources are shown once you finish the attempt.")
    return _("Right answers and sources are shown once the assignment closes.")


def _same_settings(attempt) -> dict[str, object] | None:
    """The start form's fields for a new quiz like this attempt (bank, language, count, types,
    time limit), or None when its settings do not say them (attempts of older versions)."""
    settings = attempt.settings or {}
    if "count" not in settings or not settings.get("types"):
        return None
    prefix = f"b{attempt.bank_id}-"
    return {
        f"{prefix}language": attempt.language,
        f"{prefix}count": settings["count"],
        f"{prefix}time_limit": settings.get("time_limit_minutes") or 0,
        f"{prefix}{type_field_name(attempt.language)}": list(settings["types"]),
    }


@bp.route("/attempts/<int:attempt_id>/practise", methods=["POST"])
@login_required
@start_limit  # like a start, each practice freezes a question set
def practise(attempt_id: int):
    """Start a new attempt on the facts missed in this one, asked in other forms (PRG)."""
    form = EmptyForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        practice = attempts.practise_missed(current_user, attempt_id)
    except attempts.NothingMissed as nothing:
        flash(str(nothing), "info")
    except attempts.QuizError as error:
        flash(str(error), "error")
    else:
        db.session.commit()
        return redirect(url_for("quiz.question", attempt_id=practice.id, position=1))
    return redirect(url_for("quiz.review", attempt_id=attempt_id))


@bp.route("/attempts/<int:attempt_id>/discard", methods=["POST"])
@login_required
def discard(attempt_id: int):
    """Discard one of the learner's own unfinished attempts, then go home (PRG)."""
    form = EmptyForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        attempts.discard_attempt(current_user, attempt_id)
    except attempts.QuizError as error:
        flash(str(error), "error")
    else:
        db.session.commit()
        flash(_("The unfinished attempt was discarded."), "success")
    return redirect(url_for("quiz.home"))


@dataclass(frozen=True)
class EvidenceMark:
    """A source page opened from a question's feedback: the passage to mark, its lines with
    the evidence in <mark>, and the way back to the question."""

    anchor: str
    lines: list[Markup]
    back_url: str | None
    back_label: str


@bp.app_template_global()
def linked_evidence(source: Source) -> EvidenceMark | None:
    """What a source page marks when opened from feedback (`?attempt=&q=[&part=]`).

    The page reads the evidence from the attempt's frozen question (never offsets from the
    URL), so only what the question really cites is marked, and only for a reader of that
    attempt. A global for the source page's template, which another blueprint renders.
    """
    if not current_user.is_authenticated:
        return None
    if "fact" in request.args and "attempt" not in request.args:
        return _fact_evidence(source)
    attempt_id = whole_number(request.args.get("attempt"), low=1)
    position = whole_number(request.args.get("q"), low=1)
    raw_part = request.args.get("part")
    part = whole_number(raw_part) if raw_part is not None else None
    if attempt_id is None or position is None or (raw_part is not None and part is None):
        return None
    link = attempts.linked_evidence(current_user, attempt_id, position, part)
    if link is None or link.source.get("document") != source.slug:
        return None
    anchor = str(link.source["passage_id"]).split("#", 1)[-1]
    passage = next((p for p in source.passages if p.anchor == anchor), None)
    if passage is None:
        return None
    if link.own:
        back_url = url_for("quiz.question", attempt_id=attempt_id, position=position)
        back_label = _("Back to question %(n)s", n=position)
    else:
        back_url = url_for("quiz.review", attempt_id=attempt_id)
        back_label = _("Back to the attempt's results")
    span = _evidence_span(passage, link.source)
    return EvidenceMark(anchor, _marked_lines(passage.text, span), back_url, back_label)


def _fact_evidence(source: Source) -> EvidenceMark | None:
    """A fact's evidence marked in its passage (`?fact=<id>[&class=<id>]`), for a teacher who
    may see the fact's bank in the teachers' area (as its fact page): the class report of what
    a class is forgetting links here. The way back leads to that report when the reader
    teaches the class named."""
    fact_id = whole_number(request.args.get("fact"), low=1)
    fact = db.session.get(Fact, fact_id) if fact_id is not None else None
    if fact is None or fact.passage.source_id != source.id:
        return None
    if not current_user.is_teacher or not permissions.can_view(current_user, source.bank):
        return None
    passage = fact.passage
    start, end = fact.evidence_start, fact.evidence_end
    if passage.text[start:end] != fact.evidence_text:
        found = passage.text.find(fact.evidence_text)
        start, end = (found, found + len(fact.evidence_text)) if found >= 0 else (0, 0)
    span = (start, end) if end > start else None
    back_url, back_label = None, ""
    class_id = whole_number(request.args.get("class"), low=1)
    if class_id is not None:
        school_class = db.session.get(SchoolClass, class_id)
        if school_class is not None and classes.teaches(current_user, school_class):
            back_url = url_for("class_memory.show", class_id=class_id)
            back_label = _("Back to what the class is forgetting")
    return EvidenceMark(passage.anchor, _marked_lines(passage.text, span), back_url, back_label)


def _evidence_span(passage: Passage, frozen: dict) -> tuple[int, int] | None:
    """Where the frozen evidence stands in the passage as it is now: the frozen offsets while
    the passage is unchanged, else wherever the evidence's words still stand (None if gone)."""
    start, end = int(frozen.get("evidence_start", 0)), int(frozen.get("evidence_end", 0))
    text = str(frozen.get("passage_text", ""))
    if not 0 <= start < end <= len(text):
        return None
    if passage.text == text:
        return start, end
    found = passage.text.find(text[start:end])
    return (found, found + end - start) if found >= 0 else None


def _marked_lines(text: str, span: tuple[int, int] | None) -> list[Markup]:
    """The passage's lines, escaped, with the part of each inside `span` wrapped in <mark>."""
    lines: list[Markup] = []
    offset = 0
    for line in text.split("\n"):
        low, high = offset, offset + len(line)
        offset = high + 1
        if span is None or span[1] <= low or span[0] >= high:
            lines.append(escape(line))
            continue
        left, right = max(span[0], low) - low, min(span[1], high) - low
        lines.append(
            Markup("{}<mark>{}</mark>{}").format(line[:left], line[left:right], line[right:])
        )
    return lines
