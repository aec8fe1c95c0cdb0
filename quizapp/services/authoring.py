"""Teachers' authoring: banks, sources, facts and hand-written questions, edited in the browser.

Every change bumps the bank's version, so the question pools of all workers rebuild. Facts are
validated by the same core rules as bank folders; a source edit keeps the facts whose evidence
still stands in the text (moving their offsets if needed) and flags the others for review.
Every change takes the acting user first and checks `services.permissions` before anything else
(NotFound or Forbidden), so no caller can skip the rules.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from quizapp.core import bank as core
from quizapp.core.authored import AuthoredQuestion as Authored
from quizapp.core.authored import authored_problems
from quizapp.core.distractors import DistractorIndex
from quizapp.core.passages import ANCHOR
from quizapp.core.question_types import TYPES, GenerationContext, Question
from quizapp.core.values import strip_accents
from quizapp.extensions import db
from quizapp.models import (
    Attempt,
    AuthoredQuestion,
    Bank,
    Fact,
    Passage,
    Source,
    User,
)
from quizapp.services import permissions
from quizapp.services.banks import copy_fact, core_bank


class AuthoringError(ValueError):
    """A change refused with reasons a teacher can act on."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("; ".join(problems))


def slugify(text: str, limit: int = 48) -> str:
    """A lowercase, hyphenated ASCII id made from a text."""
    ascii_text = strip_accents(text).casefold()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")
    return slug[:limit].strip("-") or "item"


def touch(bank: Bank) -> None:
    """Mark the bank changed, so cached question pools are rebuilt everywhere."""
    bank.version = (bank.version or 0) + 1


# ---------------------------------------------------------------------------------------------
# Banks


def create_bank(
    user: User,
    *,
    slug: str,
    titles: dict[str, str],
    descriptions: dict[str, str],
    languages: list[str],
    subject: str,
    licence: str,
) -> Bank:
    """A new, empty, unpublished bank made in the browser, owned by `user` (the caller commits)."""
    permissions.require_teacher(user)
    slug = slugify(slug or titles.get("en") or next(iter(titles.values()), ""))
    if db.session.scalar(db.select(Bank.id).where(Bank.slug == slug)):
        raise AuthoringError([_("A bank with the id %(slug)s exists already.", slug=slug)])
    bank = Bank(
        slug=slug,
        titles=titles,
        descriptions=descriptions,
        languages=languages,
        subject=subject,
        licence=licence,
        pools={},
        managed_in="browser",
        created_by_id=user.id,
        owner_id=user.id,
        published=False,
        version=1,
    )
    db.session.add(bank)
    db.session.flush()
    return bank


def update_bank(
    user: User,
    bank: Bank,
    *,
    titles: dict[str, str],
    descriptions: dict[str, str],
    languages: list[str],
    subject: str,
    licence: str,
) -> None:
    """Change a bank's titles, descriptions and languages (the caller commits)."""
    permissions.require_edit(user, bank)
    used = set(
        db.session.scalars(
            db.select(Fact.language).where(Fact.bank_id == bank.id, Fact.retired.is_(False))
        )
    )
    missing = sorted(used - set(languages))
    if missing:
        raise AuthoringError(
            [
                _(
                    "The bank has facts in %(languages)s: keep those languages.",
                    languages=", ".join(missing),
                )
            ]
        )
    bank.titles = titles
    bank.descriptions = descriptions
    bank.languages = languages
    bank.subject = subject
    bank.licence = licence
    touch(bank)


def remove_bank(user: User, bank: Bank) -> str:
    """Delete a bank, or archive it when learners have attempts on it (history is kept).

    Only the owner may; returns "archived" or "deleted" (the caller commits).
    """
    permissions.require_owner(user, bank)
    has_attempts = db.session.scalar(
        db.select(db.func.count(Attempt.id)).where(Attempt.bank_id == bank.id)
    )
    if has_attempts:
        bank.archived = True
        touch(bank)
        return "archived"
    db.session.delete(bank)
    return "deleted"


