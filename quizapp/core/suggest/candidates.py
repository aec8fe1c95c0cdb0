"""A candidate answer found in a paragraph, and a mask of the characters already taken."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Candidate:
    """A span of a paragraph worth asking about, its kind and how good it looks."""

    start: int  # offsets in the paragraph
    end: int
    kind: str
    score: float
    unit: str = ""  # for numbers: the unit or scale words inside the answer ("seconds")
    category: str | None = None  # for names: the bank taxonomy's category, when recognised


class Mask:
    """The characters of a paragraph already held by a candidate (linear, unlike pairwise
    overlap tests, so a long pasted text stays fast)."""

    def __init__(self, size: int) -> None:
        self._held = bytearray(size)

    def add(self, start: int, end: int) -> None:
        self._held[start:end] = b"\x01" * (end - start)

    def overlaps(self, start: int, end: int) -> bool:
        return any(self._held[start:end])

    def holds(self, start: int, end: int) -> bool:
        return end > start and all(self._held[start:end])
