"""The one error of teachers' authoring: a change refused with reasons a teacher can act on."""

from __future__ import annotations


class AuthoringError(ValueError):
    """A change refused with reasons a teacher can act on."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("; ".join(problems))
