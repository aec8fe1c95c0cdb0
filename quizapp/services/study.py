"""Study views of a bank: the reader (its sources with every fact's evidence marked, a fact's
question forms and "ask me this") and the timeline (its dated facts in time order).

Who may see what: a bank's reader and timeline are shown to whoever may take a quiz on it
(`permissions.can_take`: site and published banks for everyone, an unpublished one only to its
owner and co-editors, an archived one to no one); anyone else gets `NotFound`, as for a bank
that does not exist. Facts are the live ones a quiz would ask (`banks.core_bank`: not retired,
not waiting for a teacher's review).
"""

from __future__ import annotations

import datetime as dt
import random
import secrets
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _

from quizapp.core import evidence_marks, timeline
from quizapp.core.bank_model import Fact as CoreFact
from quizapp.core.fact_forms import fact_question, single_forms
from quizapp.core.memory import CardState, retrievability
from quizapp.extensions import db
from quizapp.models import Attempt, Bank, Fact, Passage, Source, User, utcnow
from quizapp.services.attempts.errors import QuizError
from quizapp.services.attempts.starting import freeze_attempt
from quizapp.services.banks import question_pool
from quizapp.services.memory import cards_of
from quizapp.services.permissions import NotFound, can_take

# Attempts started from the reader carry this mode in their settings (practice uses "practice").
ASK_MODE = "ask"


def study_bank(user: User | None, slug: str, language: str | None = None) -> Bank:
    """The bank `slug` for its study views in `language` (None: in any of its languages).

    NotFound when there is no such bank, the user may not take a quiz on it, or it has no
    such language (or none at all).
    """
    bank = db.session.scalar(db.select(Bank).where(Bank.slug == slug))
    if bank is None or not can_take(user, bank) or not bank.languages:
        raise NotFound(slug)
    if language is not None and language not in bank.languages:
        raise NotFound(slug)
    return bank


def _live_facts(bank: Bank, language: str) -> list[tuple[int, CoreFact]]:
    """(stored id, core fact) of the bank's live facts in `language`, in stored order."""
    pool = question_pool(bank)
    ids = dict(
        db.session.execute(
            db.select(Fact.key, Fact.id).where(Fact.bank_id == bank.id, Fact.retired.is_(False))
        ).all()
    )
    return [(ids[f.id], f) for f in pool.facts.get(language, []) if f.id in ids]


# ---------------------------------------------------------------------------------------------
# The reader


@dataclass(frozen=True)
class ReaderFact:
    """A fact as the reader shows it: its stored id, its number on the page (in reading
    order), the core fact and the single-fact question types it can be asked as."""

    id: int
    number: int
    fact: CoreFact
    forms: tuple[str, ...]


@dataclass(frozen=True)
class ReaderPassage:
    """A passage, its facts in the order their links stand, and its tree of marks
    (`core.evidence_marks`, keyed by the facts' stored ids as text)."""

    passage: Passage
    facts: tuple[ReaderFact, ...]
    marks: tuple[evidence_marks.Node, ...]


@dataclass(frozen=True)
class ReaderSource:
    """A source document in the reader, passage by passage."""

    source: Source
    passages: tuple[ReaderPassage, ...]


@dataclass
class Reader:
    """A bank's sources in one language, every fact's evidence marked."""

    bank: Bank
    language: str
    sources: list[ReaderSource] = field(default_factory=list)
    facts: dict[int, ReaderFact] = field(default_factory=dict)

    def passage_of(self, fact_id: int) -> ReaderPassage | None:
        """The passage that holds the evidence of the fact with this stored id."""
        for source in self.sources:
            for passage in source.passages:
                if any(item.id == fact_id for item in passage.facts):
                    return passage
        return None


def reader(user: User | None, slug: str, language: str) -> Reader:
    """The reader of a bank in one language (NotFound as in `study_bank`).

    Sources are the bank's documents in that language, in the bank's order; facts are
    numbered through the page in the order their links stand (passage, then evidence end).
    """
    bank = study_bank(user, slug, language)
    pool = question_pool(bank)
    by_passage: dict[str, list[tuple[int, CoreFact]]] = defaultdict(list)
    for fact_id, fact in _live_facts(bank, language):
        by_passage[fact.passage_id].append((fact_id, fact))
    result = Reader(bank, language)
    number = 0
    for source in bank.sources:
        if source.language != language:
            continue
        passages = []
        for passage in source.passages:
            # Numbered in the order their links stand in the text: each link follows the end
            # of its evidence, an inner evidence's before the outer one's that ends with it.
            found = sorted(
                by_passage.get(f"{source.slug}#{passage.anchor}", []),
                key=lambda item: (item[1].evidence.end, -item[1].evidence.start, item[0]),
            )
            facts = []
            for fact_id, fact in found:
                number += 1
                item = ReaderFact(fact_id, number, fact, tuple(single_forms(pool, fact)))
                facts.append(item)
                result.facts[fact_id] = item
            spans = [
                evidence_marks.Span(f.fact.evidence.start, f.fact.evidence.end, str(f.id))
                for f in facts
            ]
            marks = evidence_marks.marked(len(passage.text), spans)
            passages.append(ReaderPassage(passage, tuple(facts), marks))
        result.sources.append(ReaderSource(source, tuple(passages)))
    return result


