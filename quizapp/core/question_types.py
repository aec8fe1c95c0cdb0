"""The question types: each registers once, in TYPES, with its generator, checker and template.

A generator turns one fact (or, for ordering and matching, a few) into a `Question` carrying
everything a learner sees and everything needed to check and explain the answer, including
the source passage. Nothing here knows about Flask or the database.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

from quizapp.core.answer_forms import AnswerFormIndex
from quizapp.core.bank import NUMERIC_KINDS, Bank, Fact
from quizapp.core.checking import CheckResult, answers_match, normalised_answer
from quizapp.core.distractors import DistractorIndex
from quizapp.core.passages import sentence_span
from quizapp.core.short_answers import short_answer_accepts
from quizapp.core.values import PartialDate, normalise, parse_date, parse_number

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
            answer = _matching_numeric(self, str(given))
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


Builder = Callable[[list[Fact], GenerationContext], "Question | None"]
Checker = Callable[[Question, Any], CheckResult]


@dataclass(frozen=True)
class QuestionType:
    """A registered question type: which facts it can use, how to build it, how to check it."""

    name: str
    eligible: Callable[[Fact], bool]
    build: Builder
    check: Checker
    template: str
    group: bool = False
    from_facts: bool = True


# ---------------------------------------------------------------------------------------------
# Checkers


def _result(correct: bool, given: Any, points: float | None = None) -> CheckResult:
    earned = (1.0 if correct else 0.0) if points is None else points
    return CheckResult(correct, earned, 1.0, normalised_answer(given))


def _weighted(given: Any, fraction: float) -> CheckResult:
    """A result from a weight: right at full marks, partly right above zero, never below 0."""
    points = max(0.0, min(1.0, fraction))
    return _result(points >= 1.0 - 1e-9, given, points)


def check_choice(question: Question, given: Any) -> CheckResult:
    """One option picked: right when it is the key (or, for true/false, its plain value)."""
    if not isinstance(given, str):
        return _result(False, "")
    if question.weights:
        return _weighted(given, question.weights.get(given, 0.0))
    folded = normalise(given)
    return _result(any(folded == normalise(form) for form in question.accepted), given)


def check_multi(question: Question, given: Any) -> CheckResult:
    """Several options picked: their weights add up (wrong ones subtract), from 0 to 1 point."""
    if not isinstance(given, list) or not all(isinstance(g, str) for g in given):
        return _result(False, [])
    weights = question.weights or {}
    chosen = list(dict.fromkeys(given))
    return _weighted(chosen, sum(weights.get(option, 0.0) for option in chosen))


def _matching_numeric(question: Question, given: str) -> dict[str, Any] | None:
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


def _weight_of_typed(question: Question, given: str) -> float:
    """The weight of a typed answer to a question with weighted answers (hand-written ones).

    The same text (after `normalise`) takes its weight; otherwise the answer is read fairly
    (plurals, prepositions, typos in long names) against each weighted text, and takes the best
    weight only when every text it could be read as is weighted above zero, so a misspelling
    is never given the credit of a right answer it is as near as a wrong one.
    """
    weights = question.weights or {}
    # Accepted answers may hold Moodle's wildcards ("colo*r"): see core/short_answers.py.
    exact = [w for text, w in weights.items() if short_answer_accepts(text, given)]
    if exact:
        return max(exact)
    fair = [
        w
        for text, w in weights.items()
        if answers_match(given, [text], question.kind, language=question.language)
    ]
    return max(fair) if fair and min(fair) > 0 else 0.0


def check_typed(question: Question, given: Any) -> CheckResult:
    """A typed answer, compared as text, date or number by the fact's kind."""
    if not isinstance(given, str):
        return _result(False, "")
    if question.numeric_answers:
        answer = _matching_numeric(question, given)
        return _weighted(given, answer["weight"] if answer else 0.0)
    if question.weights:
        return _weighted(given, _weight_of_typed(question, given))
    known = PartialDate(*question.known_date) if question.known_date else None
    right = answers_match(
        given,
        question.accepted,
        question.kind,
        question.tolerance,
        language=question.language,
        derived=question.derived_forms,
        rivals=question.rival_names,
        known_date=known,
    )
    return _result(right, given)


def check_order(question: Question, given: Any) -> CheckResult:
    """A sequence: full marks for the right order, a share for each item in its place."""
    key = list(question.key)
    if not isinstance(given, list) or len(given) != len(key):
        return _result(False, given if isinstance(given, list) else [])
    in_place = sum(1 for mine, right in zip(given, key, strict=True) if mine == right)
    return _result(in_place == len(key), given, in_place / len(key))


