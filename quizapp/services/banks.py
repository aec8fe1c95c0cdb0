"""Storing banks: load a bank folder into the database, update it in place, index it for quizzes.

A changed bank updates in place: sources, passages and facts are matched by their ids, so
learners' attempts (which froze their questions) keep their history. Facts that left the bank
are retired, not deleted.
"""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from quizapp.core import bank as core
from quizapp.core.authored import AuthoredQuestion as Authored
from quizapp.core.passages import Passage as CorePassage
from quizapp.core.passages import Source as CoreSource
from quizapp.core.question_pool import QuestionPool
from quizapp.extensions import db
from quizapp.models import AuthoredQuestion, Bank, Fact, Passage, Source, User
from quizapp.services.permissions import offered_clause


@dataclass
class SyncResult:
    """What loading one bank folder did."""

    slug: str
    status: str  # created, updated, unchanged, invalid
    facts: int = 0
    problems: list[str] = field(default_factory=list)


def fingerprint(path: Path) -> str:
    """A hash of every file of a bank folder, to skip reloading an unchanged bank."""
    digest = hashlib.sha256()
    for file in sorted(p for p in path.rglob("*") if p.is_file()):
        digest.update(str(file.relative_to(path)).encode())
        digest.update(b"\0")
        digest.update(file.read_bytes())
    return digest.hexdigest()


def bank_folders(banks_dir: str | Path) -> list[Path]:
    """Every bank folder (one holding a bank.yaml) under the banks directory."""
    return sorted(p.parent for p in Path(banks_dir).glob("*/bank.yaml"))


def load_folder(path: Path) -> SyncResult:
    """Validate a bank folder and store it; a bank with problems stores nothing."""
    try:
        loaded = core.load_bank(path)
    except core.BankError as error:
        return SyncResult(path.name, "invalid", problems=[str(p) for p in error.problems])
    return store_bank(loaded, fingerprint(path))


def store_bank(loaded: core.Bank, content_hash: str = "", managed_in: str = "folder") -> SyncResult:
    """Create or update a bank from its validated core form (the caller commits).

    `managed_in` says who owns what is stored: "folder" content is replaced by the next load of
    the folder; "browser" content (a teacher's, or an imported .zip) is left to the teachers.
    """
    bank = db.session.scalar(db.select(Bank).where(Bank.slug == loaded.id))
    if bank is not None and content_hash and bank.content_hash == content_hash:
        return SyncResult(loaded.id, "unchanged", facts=len(loaded.facts))
    clash = db.session.scalars(
        db.select(Source.slug)
        .join(Bank)
        .where(Source.slug.in_(list(loaded.sources)), Bank.slug != loaded.id)
    ).all()
    if clash:
        return SyncResult(
            loaded.id,
            "invalid",
            problems=[f"source id {s!r} is already used by another bank" for s in clash],
        )
    status = "updated"
    if bank is None:
        bank = Bank(slug=loaded.id, version=0, managed_in=managed_in)
        db.session.add(bank)
        status = "created"
    bank.titles = dict(loaded.title)
    bank.descriptions = dict(loaded.description)
    bank.languages = list(loaded.languages)
    bank.subject = loaded.subject
    bank.licence = loaded.licence
    bank.pools = {lang: core.pool_to_data(entries) for lang, entries in loaded.pools.items()}
    bank.content_hash = content_hash
    bank.version = (bank.version or 0) + 1
    passages = _store_sources(bank, loaded, managed_in)
    _store_facts(bank, loaded, passages, managed_in)
    _store_questions(bank, loaded, passages, managed_in)
    return SyncResult(loaded.id, status, facts=len(loaded.facts))


