"""Hand-written and imported questions: one model for the editor and every import format.

GIFT, Aiken and CSV parsers produce `AuthoredQuestion`s; the editor edits them; the store keeps
them as plain dicts (`to_dict`/`from_dict`); `as_question` turns one into the frozen `Question`
that quizzes show and check, exactly like a question generated from a fact.
"""

from __future__ import annotations

import math
import random
from dataclasses import asdict, dataclass, field
from typing import Any

from quizapp.core.question_types import Question, SourceRef

# Types a quiz can show and grade. Essays and descriptions are parsed but never imported.
GRADABLE_TYPES = ("mcq", "multi", "tf", "short", "numeric", "match")
PARSED_ONLY_TYPES = ("essay", "description")
TEXT_FORMATS = ("moodle", "html", "markdown", "plain")


@dataclass
class Choice:
    """An option (multiple choice) or an accepted answer (short answer).

    `weight` is the share of the question's points it earns, from -100 to 100 (Moodle's
    percentages); None means the format's default: 100 for a right option, 0 for a wrong one.
    """

    text: str
    correct: bool
    weight: float | None = None
    feedback: str | None = None

    def fraction(self) -> float:
        """The weight as a fraction of a point (-1.0 to 1.0)."""
        if self.weight is None:
            return 1.0 if self.correct else 0.0
        return self.weight / 100.0


@dataclass
class NumericAnswer:
    """An accepted number: `value` with a `tolerance`, or a range from `low` to `high`."""

    value: float | None = None
    tolerance: float = 0.0
    low: float | None = None
    high: float | None = None
    weight: float | None = None
    feedback: str | None = None

    def bounds(self) -> tuple[float, float]:
        """The closed interval of numbers this answer accepts."""
        if self.low is not None and self.high is not None:
            return (min(self.low, self.high), max(self.low, self.high))
        assert self.value is not None
        return (self.value - abs(self.tolerance), self.value + abs(self.tolerance))

    def fraction(self) -> float:
        """The weight as a fraction of a point."""
        return 1.0 if self.weight is None else self.weight / 100.0


@dataclass
class MatchPair:
    """One pair of a matching question."""

    left: str
    right: str


@dataclass
class AuthoredQuestion:
    """A question written by a teacher or imported, with everything needed to grade and explain.

    type: mcq (one right option), multi (several right options with weights), tf, short,
    numeric, match, essay, description (the last two are parsed, never imported).
    """

    type: str
    stem: str
    text_format: str = "moodle"
    title: str | None = None
    category: str | None = None
    external_id: str | None = None
    tags: list[str] = field(default_factory=list)
    choices: list[Choice] = field(default_factory=list)
    is_true: bool | None = None
    true_feedback: str | None = None
    false_feedback: str | None = None
    numeric: list[NumericAnswer] = field(default_factory=list)
    # numeric: the feedback for any number not accepted, worth nothing (Moodle's "*" answer,
    # written "~#feedback" in GIFT).
    other_feedback: str | None = None
    pairs: list[MatchPair] = field(default_factory=list)
    general_feedback: str | None = None
    # A missing-word question: the stem holds "_____" where the answer goes.
    embedded: bool = False
    language: str | None = None
    passage_id: str | None = None
    # The key of the bank's fact this question asks about, if any: an answer to it then counts
    # in the learner's memory of that fact (services.memory), like a question made from it.
    fact_key: str | None = None
    line: int | None = None

    @property
    def gradable(self) -> bool:
        """Whether a quiz can grade it (essays and descriptions cannot)."""
        return self.type in GRADABLE_TYPES

    def to_dict(self) -> dict[str, Any]:
        """A plain dict for storage and JSON."""
        data = asdict(self)
        data.pop("line", None)
        # Added later: left out when unset, so files and fingerprints made before are unchanged.
        if data.get("fact_key") is None:
            data.pop("fact_key", None)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> AuthoredQuestion:
        """Rebuild from `to_dict` output."""
        values = dict(data)
        values["choices"] = [Choice(**c) for c in values.get("choices") or []]
        values["numeric"] = [NumericAnswer(**n) for n in values.get("numeric") or []]
        values["pairs"] = [MatchPair(**p) for p in values.get("pairs") or []]
        return cls(**values)

    def fingerprint(self) -> str:
        """What makes two questions the same, to skip duplicates when importing twice."""
        import hashlib
        import json

        data = self.to_dict()
        for key in ("passage_id", "fact_key", "language", "category", "tags", "external_id"):
            data.pop(key, None)
        # Added later: left out when unused, so questions stored before keep their fingerprint.
        if data.get("other_feedback") is None:
            data.pop("other_feedback", None)
        encoded = json.dumps(data, sort_keys=True, ensure_ascii=False).encode()
        return hashlib.sha256(encoded).hexdigest()


