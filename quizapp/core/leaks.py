"""Answers given away inside one question set, checked while the set is drawn.

A question's stem and options (what the learner reads to answer) may not contain an accepted
answer of another question of the set: this forbids the pair in any order, because stems and
options are read before answering and are never masked.

The passage a question's feedback shows (the source passage, or each item's passage for
ordering and matching) may state the answer of a question still to come, for instance when a
set holds two facts of one passage. That is no reason to refuse or order a question: the words
are hidden in the feedback until their question is answered (see `quizapp.core.masking`).

`SetGuard` keeps the questions admitted so far; a candidate that would leak before answering is
refused and the caller draws another. `SetGuard.ordered` then gives a random order.

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
    """The questions of a set being drawn, none of whose stems or options states another's
    answer."""

    members: list[Exposure] = field(default_factory=list)

    def refusal(self, candidate: Exposure) -> str | None:
        """Why the candidate cannot join: "shown" (its stem or options state another's answer
        or the reverse), or None when it can. Passages are not compared: what they state of a
        later answer is masked when shown."""
        for member in self.members:
            if _tells(candidate.shown, member.answers) or _tells(member.shown, candidate.answers):
                return "shown"
        return None

    def admit(self, candidate: Exposure) -> bool:
        """Add the candidate if it gives no answer away; False (unchanged) if it would."""
        if self.refusal(candidate) is not None:
            return False
        self.members.append(candidate)
        return True

    def ordered(self, rng: random.Random) -> list[int]:
        """Member indexes in a random order (any order is fair: passages are masked)."""
        order = list(range(len(self.members)))
        rng.shuffle(order)
        return order
