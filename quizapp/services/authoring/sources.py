"""Authoring sources: a source's text split into passages with ids (`{#id}` lines kept), added
or replaced; a replaced text keeps the facts whose evidence still stands in it (moving their
offsets if needed) and flags the others for review (`SourceEditReport`)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from flask_babel import gettext as _

from quizapp.core.passages import ANCHOR
from quizapp.extensions import db
from quizapp.models import Bank, Fact, Passage, Source, User
from quizapp.services import permissions
from quizapp.services.authoring.banks import slugify, touch
from quizapp.services.authoring.errors import AuthoringError


def split_with_anchors(body: str, taken: set[str] | None = None) -> list[tuple[str, str]]:
    """Passages of a text as (anchor, text): `{#id}` lines are kept, new blocks get new ids."""
    from quizapp.core.passages import _blocks  # the same block rule as bank files

    taken = set(taken or ())
    numbers = [int(a[1:]) for a in taken if re.fullmatch(r"p\d+", a)]
    next_number = max(numbers, default=0) + 1
    passages: list[tuple[str, str]] = []
    seen: set[str] = set()
    problems: list[str] = []
    for line, lines in _blocks(body.replace("\r\n", "\n"), 1):
        match = ANCHOR.match(lines[0].strip())
        if match:
            anchor, text = match.group(1), "\n".join(lines[1:]).strip()
        else:
            anchor, text = "", "\n".join(lines).strip()
        if not text:
            continue
        if not anchor:
            while f"p{next_number}" in taken or f"p{next_number}" in seen:
                next_number += 1
            anchor = f"p{next_number}"
            next_number += 1
        if anchor in seen:
            problems.append(
                _("Line %(line)s: the passage id %(id)s is used twice.", line=line, id=anchor)
            )
            continue
        seen.add(anchor)
        passages.append((anchor, text))
    if problems:
        raise AuthoringError(problems)
    if not passages:
        raise AuthoringError([_("The text is empty.")])
    return passages


def anchored_text(source: Source) -> str:
    """A source's text for editing, each passage under its `{#id}` line."""
    return "\n\n".join(f"{{#{p.anchor}}}\n{p.text}" for p in source.passages)


def _unique_source_slug(base: str) -> str:
    slug, number = base, 2
    while db.session.scalar(db.select(Source.id).where(Source.slug == slug)):
        slug = f"{base}-{number}"
        number += 1
    return slug


def add_source(
    user: User,
    bank: Bank,
    *,
    title: str,
    language: str,
    text: str,
    origin: str,
    licence: str,
    attribution: str,
) -> Source:
    """A new source, split into passages with ids (the caller commits)."""
    permissions.require_edit(user, bank)
    if language not in bank.languages:
        raise AuthoringError([_("The bank has no %(language)s questions.", language=language)])
    passages = split_with_anchors(text)
    source = Source(
        bank_id=bank.id,
        slug=_unique_source_slug(f"{slugify(title, 40)}-{language}"),
        title=title.strip(),
        language=language,
        origin=origin.strip(),
        licence=licence.strip(),
        attribution=attribution.strip(),
        cleaning="",
        position=len(bank.sources),
        managed_in="browser",
    )
    source.passages = [
        Passage(anchor=anchor, text=body, position=index)
        for index, (anchor, body) in enumerate(passages, start=1)
    ]
    db.session.add(source)
    touch(bank)
    db.session.flush()
    return source


@dataclass
class SourceEditReport:
    """What a source edit did to its facts."""

    kept: int = 0
    moved: int = 0
    flagged: list[str] = field(default_factory=list)


def update_source(
    user: User,
    source: Source,
    *,
    title: str,
    text: str,
    origin: str,
    licence: str,
    attribution: str,
) -> SourceEditReport:
    """Replace a source's text; re-anchor facts whose evidence is still there, flag the rest."""
    permissions.require_edit(user, source.bank)
    new_passages = split_with_anchors(text, {p.anchor for p in source.passages})
    by_anchor = {p.anchor: p for p in source.passages}
    kept_passages: list[Passage] = []
    for index, (anchor, body) in enumerate(new_passages, start=1):
        passage = by_anchor.pop(anchor, None) or Passage(anchor=anchor)
        passage.text = body
        passage.position = index
        kept_passages.append(passage)
    source.title = title.strip()
    source.origin = origin.strip()
    source.licence = licence.strip()
    source.attribution = attribution.strip()
    source.passages = kept_passages + list(by_anchor.values())
    db.session.flush()
    report = _recheck_facts(source, kept_passages)
    source.passages = kept_passages
    for gone in by_anchor.values():
        db.session.delete(gone)
    touch(source.bank)
    db.session.flush()
    return report


def _recheck_facts(source: Source, passages: list[Passage]) -> SourceEditReport:
    report = SourceEditReport()
    facts = db.session.scalars(
        db.select(Fact).join(Passage).where(Passage.source_id == source.id, Fact.retired.is_(False))
    ).all()
    for fact in facts:
        passage = fact.passage
        quote = fact.evidence_text
        if passage in passages and passage.text[fact.evidence_start : fact.evidence_end] == quote:
            report.kept += 1
            continue
        where = [p for p in passages if quote in p.text]
        # Prefer the same passage; else a single other passage holding the quote.
        target = passage if passage in where else (where[0] if len(where) == 1 else None)
        if target is not None and target.text.count(quote) == 1:
            start = target.text.index(quote)
            fact.passage = target
            fact.evidence_start, fact.evidence_end = start, start + len(quote)
            report.moved += 1
            continue
        if passage not in passages:
            # Its passage is gone: keep the fact (never dropped silently) on the first passage.
            fact.passage = passages[0]
        fact.needs_review = True
        fact.review_reason = (
            _("The source was edited and the evidence is no longer in it word for word.")
            if not where
            else _("The source was edited and the evidence now appears in several places.")
        )
        report.flagged.append(fact.key)
    return report