def same_topic(bank: Bank, fact: CoreFact) -> list[tuple[int, CoreFact]]:
    """The live facts of the same topic in the bank's other languages (stored id, fact)."""
    return [
        (fact_id, other)
        for language in bank.languages
        if language != fact.language
        for fact_id, other in _live_facts(bank, language)
        if other.topic == fact.topic
    ]


@dataclass(frozen=True)
class Memory:
    """A learner's memory of one fact, from their FSRS card: reviews and lapses (answers
    counted, forgotten ones among them), when they last saw it (naive UTC), the chance they
    would recall it now (FSRS retrievability, 0 to 1) and when it is next due (naive UTC)."""

    reviews: int
    lapses: int
    last_seen: dt.datetime | None
    retrievability: float
    due: dt.datetime


def memory_of(user: User, fact_id: int, now: dt.datetime | None = None) -> Memory | None:
    """The learner's memory of a fact at `now` (naive UTC; default: the current time), or
    None before they have answered it. Retrievability is FSRS's (`core.memory`), read with the
    learner's own desired retention."""
    card = cards_of(user.id, [fact_id]).get(fact_id)
    if card is None:
        return None
    state = CardState.of(card)
    chance = retrievability(state, now or utcnow(), user.desired_retention)
    return Memory(state.reviews, state.lapses, state.last_review, chance, state.due)


def ask_fact(
    user: User, slug: str, language: str, fact_id: int, type_name: str, seed: int | None = None
) -> Attempt:
    """Start a one-question attempt on one fact in the type chosen (the caller commits).

    The question is built as a quiz would build it and frozen like any attempt's, so answering,
    feedback and the source passage are the quiz's own. NotFound for a bank or fact the user
    may not read (as in `reader`); QuizError when the fact cannot be asked in that type.
    """
    bank = study_bank(user, slug, language)
    found = dict(_live_facts(bank, language)).get(fact_id)
    if found is None:
        raise NotFound(str(fact_id))
    seed = secrets.randbelow(2**31) if seed is None else seed
    question = fact_question(
        question_pool(bank), found, type_name, random.Random(f"ask:{fact_id}:{seed}")
    )
    if question is None:
        raise QuizError(_("This fact cannot be asked in that form."))
    settings: dict[str, Any] = {
        "mode": ASK_MODE,
        "fact": fact_id,
        "types": [type_name],
        "seed": seed,
        "version": bank.version,
        "time_limit_minutes": 0,
    }
    return freeze_attempt(user, bank, language, settings, [question])


# ---------------------------------------------------------------------------------------------
# The timeline


@dataclass(frozen=True)
class TimelineView:
    """A bank's timeline in one language, with what the page links to.

    `fact_ids` maps a core fact's key to its stored id (for links into the reader);
    `counterparts` maps an entry's anchor to the entries of its topic in each other language
    (closest in time first; see `core.timeline.counterparts`).
    """

    bank: Bank
    timeline: timeline.Timeline
    fact_ids: dict[str, int]
    counterparts: dict[str, dict[str, list[timeline.Entry]]]


def timeline_of(user: User | None, slug: str, language: str) -> TimelineView:
    """The timeline of a bank in one language (NotFound as in `study_bank`)."""
    bank = study_bank(user, slug, language)
    fact_ids: dict[str, int] = {}
    lines: dict[str, timeline.Timeline] = {}
    for code in bank.languages:
        facts = _live_facts(bank, code)
        fact_ids.update((fact.id, fact_id) for fact_id, fact in facts)
        lines[code] = timeline.timeline((fact for _id, fact in facts), code)
    shown = lines[language]
    counterparts: dict[str, dict[str, list[timeline.Entry]]] = {}
    for entry in shown.entries():
        counterparts[entry.anchor] = {
            code: found
            for code, other in lines.items()
            if code != language and (found := timeline.counterparts(entry, other.entries()))
        }
    return TimelineView(bank, shown, fact_ids, counterparts)
