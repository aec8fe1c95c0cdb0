"""The bank's data: manifest, facts with their evidence and grammar, pool entries, problems.

These are plain dataclasses shared by the loader (`bank_yaml`), the rules (`bank_rules`), the
writer (`bank_dump`) and the generators; `quizapp.core.bank` re-exports them.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from quizapp.core.passages import Passage, Source

LANGUAGES = ("en", "es")
KINDS = ("date", "year", "number", "person", "place", "organisation", "event", "term")
NUMERIC_KINDS = ("year", "number")
# Kinds whose answers are names and phrases: their wrong options come from pools and facts.
POOL_KINDS = ("person", "place", "organisation", "event", "term")
NAME_KINDS = POOL_KINDS
# Kinds an ordering question can place in time.
TIME_KINDS = ("date", "year")
GENDERS = ("m", "f")
GRAMMATICAL_NUMBERS = ("singular", "plural")
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")
# The categories the founding bank uses under each kind (docs/bank-format.md); any slug is
# accepted, these are offered first in the teachers' form.
TAXONOMY: dict[str, tuple[str, ...]] = {
    "person": ("monarch", "politician", "general", "historian", "diplomat", "activist", "official"),
    "place": ("country", "city", "region", "river", "front", "building", "sea"),
    "organisation": (
        "party",
        "army-unit",
        "army",
        "government",
        "alliance",
        "company",
        "police",
        "international-body",
    ),
    "event": ("battle", "operation", "coup", "treaty", "pogrom", "uprising", "election", "war"),
    "term": ("regime", "document", "ideology", "element", "policy", "status", "title", "measure"),
    "number": ("count", "casualties", "money", "percentage"),
}


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a bank: where it is and what is wrong."""

    file: str
    line: int | None
    message: str
    fact_id: str | None = None

    def __str__(self) -> str:
        where = self.file + (f":{self.line}" if self.line else "")
        who = f" fact {self.fact_id}:" if self.fact_id else ""
        return f"{where}:{who} {self.message}"


class BankError(Exception):
    """A bank that failed validation; `problems` lists everything that is wrong."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        lines = "\n".join(f"  {p}" for p in problems)
        super().__init__(f"{len(problems)} problem(s) in the bank:\n{lines}")


@dataclass(frozen=True)
class Evidence:
    """The verbatim words of a passage that prove a fact, by character offsets."""

    text: str
    start: int
    end: int


@dataclass(frozen=True)
class Fact:
    """A true statement with its answer, anchored to its evidence in one passage.

    `category` is the fine-grained category under `kind` ("country" under place); `gender`
    ("m"/"f") and `number` ("singular"/"plural") describe the answer as the statement uses it;
    `event` marks a date or year as when an event happened (ordering uses only those);
    `false_statements` are curated false versions of the statement for true/false questions;
    `skip_types` names question types the fact is never asked as (a curator's judgement, for
    example a cloze whose sentence fits several answers).
    """

    id: str
    language: str
    topic: str
    passage_id: str
    evidence: Evidence
    statement: str
    answer: str
    kind: str
    stems: tuple[str, ...]
    alternatives: tuple[str, ...] = ()
    label: str | None = None
    tolerance: float = 0.0
    exclude_distractors: tuple[str, ...] = ()
    note: str | None = None
    source_garbled: bool = False
    category: str | None = None
    gender: str | None = None
    number: str = "singular"
    event: bool = False
    false_statements: tuple[str, ...] = ()
    skip_types: tuple[str, ...] = ()
    file: str = ""
    line: int | None = None

    def __post_init__(self) -> None:
        # Lists given by callers become tuples: a fact is hashable (indexes cache by fact).
        for name in (
            "stems",
            "alternatives",
            "exclude_distractors",
            "false_statements",
            "skip_types",
        ):
            value = getattr(self, name)
            if not isinstance(value, tuple):
                object.__setattr__(self, name, tuple(value or ()))

    @property
    def document_id(self) -> str:
        """The id of the source document the fact's passage belongs to."""
        return self.passage_id.split("#", 1)[0]

    @property
    def accepted(self) -> tuple[str, ...]:
        """The answer and every accepted alternative."""
        return (self.answer, *self.alternatives)


@dataclass(frozen=True)
class PoolEntry:
    """A curated wrong answer: its text, the kind and category it belongs to, its grammar.

    `category` is None for entries of the old flat pool form: they are never offered to a fact
    with a category.
    """

    kind: str
    text: str
    category: str | None = None
    gender: str | None = None
    number: str = "singular"


@dataclass
class Bank:
    """A whole bank: manifest, sources with passages, facts and distractor pools.

    `pools` maps a language to its pool entries (see `PoolEntry`).
    """

    id: str
    title: dict[str, str]
    description: dict[str, str]
    subject: str
    licence: str
    languages: list[str]
    sources: dict[str, Source] = field(default_factory=dict)
    facts: list[Fact] = field(default_factory=list)
    pools: dict[str, list[PoolEntry]] = field(default_factory=dict)
    questions: list[BankQuestion] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    path: Path | None = None

    def passage(self, passage_id: str) -> Passage | None:
        """Look a passage up by its full id `<document>#<anchor>`."""
        document_id, _, anchor = passage_id.partition("#")
        source = self.sources.get(document_id)
        return source.passage(anchor) if source else None

    def source_of(self, fact: Fact) -> Source:
        """The source document a fact's evidence comes from."""
        return self.sources[fact.document_id]

    def categories(self, language: str, kind: str) -> list[str]:
        """The categories the bank uses for a kind in a language (facts and pools), sorted."""
        found = {f.category for f in self.facts if f.language == language and f.kind == kind}
        found |= {e.category for e in self.pools.get(language, []) if e.kind == kind}
        return sorted(c for c in found if c)


@dataclass
class BankQuestion:
    """A hand-written or imported question of a bank, with its id and optional passage."""

    id: str
    question: Any  # quizapp.core.authored.AuthoredQuestion (imported late: it needs this module)
    passage_id: str | None = None


def is_tolerance(value: object) -> bool:
    """A finite number, zero or more (YAML's .nan and .inf are floats, and not tolerances)."""
    return (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and math.isfinite(value)
        and value >= 0
    )
