"""The evidence marked in a source page's passage when the page is opened from a question's
feedback (`?attempt=&q=[&part=]`) or from a teacher's report (`?fact=[&class=]`).

Not a view: `linked_evidence` is a template global of the source page (blueprint `sources`),
installed by `web.setup`. It reads the request and checks who may see what, then writes the
passage's lines with the evidence in <mark>.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup, escape

from quizapp.extensions import db
from quizapp.models import Fact, Passage, SchoolClass, Source
from quizapp.services import attempts, classes, permissions
from quizapp.web.numbers import whole_number


@dataclass(frozen=True)
class EvidenceMark:
    """A source page opened from a question's feedback: the passage to mark, its lines with
    the evidence in <mark>, and the way back to the question."""

    anchor: str
    lines: list[Markup]
    back_url: str | None
    back_label: str


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
