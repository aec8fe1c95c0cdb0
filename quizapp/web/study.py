"""Study views: a bank's sources as the learner reads them, every fact's evidence marked, and
its timeline; "ask me this" starts a one-question quiz of one fact (POST, CSRF, PRG)."""

from __future__ import annotations

from collections.abc import Callable

from babel import dates as babel_dates
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from markupsafe import Markup, escape
from wtforms import SelectField

from quizapp.core.evidence_marks import Fragment, Node
from quizapp.core.timeline import When
from quizapp.core.values import PartialDate
from quizapp.extensions import db
from quizapp.services import attempts, study
from quizapp.web.fields import AppForm
from quizapp.web.forms import TYPE_NAMES
from quizapp.web.i18n import current_language
from quizapp.web.numbers import whole_number
from quizapp.web.quiz.limits import start_limit

bp = Blueprint("study", __name__)


class AskForm(AppForm):
    """ "Ask me this": the question type to ask a fact as (one of the fact's forms)."""

    question_type = SelectField(choices=[])


def _language_for(slug: str) -> str:
    """The bank's language to open first: the interface's if the bank has it, else its first."""
    bank = study.study_bank(current_user, slug)
    return current_language() if current_language() in bank.languages else bank.languages[0]


@bp.route("/banks/<slug>/read")
@login_required
def read_any(slug: str):
    """The reader in the learner's language (or the bank's first)."""
    return redirect(url_for("study.read", slug=slug, language=_language_for(slug)))


@bp.route("/banks/<slug>/read/<language>")
@login_required
def read(slug: str, language: str):
    """The bank's sources in one language, every fact's evidence marked; `?fact=<id>` opens
    that fact's panel (the fact, its question forms, the learner's memory of it) under its
    passage. A fact that is not in this reader is a 404."""
    reader = study.reader(current_user, slug, language)
    selected = None
    raw = request.args.get("fact")
    if raw is not None:
        fact_id = whole_number(raw, low=1)
        selected = reader.facts.get(fact_id) if fact_id is not None else None
        if selected is None:
            abort(404)
    return render_template(
        "study/reader.html",
        reader=reader,
        selected=selected,
        panel=_panel(reader, selected) if selected else None,
        passage_html=lambda passage: passage_html(
            passage.marks,
            passage.passage.text,
            {item.id: item for item in passage.facts},
            selected.id if selected else None,
            lambda fact_id: url_for(
                "study.read",
                slug=slug,
                language=language,
                fact=fact_id,
                _anchor="fact-panel",
            ),
        ),
        other_languages=[code for code in reader.bank.languages if code != language],
    )


def _panel(reader: study.Reader, selected: study.ReaderFact) -> dict:
    """What the selected fact's panel shows besides the fact: the ask form, the same topic in
    the bank's other languages, and the learner's memory of the fact."""
    form = AskForm(formdata=None)
    others = study.same_topic(reader.bank, selected.fact)
    return {
        "form": form,
        "others": others,
        "memory": study.memory_of(current_user, selected.id),
    }


@bp.route("/banks/<slug>/read/<language>/facts/<int:fact_id>/ask", methods=["POST"])
@login_required
@start_limit  # like a quiz's start, each ask freezes a question into a new attempt
def ask(slug: str, language: str, fact_id: int):
    """Start a one-question quiz of the fact in the chosen form, then show its question (PRG).

    A bank or fact the learner may not read is a 404; a form that does not validate (no CSRF
    token, a type the fact cannot be asked as) a 400."""
    reader = study.reader(current_user, slug, language)
    item = reader.facts.get(fact_id)
    if item is None:
        abort(404)
    form = AskForm()
    form.question_type.choices = [(name, TYPE_NAMES.get(name, name)) for name in item.forms]
    if not form.validate_on_submit():
        abort(400)
    try:
        attempt = study.ask_fact(current_user, slug, language, fact_id, form.question_type.data)
    except attempts.QuizError as error:
        flash(str(error), "error")
        return redirect(
            url_for("study.read", slug=slug, language=language, fact=fact_id, _anchor="fact-panel")
        )
    db.session.commit()
    return redirect(url_for("quiz.question", attempt_id=attempt.id, position=1))


