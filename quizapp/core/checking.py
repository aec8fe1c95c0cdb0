"""Checking a learner's answer against the accepted ones, by the kind of value asked for."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from quizapp.core.values import normalise, parse_date, parse_quantity


@dataclass(frozen=True)
class CheckResult:
    """The verdict on one answer: right or not, the points it earns, and how it was read."""

    correct: bool
    points: float
    max_points: float
    normalised: str


def answers_match(
    given: str, accepted: list[str] | tuple[str, ...], kind: str, tolerance: float = 0.0
) -> bool:
    """Whether a typed answer equals one of the accepted ones, as text, date or number."""
    if not isinstance(given, str) or not given.strip():
        return False
    folded = normalise(given)
    if any(folded == normalise(form) for form in accepted):
        return True
    if kind == "date":
        return _dates_match(given, accepted)
    if kind in ("year", "number"):
        return _numbers_match(given, accepted, tolerance)
    return False


def _dates_match(given: str, accepted: list[str] | tuple[str, ...]) -> bool:
    date = parse_date(given)
    if date is None:
        return False
    for form in accepted:
        key = parse_date(form)
        if key is None:
            continue
        # Every part the key states must be given and equal; a year the key lacks may be added.
        if all(
            getattr(key, part) is None or getattr(key, part) == getattr(date, part)
            for part in ("year", "month", "day")
        ) and all(
            getattr(date, part) is not None or getattr(key, part) is None
            for part in ("year", "month", "day")
        ):
            return True
    return False


def _numbers_match(given: str, accepted: list[str] | tuple[str, ...], tolerance: float) -> bool:
    quantity = parse_quantity(given)
    if quantity is None:
        return False
    allowed = Decimal(str(tolerance))
    for form in accepted:
        key = parse_quantity(form)
        if key is None:
            continue
        if abs(quantity.value - key.value) <= allowed:
            return True
        # "300" for "US$300 million" when the question names the unit: the figure is right.
        if key.scaled and not quantity.scaled and abs(quantity.value - key.figure) <= allowed:
            return True
    return False


def normalised_answer(given: object) -> str:
    """How a response is stored for comparison and statistics."""
    if isinstance(given, list):
        return " | ".join(normalise(str(item)) for item in given)
    if isinstance(given, dict):
        return " | ".join(f"{normalise(str(k))} = {normalise(str(v))}" for k, v in given.items())
    return normalise(str(given))
