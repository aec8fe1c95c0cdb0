"""A generated question as frozen into an attempt, its source link, and what builders share.

Nothing here knows about Flask or the database.
"""

from __future__ import annotations

import random
from dataclasses import asdict, dataclass, field
from typing import Any

from quizapp.core.answer_forms import AnswerFormIndex
from quizapp.core.bank_model import Bank, Fact
from quizapp.core.distractors import DistractorIndex
from quizapp.core.short_answers import short_answer_accepts
from quizapp.core.values import normalise, parse_number

BLANK = "_____"
MIN_GROUP, MAX_GROUP = 3, 5

PHRASES: dict[str, dict[str, str]] = {
    "en": {
        "true": "True",
        "false": "False",
        "order": "Put these events in chronological order, earliest first.",
        "match_person": "Match each person to their role.",
        "match_time": "Match each event to its date.",
        "match_other": "Match each description to its answer.",
    },
    "es": {
        "true": "Verdadero",
        "false": "Falso",
        "order": "Ordena estos acontecimientos cronológicamente, del más antiguo al más reciente.",
        "match_person": "Relaciona cada persona con su papel.",
        "match_time": "Relaciona cada acontecimiento con su fecha.",
        "match_other": "Relaciona cada descripción con su respuesta.",
    },
}


@dataclass(frozen=True)
class SourceRef:
    """Where an answer comes from: document, passage (verbatim) and the evidence's offsets."""

    document: str
    document_title: str
    attribution: str
    passage_id: str
    passage_text: str
    evidence_start: int
    evidence_end: int


@dataclass
class Question:
    """One generated question, frozen with its key and its source."""

    type: str
    language: str
    stem: str
    options: list[str] | dict[str, list[str]] | None
    key: str | list[str] | dict[str, str]
    accepted: list[str]
    fact_id: str
    source: SourceRef | None
    kind: str
    statement: str
    tolerance: float = 0.0
    note: str | None = None
    items: list[dict[str, Any]] = field(default_factory=list)
    # Hand-written and imported questions: weights per option or accepted answer (fractions of
    # a point, -1 to 1), feedback per option, general feedback, numeric ranges, text format.
    origin: str = "generated"
    weights: dict[str, float] | None = None
    option_feedback: dict[str, str] | None = None
    general_feedback: str | None = None
    numeric_answers: list[dict[str, Any]] | None = None
    text_format: str = "plain"
    # Bank knowledge frozen for fair reading of typed answers (see core.answer_forms): forms
    # accepted only through the bank (unique surnames, evidence phrases), other names a typo
    # must not be closer to, and the fact's date as precisely as the fact states it.
    derived_forms: list[str] = field(default_factory=list)
    rival_names: list[str] = field(default_factory=list)
    known_date: list[int | None] | None = None
    # A generated question's fact's accepted answers: what a passage shown before this question
    # must hide (see core.masking); for true/false the only place the fact's answer is kept.
    fact_answers: list[str] = field(default_factory=list)
    # A hand-written question linked to a fact: that fact's key (its answers count in the
    # learner's memory of the fact, see core.memory.facts_answered).
    linked_fact: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """A plain, JSON-ready dict of the question."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Question:
        """Rebuild a question from `to_dict` output (as frozen in an attempt)."""
        values = dict(data)
        if values.get("source"):
            values["source"] = SourceRef(**values["source"])
        return cls(**values)

    def feedback_for(self, given: Any) -> str | None:
        """The author's feedback on the option or answer given, if any."""
        if not self.option_feedback or given is None:
            return None
        if isinstance(given, list):
            notes = [self.option_feedback.get(str(g)) for g in given]
            return " ".join(n for n in notes if n) or None
        if self.type == "tf":
            value = "true" if normalise(str(given)) in ("true", "verdadero") else "false"
            return self.option_feedback.get(value)
        if self.type == "numeric" and self.numeric_answers:
            answer = matching_numeric(self, str(given))
            return answer.get("feedback") if answer else self.option_feedback.get("*")
        if self.type == "short" and self.weights:
            # The feedback of the answer that grades it: the best-weighted one that matches,
            # wildcards included ("*" alone is Moodle's "any other answer").
            weights = self.weights
            matching = [text for text in weights if short_answer_accepts(text, str(given))]
            if not matching:
                return None
            return self.option_feedback.get(max(matching, key=lambda text: weights[text]))
        folded = normalise(str(given))
        for text, note in self.option_feedback.items():
            if normalise(text) == folded:
                return note
        return self.option_feedback.get("*")


@dataclass
class GenerationContext:
    """What generators share: the bank, its distractor and answer-form indexes, the seeded
    random source."""

    bank: Bank
    distractors: DistractorIndex
    rng: random.Random
    forms: AnswerFormIndex | None = None

    def __post_init__(self) -> None:
        if self.forms is None:
            self.forms = AnswerFormIndex(self.bank)

    def source_ref(self, fact: Fact) -> SourceRef:
        """The source link of a fact, with the passage text as it is now."""
        source = self.bank.source_of(fact)
        passage = self.bank.passage(fact.passage_id)
        assert passage is not None
        return SourceRef(
            document=source.id,
            document_title=source.title,
            attribution=source.attribution,
            passage_id=fact.passage_id,
            passage_text=passage.text,
            evidence_start=fact.evidence.start,
            evidence_end=fact.evidence.end,
        )

    def passage_ref(self, passage_id: str) -> SourceRef | None:
        """A source link to a whole passage (no evidence span), for hand-written questions."""
        passage = self.bank.passage(passage_id)
        if passage is None:
            return None
        source = self.bank.sources[passage.document_id]
        return SourceRef(
            document=source.id,
            document_title=source.title,
            attribution=source.attribution,
            passage_id=passage.id,
            passage_text=passage.text,
            evidence_start=0,
            evidence_end=0,
        )

    def base(self, type_name: str, fact: Fact, **fields: Any) -> Question:
        """A question of the fact with the common fields filled in."""
        values: dict[str, Any] = {
            "type": type_name,
            "language": fact.language,
            "stem": self.rng.choice(fact.stems),
            "options": None,
            "key": fact.answer,
            "accepted": list(fact.accepted),
            "fact_answers": list(fact.accepted),
            "fact_id": fact.id,
            "source": self.source_ref(fact),
            "kind": fact.kind,
            "statement": fact.statement,
            "tolerance": fact.tolerance,
            "note": fact.note,
        }
        assert self.forms is not None
        values.update(self.forms.forms(fact).as_fields())
        values.update(fields)
        return Question(**values)


def matching_numeric(question: Question, given: str) -> dict[str, Any] | None:
    """The best-weighted numeric answer whose range holds the number given."""
    value = parse_number(given)
    if value is None:
        return None
    best = None
    for answer in question.numeric_answers or []:
        if answer["low"] - 1e-12 <= float(value) <= answer["high"] + 1e-12 and (
            best is None or answer["weight"] > best["weight"]
        ):
            best = answer
    return best