@bp.route("/banks/<slug>/timeline")
@login_required
def timeline_any(slug: str):
    """The timeline in the learner's language (or the bank's first)."""
    return redirect(url_for("study.timeline", slug=slug, language=_language_for(slug)))


@bp.route("/banks/<slug>/timeline/<language>")
@login_required
def timeline(slug: str, language: str):
    """The bank's dated facts in time order in one language, each linked to its passage in
    the reader, each event linked to the same topic in the bank's other languages."""
    view = study.timeline_of(current_user, slug, language)
    return render_template(
        "study/timeline.html",
        view=view,
        language=language,
        other_languages=[code for code in view.bank.languages if code != language],
        when_text=when_text,
        capitalised=capitalised,
    )


# How precise a date is -> the CLDR skeleton that writes it (babel picks each language's order).
_SKELETONS = {0: "y", 1: "yMMMM", 2: "yMMMMd"}


def when_text(when: When, language: str) -> str:
    """A timeline time written in `language`: "1940", "November 1940", "23 de noviembre de
    1940"; a range as an interval ("mayo–junio de 1940"), at the coarser end's precision."""

    def precision(date: PartialDate) -> int:
        return 0 if date.month is None else 1 if date.day is None else 2

    if when.end is None:
        skeleton = _SKELETONS[precision(when.start)]
        return babel_dates.format_skeleton(skeleton, when.first_day, locale=language)
    skeleton = _SKELETONS[min(precision(when.start), precision(when.end))]
    return babel_dates.format_interval(when.first_day, when.last_day, skeleton, locale=language)


def capitalised(text: str) -> str:
    """The text with its first letter in upper case (labels are written as phrases)."""
    return text[:1].upper() + text[1:]


def passage_html(
    nodes: tuple[Node, ...],
    text: str,
    facts: dict[int, study.ReaderFact],
    selected: int | None,
    href: Callable[[int], str],
) -> Markup:
    """A passage's text, escaped, its evidence in nested <mark>s (`core.evidence_marks`).

    A mark's first fragment carries the anchor `evidence-<id>` of each of its facts; its last
    is followed by a numbered link per fact that opens the fact's panel. The selected fact's
    mark is marked `selected`. Line breaks in the passage become <br>.
    """

    def words(start: int, end: int) -> Markup:
        lines = text[start:end].split("\n")
        return Markup("<br>").join(escape(line) for line in lines)

    def render(node: Node) -> Markup:
        if not isinstance(node, Fragment):
            return words(node.start, node.end)
        ids = [int(key) for key in node.mark.keys]
        classes = "evidence" + (" selected" if selected in ids else "")
        anchors = Markup("")
        attributes = Markup(' class="{}" data-facts="{}"').format(classes, " ".join(map(str, ids)))
        if node.first:
            attributes += Markup(' id="evidence-{}"').format(ids[0])
            anchors = Markup("").join(
                Markup('<span id="evidence-{}"></span>').format(i) for i in ids[1:]
            )
        inner = Markup("").join(render(child) for child in node.children)
        html = Markup("<mark{}>{}{}</mark>").format(attributes, anchors, inner)
        if node.last:
            html += Markup("").join(_reference(facts[i], i == selected, href) for i in ids)
        return html

    return Markup("").join(render(node) for node in nodes)


def _reference(item: study.ReaderFact, selected: bool, href: Callable[[int], str]) -> Markup:
    """The numbered link after a fact's evidence that opens its panel."""
    label = _("Fact %(n)s: %(statement)s", n=item.number, statement=item.fact.statement)
    current = Markup(' aria-current="true"') if selected else Markup("")
    return Markup('<a class="fact-ref" href="{}" data-fact="{}" aria-label="{}"{}>{}</a>').format(
        href(item.id), item.id, label, current, item.number
    )