def check_match(question: Question, given: Any) -> CheckResult:
    """Pairs: full marks when every left item has its right partner, a share for each."""
    key = dict(question.key)  # type: ignore[arg-type]
    if not isinstance(given, dict):
        return _result(False, {})
    right = sum(1 for left, answer in key.items() if given.get(left) == answer)
    return _result(right == len(key), {k: given.get(k, "") for k in key}, right / len(key))


# ---------------------------------------------------------------------------------------------
# Generators


def build_multiple_choice(facts: list[Fact], ctx: GenerationContext) -> Question | None:
    """The stem, the key and three wrong answers of its kind, in random order."""
    fact = facts[0]
    wrong = ctx.distractors.choose(fact, 3, ctx.rng)
    if len(wrong) < 3:
        return None
    options = [fact.answer, *wrong]
    ctx.rng.shuffle(options)
    return ctx.base("mcq", fact, options=options, accepted=[fact.answer])


def build_true_false(facts: list[Fact], ctx: GenerationContext) -> Question | None:
    """The statement as written (true) or with a wrong value of the same kind swapped in."""
    fact = facts[0]
    phrases = PHRASES[fact.language]
    truth = ctx.rng.random() < 0.5
    statement = fact.statement
    if not truth:
        wrong = ctx.distractors.choose(fact, 1, ctx.rng)
        if not wrong:
            return None
        statement = fact.statement.replace(fact.answer, wrong[0], 1)
    key = phrases["true"] if truth else phrases["false"]
    return ctx.base(
        "tf",
        fact,
        stem=statement,
        options=[phrases["true"], phrases["false"]],
        key=key,
        accepted=[key, "true" if truth else "false"],
    )


def _cloze_form(fact: Fact) -> str | None:
    """The form of the answer written in the evidence, which the blank replaces."""
    for form in sorted(fact.accepted, key=len, reverse=True):
        if re.search(re.escape(form), fact.evidence.text, re.IGNORECASE):
            return form
    return None


def cloze_eligible(fact: Fact) -> bool:
    """A blank needs the answer written in the evidence, word for word."""
    return _cloze_form(fact) is not None


def build_cloze(facts: list[Fact], ctx: GenerationContext) -> Question | None:
    """The evidence's sentence with the answer blanked out."""
    fact = facts[0]
    form = _cloze_form(fact)
    passage = ctx.bank.passage(fact.passage_id)
    if form is None or passage is None:
        return None
    start, end = sentence_span(passage.text, fact.evidence.start, fact.evidence.end)
    sentence = passage.text[start:end].strip()
    stem = re.sub(re.escape(form), BLANK, sentence, flags=re.IGNORECASE)
    # Another accepted form left standing in the sentence would give the answer away.
    stem_without_blanks = stem.replace(BLANK, " ")
    if any(
        normalise(alt)
        and re.search(rf"\b{re.escape(normalise(alt))}\b", normalise(stem_without_blanks))
        for alt in fact.accepted
    ):
        return None
    key = re.search(re.escape(form), sentence, re.IGNORECASE)
    return ctx.base("cloze", fact, stem=stem, key=key.group() if key else form)


def build_short_answer(facts: list[Fact], ctx: GenerationContext) -> Question | None:
    """The stem, answered by typing; every accepted form counts."""
    return ctx.base("short", facts[0])


def build_numeric(facts: list[Fact], ctx: GenerationContext) -> Question | None:
    """A question answered with a number, right within the fact's tolerance."""
    return ctx.base("numeric", facts[0])


def _when(fact: Fact) -> Any:
    if fact.kind == "year":
        value = parse_number(fact.answer)
        return None if value is None else (int(value), None, None)
    date = parse_date(fact.answer)
    if date is None or date.year is None:
        return None
    return (date.year, date.month, date.day)


def order_eligible(fact: Fact) -> bool:
    """Ordering needs a dated event with a label to show in place of its date."""
    return fact.kind in ("date", "year") and bool(fact.label) and _when(fact) is not None


def _distinguishable(a: Any, b: Any) -> bool:
    """Whether two partial dates are certainly in a known order."""
    if a is None or b is None:
        return False
    for part_a, part_b in zip(a, b, strict=True):
        if part_a is None or part_b is None:
            return False
        if part_a != part_b:
            return True
    return False


def build_order(facts: list[Fact], ctx: GenerationContext) -> Question | None:
    """Three to five labelled events, shuffled; the key is their chronological order."""
    ordered = sorted(facts, key=lambda f: tuple(p or 0 for p in _when(f)))
    labels = [f.label or "" for f in ordered]
    shown = labels[:]
    for _ in range(10):
        ctx.rng.shuffle(shown)
        if shown != labels:
            break
    first = ordered[0]
    return ctx.base(
        "order",
        first,
        stem=PHRASES[first.language]["order"],
        options=shown,
        key=labels,
        accepted=[],
        kind="order",
        items=[_item(f, ctx) for f in ordered],
    )