def _store_sources(bank: Bank, loaded: core.Bank, managed_in: str) -> dict[str, Passage]:
    existing = {s.slug: s for s in bank.sources}
    kept: list[Source] = []
    passages: dict[str, Passage] = {}
    for position, core_source in enumerate(loaded.sources.values()):
        source = existing.get(core_source.id) or Source(slug=core_source.id, managed_in=managed_in)
        source.title = core_source.title
        source.language = core_source.language
        source.origin = core_source.origin
        source.licence = core_source.licence
        source.attribution = core_source.attribution
        source.cleaning = core_source.cleaning
        source.position = position
        by_anchor = {p.anchor: p for p in source.passages}
        new_passages = []
        for core_passage in core_source.passages:
            passage = by_anchor.get(core_passage.anchor) or Passage(anchor=core_passage.anchor)
            passage.text = core_passage.text
            passage.position = core_passage.position
            new_passages.append(passage)
            passages[core_passage.id] = passage
        _drop_facts_of([p for p in source.passages if p not in new_passages])
        source.passages = new_passages
        kept.append(source)
    # Sources a teacher added in the browser are not the folder's to remove.
    kept += [s for s in bank.sources if s.managed_in != managed_in and s not in kept]
    _drop_facts_of([p for s in bank.sources if s not in kept for p in s.passages])
    bank.sources = kept
    db.session.flush()
    return passages


def _drop_facts_of(removed: list[Passage]) -> None:
    """Facts anchored in passages that left the bank go with them (attempts froze their copy)."""
    ids = [p.id for p in removed if p.id is not None]
    if ids:
        db.session.execute(db.delete(Fact).where(Fact.passage_id.in_(ids)))


def _store_facts(
    bank: Bank, loaded: core.Bank, passages: dict[str, Passage], managed_in: str
) -> None:
    existing = {
        f.key: f
        for f in db.session.scalars(
            db.select(Fact).where(Fact.bank_id == bank.id, Fact.managed_in == managed_in)
        )
    }
    for loaded_fact in loaded.facts:
        fact = existing.pop(loaded_fact.id, None) or Fact(
            bank_id=bank.id, key=loaded_fact.id, managed_in=managed_in
        )
        fact.passage = passages[loaded_fact.passage_id]
        copy_fact(loaded_fact, fact)
        db.session.add(fact)
    for gone in existing.values():
        gone.retired = True
    db.session.flush()


def copy_fact(source: core.Fact, fact: Fact) -> None:
    """Write a validated core fact's fields onto its stored row (not its passage)."""
    fact.language = source.language
    fact.topic = source.topic
    fact.kind = source.kind
    fact.statement = source.statement
    fact.answer = source.answer
    fact.alternatives = list(source.alternatives)
    fact.stems = list(source.stems)
    fact.label = source.label
    fact.tolerance = source.tolerance
    fact.exclude_distractors = list(source.exclude_distractors)
    fact.evidence_text = source.evidence.text
    fact.evidence_start = source.evidence.start
    fact.evidence_end = source.evidence.end
    fact.note = source.note
    fact.source_garbled = source.source_garbled
    fact.category = source.category
    fact.gender = source.gender
    fact.number = source.number
    fact.is_event = source.event
    fact.false_statements = list(source.false_statements)
    fact.skip_types = list(source.skip_types)
    fact.retired = False


def _store_questions(
    bank: Bank, loaded: core.Bank, passages: dict[str, Passage], managed_in: str
) -> None:
    """Add the bank's hand-written questions that are not there yet (same content = same)."""
    have = set(
        db.session.scalars(
            db.select(AuthoredQuestion.fingerprint).where(AuthoredQuestion.bank_id == bank.id)
        )
    )
    for item in loaded.questions:
        question = item.question
        fingerprint = question.fingerprint()
        if fingerprint in have:
            continue
        have.add(fingerprint)
        db.session.add(
            AuthoredQuestion(
                bank_id=bank.id,
                question_type=question.type,
                stem=question.stem,
                language=question.language or loaded.languages[0],
                data=question.to_dict(),
                fingerprint=fingerprint,
                passage=passages.get(item.passage_id) if item.passage_id else None,
                origin="import" if managed_in == "browser" else "folder",
            )
        )
    db.session.flush()