def restore_bank(user: User, bank: Bank) -> None:
    """Bring an archived bank back to learners (only its owner may)."""
    permissions.require_owner(user, bank)
    bank.archived = False
    touch(bank)


# ---------------------------------------------------------------------------------------------
# Sources and passages


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


# ---------------------------------------------------------------------------------------------
# Facts


FACT_FIELDS = (
    "statement",
    "answer",
    "kind",
    "topic",
    "label",
    "note",
)


def _lines(text: str | None) -> tuple[str, ...]:
    return tuple(line.strip() for line in (text or "").splitlines() if line.strip())


def fact_from_input(bank: Bank, data: dict[str, Any], key: str | None = None) -> core.Fact:
    """A core fact from the editor's fields, validated by the bank rules (AuthoringError)."""
    passage = db.session.get(Passage, int(data["passage_id"])) if data.get("passage_id") else None
    problems: list[str] = []
    if passage is None or passage.source.bank_id != bank.id:
        raise AuthoringError([_("Choose a passage of this bank.")])
    quote = (data.get("evidence") or "").strip()
    start, end = data.get("evidence_start"), data.get("evidence_end")
    if not quote:
        problems.append(_("Select or paste the evidence: the words of the passage that prove it."))
    elif not (isinstance(start, int) and isinstance(end, int) and passage.text[start:end] == quote):
        start = passage.text.find(quote)
        end = start + len(quote)
        if start < 0:
            problems.append(_("The evidence must be copied word for word from the passage."))
    if problems:
        raise AuthoringError(problems)
    answer = (data.get("answer") or "").strip()
    fact = core.Fact(
        id=key or _new_fact_key(bank, answer, passage.source.language),
        language=passage.source.language,
        topic=(data.get("topic") or "").strip() or slugify(answer, 40),
        passage_id=passage.full_id,
        evidence=core.Evidence(quote, start, end),
        statement=(data.get("statement") or "").strip(),
        answer=answer,
        kind=(data.get("kind") or "").strip(),
        stems=_lines(data.get("stems")),
        alternatives=_lines(data.get("alternatives")),
        label=(data.get("label") or "").strip() or None,
        tolerance=float(data.get("tolerance") or 0),
        exclude_distractors=_lines(data.get("exclude_distractors")),
        note=(data.get("note") or "").strip() or None,
        source_garbled=bool(data.get("source_garbled")),
        category=(data.get("category") or "").strip() or None,
        gender=(data.get("gender") or "").strip() or None,
        number=(data.get("number") or "").strip() or "singular",
        event=bool(data.get("event")),
        false_statements=_lines(data.get("false_statements")),
        skip_types=tuple(data.get("skip_types") or ()),
    )
    if fact.kind not in core.KINDS:
        problems.append(_("Choose the kind of answer."))
    if not fact.stems:
        problems.append(_("Write at least one question (stem)."))
    if not fact.answer or not fact.statement:
        problems.append(_("The statement and the answer are required."))
    if problems:
        raise AuthoringError(problems)
    problems.extend(core.fact_problems(fact, passage.text))
    if problems:
        raise AuthoringError(problems)
    return fact


def categories_by_kind(bank: Bank) -> dict[str, list[str]]:
    """Per kind, the categories to offer in the fact form: those the bank's facts and pools
    use, then the documented taxonomy's (docs/bank-format.md)."""
    used: dict[str, set[str]] = {}
    rows = db.session.execute(
        db.select(Fact.kind, Fact.category)
        .where(Fact.bank_id == bank.id, Fact.category.is_not(None))
        .distinct()
    )
    for kind, category in rows:
        used.setdefault(kind, set()).add(category)
    for language, data in (bank.pools or {}).items():
        for entry in core.read_pool(data, f"pools/{language}", []):
            if entry.category:
                used.setdefault(entry.kind, set()).add(entry.category)
    return {
        kind: sorted(used.get(kind, set()))
        + [c for c in core.TAXONOMY.get(kind, ()) if c not in used.get(kind, set())]
        for kind in core.KINDS
    }


