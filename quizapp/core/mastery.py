"""Mastery: the share of a bank's facts that a learner would recall now with a probability of
at least MASTERED (FSRS retrievability, `core.memory.retrievability`), over the bank and per
topic. Pure arithmetic on retrievabilities computed by the caller; no Flask, no database.

A fact the learner has never answered has a retrievability of 0 and counts as not mastered:
the share is of all the bank's facts in that language, not of those already met.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

# Recall with probability >= 0.9: FSRS's own reference point (a card's stability is the
# number of days after which its retrievability has fallen to 90 %).
MASTERED = 0.9


@dataclass(frozen=True)
class Mastery:
    """`mastered` of `facts` facts would be recalled now with probability >= MASTERED;
    `studied` of them have been answered at least once."""

    facts: int
    mastered: int
    studied: int = 0

    @property
    def share(self) -> float | None:
        """Mastered facts as a percentage (0-100) of all facts; None when there are none."""
        return 100.0 * self.mastered / self.facts if self.facts else None


@dataclass(frozen=True)
class TopicMastery:
    """A topic's mastery (see Mastery)."""

    topic: str
    mastery: Mastery


def is_mastered(retrievability: float | None) -> bool:
    """Whether a fact with this retrievability (None: never answered) counts as mastered."""
    return retrievability is not None and retrievability >= MASTERED


def mastery_of(retrievabilities: Iterable[float | None]) -> Mastery:
    """The mastery of a set of facts, one retrievability each (None or 0: never answered)."""
    facts = mastered = studied = 0
    for value in retrievabilities:
        facts += 1
        studied += value is not None
        mastered += is_mastered(value)
    return Mastery(facts, mastered, studied)


def mastery_by_topic(facts: Iterable[tuple[str, float | None]]) -> list[TopicMastery]:
    """Per topic, the mastery of its facts, given as (topic, retrievability or None) pairs;
    topics in the order they first appear (a bank's order), each once."""
    grouped: dict[str, list[float | None]] = {}
    for topic, value in facts:
        grouped.setdefault(topic, []).append(value)
    return [TopicMastery(topic, mastery_of(values)) for topic, values in grouped.items()]