def core_bank(bank: Bank) -> core.Bank:
    """The stored bank in the core's form, for generating questions."""
    result = core.Bank(
        id=bank.slug,
        title=dict(bank.titles),
        description=dict(bank.descriptions),
        subject=bank.subject,
        licence=bank.licence,
        languages=list(bank.languages),
        pools=stored_pools(bank),
    )
    passage_ids: dict[int, str] = {}
    for source in bank.sources:
        core_source = CoreSource(
            id=source.slug,
            title=source.title,
            language=source.language,
            origin=source.origin,
            licence=source.licence,
            attribution=source.attribution,
            cleaning=source.cleaning,
        )
        for passage in source.passages:
            full_id = f"{source.slug}#{passage.anchor}"
            passage_ids[passage.id] = full_id
            core_source.passages.append(
                CorePassage(full_id, source.slug, passage.anchor, passage.text, passage.position, 0)
            )
        result.sources[source.slug] = core_source
    # A fact flagged for review has evidence that no longer matches: it waits for a teacher.
    facts = db.session.scalars(
        db.select(Fact)
        .where(Fact.bank_id == bank.id, Fact.retired.is_(False), Fact.needs_review.is_(False))
        .order_by(Fact.id)
    )
    result.facts = [
        core.Fact(
            id=f.key,
            language=f.language,
            topic=f.topic,
            passage_id=passage_ids[f.passage_id],
            evidence=core.Evidence(f.evidence_text, f.evidence_start, f.evidence_end),
            statement=f.statement,
            answer=f.answer,
            kind=f.kind,
            stems=tuple(f.stems),
            alternatives=tuple(f.alternatives),
            label=f.label,
            tolerance=f.tolerance,
            exclude_distractors=tuple(f.exclude_distractors),
            note=f.note,
            source_garbled=f.source_garbled,
            category=f.category,
            gender=f.gender,
            number=f.number or "singular",
            event=f.is_event,
            false_statements=tuple(f.false_statements or ()),
            skip_types=tuple(f.skip_types or ()),
        )
        for f in facts
    ]
    authored = db.session.scalars(
        db.select(AuthoredQuestion)
        .where(AuthoredQuestion.bank_id == bank.id, AuthoredQuestion.retired.is_(False))
        .order_by(AuthoredQuestion.id)
    )
    result.questions = [
        core.BankQuestion(
            id=str(q.id),
            question=Authored.from_dict(q.data),
            passage_id=passage_ids.get(q.passage_id) if q.passage_id else None,
        )
        for q in authored
    ]
    return result


def stored_pools(bank: Bank) -> dict[str, list[core.PoolEntry]]:
    """The bank's stored pools as core entries (either file form, as stored; a stored pool was
    validated when its bank was loaded, so nothing is reported here)."""
    problems: list[core.Problem] = []
    return {
        language: core.read_pool(data, f"pools/{language}", problems)
        for language, data in (bank.pools or {}).items()
    }


_pools: dict[tuple[Any, ...], QuestionPool] = {}
_pools_lock = threading.Lock()


def question_pool(bank: Bank) -> QuestionPool:
    """The bank indexed for drawing question sets, cached per process until the bank changes."""
    # The database URL and update time keep two databases (tests, or a restore) apart.
    key = (str(db.engine.url), bank.id, bank.version, bank.content_hash, bank.updated_at)
    with _pools_lock:
        pool = _pools.get(key)
    if pool is None:
        pool = QuestionPool(core_bank(bank))
        with _pools_lock:
            for stale in [k for k in _pools if k[:2] == key[:2]]:
                del _pools[stale]
            _pools[key] = pool
    return pool


