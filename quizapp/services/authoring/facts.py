"""Authoring facts: a fact from the editor's fields, validated by the same core rules as bank
folders; saving and retiring it; the categories the form offers; the question each type would
make from it (`preview_fact`); the facts a hand-written question may be linked to."""

from __future__ import annotations

import random
from typing import Any

from flask_babel import gettext as _

from quizapp.core import bank as core
from quizapp.core.distractors import DistractorIndex
from quizapp.core.question_types import TYPES, GenerationContext, Question
from quizapp.extensions import db
from quizapp.models import Bank, Fact, Passage, User
from quizapp.services import permissions
from quizapp.services.authoring.banks import slugify, touch
from quizapp.services.authoring.errors import AuthoringError
from quizapp.services.banks import copy_fact, core_bank

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


def fact_choices(bank: Bank) -> list[tuple[str, str]]:
    """The bank's facts in use a hand-written question may be linked to, as (key, "key:
    statement") ordered by key; one query."""
    rows = db.session.execute(
        db.select(Fact.key, Fact.statement)
        .where(Fact.bank_id == bank.id, Fact.retired.is_(False))
        .order_by(Fact.key)
    )
    return [(key, f"{key}: {statement[:100]}") for key, statement in rows]