def _new_fact_key(bank: Bank, answer: str, language: str) -> str:
    base = f"{slugify(answer, 40)}-{language}"
    key, number = base, 2
    while db.session.scalar(db.select(Fact.id).where(Fact.bank_id == bank.id, Fact.key == key)):
        key = f"{base}-{number}"
        number += 1
    return key


def save_fact(user: User, bank: Bank, data: dict[str, Any], fact: Fact | None = None) -> Fact:
    """Create or update a fact from the editor (the caller commits)."""
    permissions.require_edit(user, bank)
    if fact is not None and fact.bank_id != bank.id:
        raise permissions.NotFound(str(fact.id))
    checked = fact_from_input(bank, data, key=fact.key if fact else None)
    passage = db.session.get(Passage, int(data["passage_id"]))
    if fact is None:
        fact = Fact(bank_id=bank.id, key=checked.id, managed_in="browser")
        db.session.add(fact)
    fact.passage = passage
    copy_fact(checked, fact)
    fact.needs_review = False
    fact.review_reason = None
    touch(bank)
    db.session.flush()
    return fact


def retire_fact(user: User, fact: Fact) -> None:
    """Take a fact out of quizzes (attempts keep their frozen copies)."""
    bank = db.session.get(Bank, fact.bank_id)
    permissions.require_edit(user, bank)
    fact.retired = True
    touch(bank)


def preview_fact(bank: Bank, fact: core.Fact) -> dict[str, Question | str]:
    """The question each single-fact type would make from this fact, or why it cannot."""
    loaded = core_bank(bank)
    loaded.facts = [f for f in loaded.facts if f.id != fact.id] + [fact]
    context = GenerationContext(
        loaded, DistractorIndex(loaded.facts, loaded.pools), random.Random(fact.id)
    )
    previews: dict[str, Question | str] = {}
    for name, question_type in TYPES.items():
        if not question_type.from_facts:
            continue
        if question_type.group:
            previews[name] = (
                _("Made with other facts that have a label.")
                if question_type.eligible(fact, context)
                else _("Needs a label (and, for ordering, a date or year marked as an event).")
            )
            continue
        if not question_type.eligible(fact, context):
            previews[name] = _why_not(name, fact)
            continue
        built = question_type.build([fact], context)
        previews[name] = built if built is not None else _("Not possible for this fact.")
    return previews


def _why_not(type_name: str, fact: core.Fact) -> str:
    """Why a fact cannot make a question of this type, in words a teacher can act on."""
    if type_name == "mcq":
        if fact.kind in core.NAME_KINDS and not fact.category:
            return _("Give the fact a category: wrong options come from its category only.")
        return _("Its category has fewer than three usable wrong answers yet.")
    if type_name == "tf":
        return _(
            "No false form: write a false statement, or give a category (and a gender in "
            "Spanish) with values that fit the sentence."
        )
    return _("Not possible for this fact.")


# ---------------------------------------------------------------------------------------------
# Hand-written questions


def weights_from_ticks(kind: str, rows: list[tuple[bool, float | None]]) -> list[float]:
    """The weight (percent) of each option or accepted answer from the question form's rows.

    Each row is (ticked "Right answer", weight typed in the advanced field or None). A typed
    weight always wins. A tick alone is worth 100; on a multiple-answer question ("multi") the
    ticked rows without a weight share equally what the typed weights leave to 100. A row
    neither ticked nor weighted is wrong (0), except on a short-answer question where nothing
    is ticked nor weighted at all: there every answer written is accepted, as before the form
    had ticks (and as a teacher listing answers means).
    """
    if kind == "short" and not any(right or weight is not None for right, weight in rows):
        return [100.0] * len(rows)
    share = 100.0
    if kind == "multi":
        shared = sum(1 for right, weight in rows if right and weight is None)
        left = 100.0 - sum(weight for _, weight in rows if weight is not None and weight > 0)
        share = max(left, 0.0) / shared if shared else 0.0
    return [weight if weight is not None else (share if right else 0.0) for right, weight in rows]


