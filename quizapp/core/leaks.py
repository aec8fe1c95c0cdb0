"""Answers given away inside one question set, checked while the set is drawn.

Two ways a question can give another's answer away:

- before answering: its stem or options (what the learner reads to answer) contain an accepted
  answer of another question of the set. This forbids the pair in any order.
- after answering: the passage its feedback shows (the source passage, or each item's passage
  for ordering and matching) contains the answer of a question still to come. This only
  constrains the order: the question whose answer is shown must come first.

`SetGuard` keeps the questions admitted so far and the order constraints between them (a
directed graph without cycles); a candidate that would leak before answering, or close a cycle,
is refused and the caller draws another. `SetGuard.ordered` then gives a random order that
respects every constraint.

Answers are compared as whole normalised words with `contains_phrase` (case, accents, articles,
number grouping folded); date answers also match any mention of the same date however it is
written ("23 August 1944", "August 23, 1944", "23 de agosto de 1944").
"""

from __future__ import annotations

import functools
import random
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from quizapp.core.bank import Fact
from quizapp.core.question_types import Question
from quizapp.core.values import PartialDate, find_dates, normalise, parse_date


@dataclass(frozen=True)
class Answer:
    """The accepted forms of one answer, and the date they name when the answer is a date."""

    forms: tuple[str, ...]
    dates: frozenset[PartialDate] = frozenset()


@dataclass(frozen=True)
class Exposure:
    """What a question shows before answering, after answering, and which answers it has."""

    shown: tuple[str, ...]
    passages: tuple[str, ...]
    answers: tuple[Answer, ...]


def fact_answer(fact: Fact) -> Answer:
    """A fact's answer with every accepted form (and its date, for a date fact)."""
    dates: frozenset[PartialDate] = frozenset()
    if fact.kind == "date":
        dates = frozenset(d for d in map(parse_date, fact.accepted) if d is not None)
    return Answer(tuple(f for f in fact.accepted if f.strip()), dates)


def exposure(question: Question, facts: Iterable[Fact] = ()) -> Exposure:
    """What the question exposes; `facts` are the facts it was built from (none if hand-written).

    A question built from facts has its facts' answers (every accepted form, for true/false too:
    a text naming the true value tells whether a statement holds). A hand-written question has
    its accepted answers, except for true/false, whose "answers" are only the words True/False.
    """
    options = question.options
    if isinstance(options, dict):
        option_texts = [text for column in options.values() for text in column]
    else:
        option_texts = list(options or [])
    shown = (question.stem, *option_texts)
    sources = [question.source] if question.source is not None else []
    sources += [item["source"] for item in question.items if item.get("source")]
    passages = tuple(
        dict.fromkeys(
            (s["passage_text"] if isinstance(s, dict) else s.passage_text) for s in sources
        )
    )
    facts = list(facts)
    if facts:
        answers = tuple(fact_answer(f) for f in facts)
    elif question.type == "tf":
        answers = ()
    else:
        forms = question.accepted if question.type != "match" else []
        answers = tuple(Answer((form,)) for form in forms if form.strip())
    return Exposure(shown, passages, answers)


@functools.lru_cache(maxsize=8192)
def _folded(text: str) -> str:
    # Sets are drawn again and again from the same passages: fold each text once.
    return normalise(text)


@functools.lru_cache(maxsize=8192)
def _phrase(form: str) -> re.Pattern[str] | None:
    # The test of `contains_phrase`, compiled once per answer form (tests check they agree).
    need = normalise(form)
    return re.compile(r"(?<![\w.-])" + re.escape(need) + r"(?![\w]|\.\d)") if need else None


def says(text: str, form: str) -> bool:
    """`contains_phrase(text, form)`, with the folded text and the pattern cached."""
    pattern = _phrase(form)
    return pattern is not None and pattern.search(_folded(text)) is not None


@functools.lru_cache(maxsize=4096)
def _dates_in(text: str) -> frozenset[PartialDate]:
    return frozenset(m.date for m in find_dates(text))


def reveals(text: str, answer: Answer) -> bool:
    """Whether the text states the answer (a whole-word form, or the same date)."""
    if any(says(text, form) for form in answer.forms):
        return True
    return bool(answer.dates) and not answer.dates.isdisjoint(_dates_in(text))


def _tells(texts: tuple[str, ...], answers: tuple[Answer, ...]) -> bool:
    return any(reveals(text, answer) for text in texts for answer in answers)


@dataclass
class SetGuard:
    """The questions of a set being drawn, and which must come before which."""

    members: list[Exposure] = field(default_factory=list)
    # before[i] holds the members that must come before member i.
    before: list[set[int]] = field(default_factory=list)

    def refusal(self, candidate: Exposure) -> str | None:
        """Why the candidate cannot join: "shown" (its stem or options state another's answer
        or the reverse), "order" (every order would show an answer in an earlier passage), or
        None when it can."""
        return self._links(candidate)[0]

    def admit(self, candidate: Exposure) -> bool:
        """Add the candidate if it gives no answer away in some order; False (unchanged) if not."""
        refusal, earlier, later = self._links(candidate)
        if refusal is not None:
            return False
        self.members.append(candidate)
        self.before.append(earlier)
        for index in later:
            self.before[index].add(len(self.members) - 1)
        return True

    def _links(self, candidate: Exposure) -> tuple[str | None, set[int], set[int]]:
        earlier: set[int] = set()  # members whose answers the candidate's passages show
        later: set[int] = set()  # members whose passages show the candidate's answer
        for index, member in enumerate(self.members):
            if _tells(candidate.shown, member.answers) or _tells(member.shown, candidate.answers):
                return "shown", earlier, later
            if _tells(candidate.passages, member.answers):
                earlier.add(index)
            if _tells(member.passages, candidate.answers):
                later.add(index)
        if earlier & later or self._reaches(later, earlier):
            return "order", earlier, later
        return None, earlier, later

    def _reaches(self, starts: set[int], targets: set[int]) -> bool:
        """Whether a member of `targets` must come after some member of `starts`."""
        if not starts or not targets:
            return False
        after: dict[int, set[int]] = {i: set() for i in range(len(self.members))}
        for index, required in enumerate(self.before):
            for earlier in required:
                after[earlier].add(index)
        seen, stack = set(starts), list(starts)
        while stack:
            node = stack.pop()
            if node in targets:
                return True
            for nxt in after[node] - seen:
                seen.add(nxt)
                stack.append(nxt)
        return False

    def ordered(self, rng: random.Random) -> list[int]:
        """Member indexes in a random order in which no passage shows a later answer."""
        waiting = {i: set(required) for i, required in enumerate(self.before)}
        order: list[int] = []
        while waiting:
            ready = sorted(i for i, required in waiting.items() if not required)
            chosen = rng.choice(ready)  # never empty: admit() keeps the constraints acyclic
            order.append(chosen)
            del waiting[chosen]
            for required in waiting.values():
                required.discard(chosen)
        return order
