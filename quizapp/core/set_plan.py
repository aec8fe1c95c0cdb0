"""What a question set request asks for, and what the bank can give in its place.

A request is a number of questions and the question types to mix. It is split evenly over the
types (the first types in the request take the remainder). When the bank cannot make that split,
the set is announced before the quiz starts (`SetPlan`, raised in a `SetShortfall`): per type,
what was asked, what the bank can make in that language, and what the set would hold. A type
that runs short gives its slots to the other requested types; a type the learner did not ask
for never fills a slot.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from quizapp.core.question_types import Question


class GenerationError(ValueError):
    """A question set that cannot be made as asked (unknown type, no facts in that language).

    `code` names the reason for callers that show it in another language: "unknown_type",
    "no_types", "count", "no_language" (nothing in that language) or "empty" (no question of
    the requested types can be made).
    """

    def __init__(self, message: str, code: str = "invalid"):
        super().__init__(message)
        self.code = code


def requested_split(count: int, types: list[str]) -> dict[str, int]:
    """The even split of `count` questions over the types, in request order.

    >>> requested_split(8, ["mcq", "order", "match"])
    {'mcq': 3, 'order': 3, 'match': 2}
    """
    base, extra = divmod(count, len(types))
    return {name: base + (1 if index < extra else 0) for index, name in enumerate(types)}


@dataclass
class SetPlan:
    """A drawn set and how it compares with the request.

    `requested`: questions asked per type; `capacity`: how many of each requested type the bank
    can make in the language (each counted alone, see `QuestionPool.capacity`); `planned`: how
    many of each type the drawn set holds; `questions`: the set itself, in its final order.
    """

    count: int
    language: str
    requested: dict[str, int]
    capacity: dict[str, int]
    planned: dict[str, int]
    questions: list[Question] = field(default_factory=list)

    @property
    def total(self) -> int:
        """How many questions the set holds."""
        return len(self.questions)

    @property
    def exact(self) -> bool:
        """Whether the set is exactly what was asked: the count and the even split of types."""
        return self.total == self.count and self.planned == self.requested

    def short_types(self) -> list[str]:
        """The requested types of which the set holds fewer than asked, in request order."""
        return [t for t, asked in self.requested.items() if self.planned.get(t, 0) < asked]

    def signature(self) -> str:
        """The set's make-up as text ("mcq=4,order=3"), to check that an accepted plan holds."""
        return ",".join(f"{t}={n}" for t, n in self.planned.items())


class SetShortfall(GenerationError):
    """The bank cannot give the set as asked; `plan` says what it can give instead."""

    def __init__(self, plan: SetPlan):
        short = ", ".join(
            f"{t}: asked {plan.requested[t]}, can make {plan.capacity.get(t, 0)}"
            for t in plan.short_types()
        )
        super().__init__(
            f"the bank can give {plan.total} of the {plan.count} questions asked"
            + (f" ({short})" if short else " (in another mix of the types)"),
            code="shortfall",
        )
        self.plan = plan