def match_eligible(fact: Fact) -> bool:
    """Matching pairs a fact's label with its answer."""
    return bool(fact.label)


def _match_family(fact: Fact) -> str:
    if fact.kind == "person":
        return "person"
    if fact.kind in ("date", "year"):
        return "time"
    return "other"


def build_match(facts: list[Fact], ctx: GenerationContext) -> Question | None:
    """Labels on the left, answers on the right, shuffled; the key pairs them."""
    first = facts[0]
    left = [f.label or "" for f in facts]
    ctx.rng.shuffle(left)
    answers = {f.label or "": f.answer for f in facts}
    aligned = [answers[label] for label in left]
    right = aligned[:]
    # Answers listed in the same order as their items would give the pairs away.
    for _ in range(10):
        ctx.rng.shuffle(right)
        if right != aligned:
            break
    return ctx.base(
        "match",
        first,
        stem=PHRASES[first.language][f"match_{_match_family(first)}"],
        options={"left": left, "right": right},
        key={f.label or "": f.answer for f in facts},
        accepted=[],
        kind="match",
        items=[_item(f, ctx) for f in facts],
    )


def _item(fact: Fact, ctx: GenerationContext) -> dict[str, Any]:
    return {
        "fact_id": fact.id,
        "label": fact.label,
        "answer": fact.answer,
        "statement": fact.statement,
        "source": asdict(ctx.source_ref(fact)),
    }


def select_order(first: Fact, candidates: list[Fact], rng: random.Random) -> list[Fact] | None:
    """Events whose dates are pairwise in a certain order and whose labels differ."""
    wanted = rng.randint(MIN_GROUP, MAX_GROUP)
    group = [first]
    for fact in candidates:
        if len(group) == wanted:
            break
        if any(
            not _distinguishable(_when(fact), _when(other))
            or normalise(fact.label or "") == normalise(other.label or "")
            or fact.topic == other.topic
            for other in group
        ):
            continue
        group.append(fact)
    return group if len(group) >= MIN_GROUP else None


def select_match(first: Fact, candidates: list[Fact], rng: random.Random) -> list[Fact] | None:
    """Facts of one family whose labels and answers are all different."""
    wanted = rng.randint(MIN_GROUP, MAX_GROUP)
    family = _match_family(first)
    group = [first]
    for fact in candidates:
        if len(group) == wanted:
            break
        if _match_family(fact) != family or any(
            normalise(fact.label or "") == normalise(other.label or "")
            or normalise(fact.answer) == normalise(other.answer)
            or fact.topic == other.topic
            # "1939" and "1 September 1939" could both fit one event: dates must differ clearly.
            or (family == "time" and not _distinguishable(_when(fact), _when(other)))
            for other in group
        ):
            continue
        group.append(fact)
    return group if len(group) >= MIN_GROUP else None


GROUP_SELECTORS = {"order": select_order, "match": select_match}

TYPES: dict[str, QuestionType] = {
    t.name: t
    for t in (
        QuestionType(
            "mcq",
            lambda fact: True,
            build_multiple_choice,
            check_choice,
            "quiz/types/choice.html",
        ),
        QuestionType(
            "tf",
            lambda fact: fact.answer in fact.statement,
            build_true_false,
            check_choice,
            "quiz/types/choice.html",
        ),
        QuestionType(
            "cloze",
            cloze_eligible,
            build_cloze,
            check_typed,
            "quiz/types/text.html",
        ),
        QuestionType(
            "short",
            lambda fact: True,
            build_short_answer,
            check_typed,
            "quiz/types/text.html",
        ),
        QuestionType(
            "numeric",
            lambda fact: fact.kind in NUMERIC_KINDS,
            build_numeric,
            check_typed,
            "quiz/types/numeric.html",
        ),
        QuestionType(
            "multi",
            lambda fact: False,  # only hand-written and imported questions have several keys
            lambda facts, ctx: None,
            check_multi,
            "quiz/types/multi.html",
            from_facts=False,
        ),
        QuestionType(
            "order",
            order_eligible,
            build_order,
            check_order,
            "quiz/types/order.html",
            group=True,
        ),
        QuestionType(
            "match",
            match_eligible,
            build_match,
            check_match,
            "quiz/types/match.html",
            group=True,
        ),
    )
}


def check_answer(question: Question, given: Any) -> CheckResult:
    """Check a response with its type's registered checker."""
    return TYPES[question.type].check(question, given)
