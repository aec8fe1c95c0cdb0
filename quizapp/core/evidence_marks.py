"""A passage with every fact's evidence marked, for the reader: spans in, well-nested marks out.

Facts of one passage often cite overlapping words: the same sentence (two facts with one
evidence), a clause inside a sentence, or two clauses that share a few words. HTML marks must
nest, so the passage is cut at every edge of every span (`segments`: each piece knows which
evidence covers it) and the pieces are folded into a tree of marks (`nest`):

* identical spans merge into one mark that belongs to several facts;
* a span inside another is a mark inside the other's mark;
* two crossing spans cannot both be whole: the one that starts later (or, from the same start,
  the shorter one) is split where the other ends, into fragments that each nest.

A mark's first fragment carries its anchor, its last is followed by the link to its facts.
Pure functions of offsets: the caller escapes and writes the HTML.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import pairwise


@dataclass(frozen=True)
class Span:
    """The evidence of the fact `key`: characters [start, end) of the passage."""

    start: int
    end: int
    key: str


@dataclass(frozen=True)
class Mark:
    """One evidence extent [start, end) and the facts that cite exactly it (in input order)."""

    start: int
    end: int
    keys: tuple[str, ...]

    def contains(self, other: Mark) -> bool:
        """Whether `other` lies within this mark (equal extents included)."""
        return self.start <= other.start and other.end <= self.end


@dataclass(frozen=True)
class Segment:
    """A maximal piece [start, end) of the passage under the same marks, outermost first."""

    start: int
    end: int
    marks: tuple[Mark, ...]


@dataclass(frozen=True)
class Text:
    """Plain text [start, end) of the passage inside the innermost open fragment."""

    start: int
    end: int


@dataclass(frozen=True)
class Fragment:
    """A mark's extent, or the part of it between two crossings, with what it holds.

    `first`: it begins where its mark begins (it carries the anchor); `last`: it ends where
    its mark ends (the link to the facts follows it).
    """

    mark: Mark
    start: int
    end: int
    children: tuple[Text | Fragment, ...]

    @property
    def first(self) -> bool:
        """Whether this fragment opens its mark."""
        return self.start == self.mark.start

    @property
    def last(self) -> bool:
        """Whether this fragment closes its mark."""
        return self.end == self.mark.end


Node = Text | Fragment


def marks_of(length: int, spans: Iterable[Span]) -> list[Mark]:
    """The marks of a passage of `length` characters, outermost first.

    Spans are clipped to the passage; empty ones are dropped; spans with the same extent merge
    (a key given twice for one extent counts once). Order: by start, then the longer first, so
    that a mark comes before every mark it contains.
    """
    keys: dict[tuple[int, int], list[str]] = {}
    for span in spans:
        start, end = max(0, span.start), min(length, span.end)
        if start >= end:
            continue
        extent = keys.setdefault((start, end), [])
        if span.key not in extent:
            extent.append(span.key)
    return [
        Mark(start, end, tuple(found))
        for (start, end), found in sorted(keys.items(), key=lambda item: (item[0][0], -item[0][1]))
    ]


def segments(length: int, spans: Iterable[Span]) -> list[Segment]:
    """The passage [0, length) cut at every edge of every span, each piece with its marks.

    The pieces cover the passage exactly, in order, and two neighbours never have the same
    marks. A piece's marks are outermost first (see `marks_of`). Cost: O(e · m) for e edges
    and m marks, a few dozen at most in a passage.
    """
    if length <= 0:
        return []
    marks = marks_of(length, spans)
    edges = sorted({0, length, *(m.start for m in marks), *(m.end for m in marks)})
    return [
        Segment(low, high, tuple(m for m in marks if m.start <= low and high <= m.end))
        for low, high in pairwise(edges)
    ]


def nest(pieces: Sequence[Segment]) -> tuple[Node, ...]:
    """Fold segments into a tree of well-nested fragments (see the module's docstring).

    Between two neighbouring segments the marks they share as a common outermost prefix stay
    open; every other open mark is closed (innermost first) and the new segment's remaining
    marks are opened (outermost first). A mark closed while it still has text to cover is
    opened again later: it has several fragments.
    """
    root: list[Node] = []
    # Open fragments: (mark, start, children); the root list stands below them.
    stack: list[tuple[Mark, int, list[Node]]] = []

    def close(end: int) -> None:
        mark, start, children = stack.pop()
        fragment = Fragment(mark, start, end, tuple(children))
        (stack[-1][2] if stack else root).append(fragment)

    position = pieces[0].start if pieces else 0
    for piece in pieces:
        common = 0
        while (
            common < len(stack)
            and common < len(piece.marks)
            and stack[common][0] == piece.marks[common]
        ):
            common += 1
        while len(stack) > common:
            close(position)
        for mark in piece.marks[common:]:
            stack.append((mark, piece.start, []))
        (stack[-1][2] if stack else root).append(Text(piece.start, piece.end))
        position = piece.end
    while stack:
        close(position)
    return tuple(root)


def marked(length: int, spans: Iterable[Span]) -> tuple[Node, ...]:
    """The passage's tree of marks: `nest(segments(length, spans))`."""
    return nest(segments(length, spans))


__all__ = ["Fragment", "Mark", "Node", "Segment", "Span", "Text", "marked", "marks_of", "nest"]