def list_banks(user: User | None) -> list[tuple[Bank, int]]:
    """The banks offered to `user` (None: a visitor) with their numbers of live facts (SQL).

    Site banks and published banks are offered to everyone; an unpublished bank only to its
    owner and co-editors, so that they can try it (`permissions.can_take`).
    """
    rows = db.session.execute(
        db.select(Bank, db.func.count(Fact.id))
        .outerjoin(Fact, (Fact.bank_id == Bank.id) & Fact.retired.is_(False))
        .where(offered_clause(user))
        .group_by(Bank.id)
        .order_by(Bank.slug)
    ).all()
    return [(bank, count) for bank, count in rows]


def offered_types(bank: Bank) -> dict[str, list[str]]:
    """Per language of the bank, the question types it can make there (at least one each).

    A language in which the bank can make no question is left out, so a bank with no content
    yet gives an empty dict. Computed from the cached pool (once per bank version).
    """
    pool = question_pool(bank)
    offer = {language: pool.producible(language) for language in bank.languages}
    return {language: types for language, types in offer.items() if types}


def offered_banks(user: User | None) -> list[tuple[Bank, int, dict[str, list[str]]]]:
    """The banks `user` may start (None: a visitor), with their live fact count and
    `offered_types` (see `list_banks` for who is offered what).

    A bank is offered only once it can make a quiz in at least one of its languages.
    """
    listed = [(bank, count, offered_types(bank)) for bank, count in list_banks(user)]
    return [(bank, count, offer) for bank, count, offer in listed if offer]


def facts_by_language(bank_id: int) -> dict[str, int]:
    """How many live facts a bank has in each language."""
    rows = db.session.execute(
        db.select(Fact.language, db.func.count(Fact.id))
        .where(Fact.bank_id == bank_id, Fact.retired.is_(False))
        .group_by(Fact.language)
    ).all()
    return {language: count for language, count in rows}


def _readable_sources(user: User | None):
    """Sources anyone may read: of site and published banks, or of the user's own banks.

    Archived banks keep their sources readable (learners' history links to them).
    """
    readable = db.or_(
        Bank.managed_in == "folder",
        Bank.published.is_(True),
        offered_clause(user),
    )
    return db.select(Source).join(Bank).where(readable)


def get_source(user: User | None, slug: str) -> Source | None:
    """A source document by its id, if `user` may read it (see `list_sources`)."""
    return db.session.scalar(_readable_sources(user).where(Source.slug == slug))


def list_sources(user: User | None) -> list[Source]:
    """The source documents `user` may read (None: a visitor), by bank and position."""
    return list(db.session.scalars(_readable_sources(user).order_by(Bank.slug, Source.position)))


@dataclass(frozen=True)
class Content:
    """What a bank holds in one language (or in all): live facts and hand-written questions."""

    facts: int = 0
    written: int = 0

    def __add__(self, other: Content) -> Content:
        return Content(self.facts + other.facts, self.written + other.written)


def content_by_language(bank_ids: list[int]) -> dict[int, dict[str, Content]]:
    """Per bank, per language: live facts and live hand-written questions (two grouped
    queries for every bank listed, not two per bank)."""
    found: dict[int, dict[str, list[int]]] = {}
    if not bank_ids:
        return {}
    facts = db.session.execute(
        db.select(Fact.bank_id, Fact.language, db.func.count(Fact.id))
        .where(Fact.bank_id.in_(bank_ids), Fact.retired.is_(False))
        .group_by(Fact.bank_id, Fact.language)
    ).all()
    written = db.session.execute(
        db.select(
            AuthoredQuestion.bank_id, AuthoredQuestion.language, db.func.count(AuthoredQuestion.id)
        )
        .where(AuthoredQuestion.bank_id.in_(bank_ids), AuthoredQuestion.retired.is_(False))
        .group_by(AuthoredQuestion.bank_id, AuthoredQuestion.language)
    ).all()
    for column, rows in ((0, facts), (1, written)):
        for bank_id, language, count in rows:
            found.setdefault(bank_id, {}).setdefault(language, [0, 0])[column] = count
    return {
        bank_id: {language: Content(*counts) for language, counts in sorted(languages.items())}
        for bank_id, languages in found.items()
    }
