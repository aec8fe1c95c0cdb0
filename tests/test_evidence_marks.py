"""The reader's evidence marks: spans of a passage cut into segments and folded into marks that
nest, whatever the spans do (apart, inside one another, identical, crossing)."""

from __future__ import annotations

from itertools import pairwise

from hypothesis import given, settings
from hypothesis import strategies as st

from quizapp.core.evidence_marks import (
    Fragment,
    Mark,
    Span,
    Text,
    marked,
    marks_of,
    segments,
)


def _leaves(nodes, open_keys=()):
    """(start, end, keys of every enclosing fragment) for every text leaf, left to right."""
    for node in nodes:
        if isinstance(node, Text):
            yield node.start, node.end, frozenset(open_keys)
        else:
            yield from _leaves(node.children, (*open_keys, *node.mark.keys))


def _fragments(nodes):
    for node in nodes:
        if isinstance(node, Fragment):
            yield node
            yield from _fragments(node.children)


def _html(text, nodes):
    """A plain rendering, to read the shape of a tree in a test."""
    out = []
    for node in nodes:
        if isinstance(node, Text):
            out.append(text[node.start : node.end])
        else:
            out.append(f"<{'+'.join(node.mark.keys)}>{_html(text, node.children)}</>")
    return "".join(out)


def test_apart_nested_and_identical_spans():
    text = "The king led a coup on 23 August 1944."
    spans = [
        Span(0, 8, "king"),
        Span(9, 37, "coup"),
        Span(23, 37, "date"),
        Span(23, 37, "date-again"),
    ]
    assert _html(text, marked(len(text), spans)) == (
        "<king>The king</> <coup>led a coup on <date+date-again>23 August 1944</></>."
    )


def test_crossing_spans_split_the_later_one_where_the_first_ends():
    text = "abcdefghij"
    nodes = marked(len(text), [Span(0, 6, "a"), Span(3, 10, "b")])
    assert _html(text, nodes) == "<a>abc<b>def</></><b>ghij</>"
    first, second = [f for f in _fragments(nodes) if f.mark.keys == ("b",)]
    assert (first.first, first.last, second.first, second.last) == (True, False, False, True)


def test_a_span_starting_with_a_longer_one_nests_inside_it():
    text = "abcdefghij"
    assert _html(text, marked(len(text), [Span(0, 4, "short"), Span(0, 9, "long")])) == (
        "<long><short>abcd</>efghi</>j"
    )


def test_spans_are_clipped_to_the_passage_and_empty_ones_dropped():
    assert marks_of(5, [Span(-3, 2, "a"), Span(4, 99, "b"), Span(3, 3, "c"), Span(4, 2, "d")]) == [
        Mark(0, 2, ("a",)),
        Mark(4, 5, ("b",)),
    ]


def test_no_spans_and_no_text():
    assert marked(4, []) == (Text(0, 4),)
    assert marked(0, [Span(0, 3, "a")]) == ()


def test_a_key_given_twice_for_one_extent_counts_once():
    assert marks_of(9, [Span(1, 5, "a"), Span(1, 5, "a")]) == [Mark(1, 5, ("a",))]


span_lists = st.integers(min_value=0, max_value=40).flatmap(
    lambda length: st.tuples(
        st.just(length),
        st.lists(
            st.builds(
                Span,
                st.integers(min_value=-2, max_value=length + 2),
                st.integers(min_value=-2, max_value=length + 2),
                st.sampled_from("abcdefgh"),
            ),
            max_size=8,
        ),
    )
)


def _covering(length, spans, position):
    return frozenset(
        s.key for s in spans if max(0, s.start) <= position < min(length, s.end) and s.start < s.end
    )


@settings(max_examples=400)
@given(span_lists)
def test_segments_tile_the_passage_and_know_what_covers_them(case):
    length, spans = case
    pieces = segments(length, spans)
    assert [p.start for p in pieces[1:]] == [p.end for p in pieces[:-1]]
    if length:
        assert pieces[0].start == 0 and pieces[-1].end == length
    for piece in pieces:
        assert piece.start < piece.end
        keys = frozenset(k for m in piece.marks for k in m.keys)
        for position in range(piece.start, piece.end):
            assert keys == _covering(length, spans, position)
        # Outermost first: each mark contains or starts before the ones after it.
        for outer, inner in pairwise(piece.marks):
            assert (outer.start, -outer.end) < (inner.start, -inner.end)
    for left, right in pairwise(pieces):
        assert left.marks != right.marks


@settings(max_examples=400)
@given(span_lists)
def test_the_tree_nests_loses_nothing_and_marks_every_covered_letter(case):
    length, spans = case
    nodes = marked(length, spans)
    leaves = list(_leaves(nodes))
    # Lossless: the leaves tile the passage in order.
    assert [(s, e) for s, e, _keys in leaves] == sorted((s, e) for s, e, _keys in leaves)
    assert sum(e - s for s, e, _k in leaves) == length
    for start, end, keys in leaves:
        for position in range(start, end):
            assert keys == _covering(length, spans, position)
    for fragment in _fragments(nodes):
        # A fragment lies inside its mark and its children tile it.
        assert fragment.mark.start <= fragment.start < fragment.end <= fragment.mark.end
        assert fragment.children[0].start == fragment.start
        assert fragment.children[-1].end == fragment.end
        for child in fragment.children:
            if isinstance(child, Fragment):
                assert fragment.start <= child.start and child.end <= fragment.end
    # Each mark's fragments cover exactly its extent: one first, one last.
    by_mark: dict[Mark, list[Fragment]] = {}
    for fragment in _fragments(nodes):
        by_mark.setdefault(fragment.mark, []).append(fragment)
    assert set(by_mark) == set(marks_of(length, spans))
    for mark, pieces in by_mark.items():
        pieces.sort(key=lambda f: f.start)
        assert pieces[0].start == mark.start and pieces[-1].end == mark.end
        assert [f.start for f in pieces[1:]] == [f.end for f in pieces[:-1]]
        assert sum(f.first for f in pieces) == 1 and sum(f.last for f in pieces) == 1


def _crosses(a: Mark, b: Mark) -> bool:
    return a.start < b.start < a.end < b.end or b.start < a.start < b.end < a.end


@settings(max_examples=400)
@given(span_lists)
def test_a_mark_that_crosses_no_other_is_never_split(case):
    length, spans = case
    marks = marks_of(length, spans)
    counts: dict[Mark, int] = {}
    for fragment in _fragments(marked(length, spans)):
        counts[fragment.mark] = counts.get(fragment.mark, 0) + 1
    for mark in marks:
        if not any(_crosses(mark, other) for other in marks):
            assert counts[mark] == 1, mark