def ticks_from_weights(kind: str, weights: list[float]) -> list[tuple[bool, float | None]]:
    """The question form's rows for stored weights: the inverse of `weights_from_ticks`.

    A row is ticked when its weight earns points; its weight is shown (in the advanced field)
    only where the tick alone would not give it, so that saving the form again changes nothing.
    """
    rights = [weight > 0 for weight in weights]
    shown: list[float | None] = [None] * len(weights)
    # Each round shows the one weight the ticks are furthest from; on a multiple-answer
    # question that changes the equal shares of the others, which may then fit (50, 25, 25
    # shows only the 50). At most one round per row.
    for _round in range(len(weights)):
        implied = weights_from_ticks(kind, list(zip(rights, shown, strict=True)))
        gaps = {
            index: abs(implied[index] - weight)
            for index, weight in enumerate(weights)
            if shown[index] is None and abs(implied[index] - weight) > 1e-6
        }
        if not gaps:
            break
        furthest = max(gaps, key=lambda index: gaps[index])
        shown[furthest] = weights[furthest]
    return list(zip(rights, shown, strict=True))


def fact_choices(bank: Bank) -> list[tuple[str, str]]:
    """The bank's facts in use a hand-written question may be linked to, as (key, "key:
    statement") ordered by key; one query."""
    rows = db.session.execute(
        db.select(Fact.key, Fact.statement)
        .where(Fact.bank_id == bank.id, Fact.retired.is_(False))
        .order_by(Fact.key)
    )
    return [(key, f"{key}: {statement[:100]}") for key, statement in rows]


def save_question(
    user: User,
    bank: Bank,
    authored: Authored,
    passage_id: int | None,
    question: AuthoredQuestion | None = None,
    origin: str = "browser",
) -> AuthoredQuestion:
    """Create or update a hand-written question (the caller commits)."""
    permissions.require_edit(user, bank)
    if question is not None and question.bank_id != bank.id:
        raise permissions.NotFound(str(question.id))
    problems = authored_problems(authored)
    if authored.language and authored.language not in bank.languages:
        problems.append(_("The bank has no %(language)s questions.", language=authored.language))
    passage = db.session.get(Passage, passage_id) if passage_id else None
    if passage_id and (passage is None or passage.source.bank_id != bank.id):
        problems.append(_("Choose a passage of this bank."))
    if authored.fact_key and authored.fact_key not in dict(fact_choices(bank)):
        problems.append(_("Choose a fact of this bank."))
    if problems:
        raise AuthoringError(problems)
    fingerprint = authored.fingerprint()
    clash = db.session.scalar(
        db.select(AuthoredQuestion.id).where(
            AuthoredQuestion.bank_id == bank.id,
            AuthoredQuestion.fingerprint == fingerprint,
            AuthoredQuestion.id != (question.id if question else -1),
        )
    )
    if clash:
        raise AuthoringError([_("The bank already has this very question.")])
    if question is None:
        question = AuthoredQuestion(bank_id=bank.id, origin=origin)
        db.session.add(question)
    question.question_type = authored.type
    question.stem = authored.stem
    question.language = authored.language or bank.languages[0]
    question.data = authored.to_dict()
    question.fingerprint = fingerprint
    question.passage = passage
    question.retired = False
    touch(bank)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        raise AuthoringError([_("The bank already has this very question.")]) from None
    return question


def retire_question(user: User, question: AuthoredQuestion) -> None:
    """Take a hand-written question out of quizzes."""
    bank = db.session.get(Bank, question.bank_id)
    permissions.require_edit(user, bank)
    question.retired = True
    touch(bank)