@dataclass(frozen=True)
class FormatProblem:
    """A line-numbered problem found while reading an import file."""

    line: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


@dataclass
class ParseResult:
    """What a parser found: questions (importable or not, with reasons) and problems."""

    questions: list[AuthoredQuestion] = field(default_factory=list)
    problems: list[FormatProblem] = field(default_factory=list)
    skipped: list[tuple[AuthoredQuestion, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when there is nothing wrong: an import goes ahead only then."""
        return not self.problems


TRUE_FALSE_WORDS = {"en": ("True", "False"), "es": ("Verdadero", "Falso")}


def _clean(text: str | None) -> str | None:
    text = (text or "").strip()
    return text or None


def as_question(
    authored: AuthoredQuestion,
    rng: random.Random,
    *,
    question_id: str,
    language: str,
    source: SourceRef | None,
) -> Question:
    """The question a learner sees: options shuffled, key, weights and feedback frozen in."""
    base: dict[str, Any] = {
        "type": authored.type,
        "language": authored.language or language,
        "stem": authored.stem,
        "options": None,
        "key": "",
        "accepted": [],
        "fact_id": question_id,
        "linked_fact": authored.fact_key,
        "source": source,
        "kind": "term",
        "statement": "",
        "origin": "authored",
        "general_feedback": _clean(authored.general_feedback),
        "text_format": authored.text_format,
    }
    if authored.type in ("mcq", "multi"):
        options = [c.text for c in authored.choices]
        rng.shuffle(options)
        weights = {c.text: c.fraction() for c in authored.choices}
        right = [c.text for c in authored.choices if c.fraction() > 0]
        best = max(authored.choices, key=lambda c: c.fraction()).text
        base.update(
            options=options,
            key=best if authored.type == "mcq" else right,
            accepted=[best] if authored.type == "mcq" else right,
            weights=weights,
            option_feedback={c.text: c.feedback for c in authored.choices if _clean(c.feedback)},
        )
    elif authored.type == "tf":
        true_word, false_word = TRUE_FALSE_WORDS.get(base["language"], TRUE_FALSE_WORDS["en"])
        key = true_word if authored.is_true else false_word
        feedback = {}
        if _clean(authored.true_feedback):
            feedback["true"] = authored.true_feedback.strip()
        if _clean(authored.false_feedback):
            feedback["false"] = authored.false_feedback.strip()
        base.update(
            options=[true_word, false_word],
            key=key,
            accepted=[key, "true" if authored.is_true else "false"],
            option_feedback=feedback or None,
        )
    elif authored.type == "short":
        right = [c for c in authored.choices if c.fraction() > 0]
        best = max(right, key=lambda c: c.fraction()) if right else authored.choices[0]
        base.update(
            key=best.text,
            accepted=[c.text for c in right],
            weights={c.text: c.fraction() for c in authored.choices},
            option_feedback={c.text: c.feedback for c in authored.choices if _clean(c.feedback)},
        )
    elif authored.type == "numeric":
        answers = [
            {
                "low": a.bounds()[0],
                "high": a.bounds()[1],
                "weight": a.fraction(),
                "feedback": _clean(a.feedback),
            }
            for a in authored.numeric
        ]
        best = max(authored.numeric, key=lambda a: a.fraction())
        base.update(
            kind="number",
            key=describe_numeric(best),
            accepted=[describe_numeric(a) for a in authored.numeric if a.fraction() > 0],
            numeric_answers=answers,
            option_feedback={"*": _clean(authored.other_feedback) or ""},
        )
    elif authored.type == "match":
        left = [p.left for p in authored.pairs]
        right = [p.right for p in authored.pairs]
        rng.shuffle(left)
        aligned = [next(p.right for p in authored.pairs if p.left == item) for item in left]
        right = aligned[:]
        for _ in range(10):
            rng.shuffle(right)
            if right != aligned or len(set(right)) < 2:
                break
        base.update(
            kind="match",
            options={"left": left, "right": right},
            key={p.left: p.right for p in authored.pairs},
        )
    else:
        raise ValueError(f"a {authored.type} question cannot be graded")
    return Question(**base)


def describe_numeric(answer: NumericAnswer) -> str:
    """A number answer as a person reads it: "1822", "3.1415 ± 0.0005" or "1 to 5"."""
    if answer.low is not None and answer.high is not None:
        return f"{_number(answer.low)} to {_number(answer.high)}"
    assert answer.value is not None
    if answer.tolerance:
        return f"{_number(answer.value)} ± {_number(answer.tolerance)}"
    return _number(answer.value)


def _number(value: float) -> str:
    return f"{value:g}" if abs(value) < 1e15 else str(value)


# The largest magnitude of a number in a question: far beyond any quantity a quiz asks about
# (Avogadro's number is 6e23), far below where floats become infinite (1.8e308).
NUMBER_LIMIT = 1e100


def _numbers(authored: AuthoredQuestion) -> list[object]:
    """Every number a question carries (None where one is left to its default)."""
    numbers: list[object] = [choice.weight for choice in authored.choices]
    for answer in authored.numeric:
        numbers += [answer.value, answer.tolerance, answer.low, answer.high, answer.weight]
    return [number for number in numbers if number is not None]


def _finite(number: object) -> bool:
    """A real int or float, neither NaN nor infinite, at most NUMBER_LIMIT in size."""
    return (
        isinstance(number, int | float)
        and not isinstance(number, bool)
        and math.isfinite(number)
        and abs(number) <= NUMBER_LIMIT
    )


def authored_problems(authored: AuthoredQuestion) -> list[str]:
    """What stops a question from being graded fairly (empty when it is sound)."""
    problems: list[str] = []
    if not authored.stem.strip():
        problems.append("the question has no text")
    if authored.type not in GRADABLE_TYPES:
        problems.append(f"a {authored.type} question cannot be graded")
        return problems
    if authored.text_format not in TEXT_FORMATS:
        problems.append(f"unknown text format {authored.text_format!r}")
    if not all(_finite(number) for number in _numbers(authored)):
        problems.append(
            f"every weight, value, tolerance and bound must be a finite number "
            f"no larger than {NUMBER_LIMIT:g}"
        )
    if authored.type in ("mcq", "multi"):
        texts = [c.text.strip() for c in authored.choices]
        if len(texts) < 2:
            problems.append("a multiple-choice question needs at least two options")
        if len(set(texts)) != len(texts) or any(not t for t in texts):
            problems.append("options must be different and not empty")
        if not any(c.fraction() > 0 for c in authored.choices):
            problems.append("no option is marked right")
        if authored.type == "multi":
            total = sum(c.fraction() for c in authored.choices if c.fraction() > 0)
            if abs(total - 1.0) > 0.011:
                problems.append(
                    f"the weights of the right options add up to {total * 100:g}%, not 100%"
                )
    elif authored.type == "tf" and authored.is_true is None:
        problems.append("say whether the statement is true or false")
    elif authored.type == "short":
        if not any(c.fraction() > 0 and c.text.strip() for c in authored.choices):
            problems.append("a short-answer question needs at least one accepted answer")
    elif authored.type == "numeric":
        if not authored.numeric:
            problems.append("a numeric question needs at least one accepted number")
        for answer in authored.numeric:
            ranged = answer.low is not None and answer.high is not None
            if not ranged and answer.value is None:
                problems.append("each accepted number needs a value or a low..high range")
    elif authored.type == "match":
        if len(authored.pairs) < 2:
            problems.append("a matching question needs at least two pairs")
        lefts = [p.left.strip() for p in authored.pairs]
        if len(set(lefts)) != len(lefts) or any(not x for x in lefts):
            problems.append("the items to match must be different and not empty")
    return problems
