"""Answers hidden in a passage shown before the questions they answer.

After each answer the feedback shows the source passage verbatim. A set may hold several facts
of one passage, so that passage can state the answer of a question still to come; those words
are hidden (masked) until that question is answered. This module finds them: `answer_spans`
gives the spans of the original passage text that state an answer, read as `leaks.reveals`
reads a text (whole normalised words: case, accents, articles, number grouping folded; a date
answer also matches any mention of the same date, "23 August 1944" = "August 23, 1944").

The spans index the passage exactly as stored, so a renderer can hide them and keep the rest
verbatim, the question's own evidence highlighted around them: only the words stating another
answer are hidden, never the whole evidence.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from quizapp.core.leaks import Answer, reveals, says
from quizapp.core.question_model import Question
from quizapp.core.values import PartialDate, find_dates, normalise, parse_date

Span = tuple[int, int]
# A question still to come: its label (position in the set) and its answers.
Pending = tuple[int, Sequence[Answer]]

# A word of the passage: letters and digits, with the joiners a single word or number keeps
# inside it ("1,234.5", "U.S.S.R", "d'Artagnan", "well-known"); a leading minus for "-40".
_TOKEN = re.compile(r"-?\w+(?:[.,'’\-/:]\w+)*")
# The marker that stands for a hidden answer in a text (as the learner reads it).
MASK = "▇▇▇▇"
# What a hidden span reads as when a text is checked for answers: a word of its own, so the
# words on each side of it never join into an answer ("of ▇▇▇▇ war" does not say "of war").
_MASK_WORD = "▇maskedanswer▇"


@dataclass(frozen=True)
class HiddenSpan:
    """A span of a passage to hide, and the label (question position) whose answer it states."""

    start: int
    end: int
    label: int


@functools.lru_cache(maxsize=1024)
def _words(text: str) -> tuple[tuple[str, int, int], ...]:
    """The passage's normalised words, each with the span of the token it comes from.

    A token that normalises to several words ("well-known") gives each its span; an article
    normalises to nothing and is skipped, as `normalise` skips it in a whole text.
    """
    words: list[tuple[str, int, int]] = []
    for match in _TOKEN.finditer(text):
        start, end = match.span()
        if text[start] == "-" and start > 0 and text[start - 1].isalnum():
            start += 1  # a hyphen between words, not a minus sign
        for word in normalise(text[start:end]).split():
            words.append((word, start, end))
    return tuple(words)


def _form_spans(text: str, form: str) -> list[Span]:
    need = normalise(form).split()
    if not need:
        return []
    words = _words(text)
    n = len(need)
    spans = [
        (words[i][1], words[i + n - 1][2])
        for i in range(len(words) - n + 1)
        if [w for w, _s, _e in words[i : i + n]] == need
    ]
    if not says(masked_reading(text, spans), form):
        return spans
    # What is left still states the form though no run of tokens does: the form spans tokens
    # that only read together, such as a number grouped with spaces ("12 345"), or a token
    # states it inside itself as `says` reads it ("-40" states "40"). Try token windows.
    tokens = [m.span() for m in _TOKEN.finditer(text)]
    for size in range(1, n + 4):  # the narrowest windows first
        for i in range(len(tokens) - size + 1):
            start, end = tokens[i][0], tokens[i + size - 1][1]
            if not any(s < end and start < e for s, e in spans) and says(text[start:end], form):
                spans.append((start, end))
    return spans


def answer_spans(text: str, answers: Iterable[Answer]) -> list[Span]:
    """Where the text states any of the answers: sorted, non-overlapping (start, end) spans.

    Spans index `text` itself (characters, end exclusive). A form matches as whole normalised
    words (see `quizapp.core.values.normalise`); a span runs from the first to the last word of
    the match, so an article inside it ("Battle of the Bulge") is hidden with it. A date answer
    also matches every mention of the same date (`values.find_dates`), however written.
    Overlapping or touching spans are merged. After hiding every span, `leaks.reveals` finds
    none of the answers in what is left (tests check it).
    """
    spans: list[Span] = []
    for answer in answers:
        for form in answer.forms:
            spans.extend(_form_spans(text, form))
        if answer.dates:
            spans.extend((m.start, m.end) for m in find_dates(text) if m.date in answer.dates)
    return _merged(spans)


def _merged(spans: Iterable[Span]) -> list[Span]:
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(s, e) for s, e in merged]


def hidden_spans(text: str, hidden: Sequence[Pending]) -> list[HiddenSpan]:
    """The spans of the text to hide for `hidden`, a list of (label, that question's answers).

    Non-overlapping and sorted; where answers of several questions overlap, the merged span
    carries the label of the first of them in `hidden` that states words in it.
    """
    labelled = [(span, label) for label, answers in hidden for span in answer_spans(text, answers)]
    result: list[HiddenSpan] = []
    for start, end in _merged(span for span, _label in labelled):
        label = next(lab for (s, e), lab in labelled if s < end and start < e)
        result.append(HiddenSpan(start, end, label))
    return result


def masked_reading(text: str, spans: Iterable[Span | HiddenSpan]) -> str:
    """`masked_text` as it is checked for answers: each marker a word of its own, as the block
    shown in its place is, so the words on each side of it never read as one phrase."""
    return masked_text(text, spans).replace(MASK, f" {_MASK_WORD} ")


def masked_text(text: str, spans: Iterable[Span | HiddenSpan]) -> str:
    """The text with each span replaced by MASK: what a learner can read of it."""
    pieces: list[str] = []
    last = 0
    for span in sorted((s.start, s.end) if isinstance(s, HiddenSpan) else s for s in spans):
        pieces += [text[last : span[0]], MASK]
        last = span[1]
    pieces.append(text[last:])
    return "".join(pieces)


def _dated(forms: Sequence[str], is_date: bool) -> Answer:
    forms = tuple(f for f in forms if f and f.strip())
    dates: frozenset[PartialDate] = frozenset()
    if is_date:
        dates = frozenset(d for d in map(parse_date, forms) if d is not None)
    return Answer(forms, dates)


def question_answers(question: Question) -> tuple[Answer, ...]:
    """The answers a frozen question asks for, as `leaks.exposure` counts them when drawing.

    A generated question: its fact's accepted forms, frozen in `fact_answers` (for true/false
    too: a passage naming the true value tells whether the statement holds), with the date they
    name for a date fact; a question frozen before that field existed falls back on its
    accepted answers (nothing for true/false). Ordering and matching: each item's accepted forms
    (and its date). A hand-written question: its accepted answers, except true/false ("True" gives
    nothing away) and matching.
    """
    if question.type in ("order", "match") and question.items:
        return tuple(
            answer
            for item in question.items
            if (answer := _item_answer(item)).forms or answer.dates
        )
    is_date = question.kind == "date"
    if question.origin == "generated":
        forms = question.fact_answers
        if not forms and question.type != "tf":  # frozen before `fact_answers` existed
            forms = question.accepted
        answer = _dated(forms, is_date)
        return (answer,) if answer.forms else ()
    if question.type in ("tf", "match"):
        return ()
    return tuple(Answer((form,)) for form in question.accepted if form.strip())


def _item_answer(item: dict[str, Any]) -> Answer:
    # Every accepted form of the item's fact (an item frozen before they were kept: its answer).
    forms = [str(f) for f in item.get("accepted") or [item.get("answer") or ""]]
    return _dated(forms, any(parse_date(f) is not None for f in forms))


def leaks_through(text: str, hidden: Sequence[Pending]) -> bool:
    """Whether the text, once masked for `hidden`, still states one of those answers (the
    honest check of the masking: benchmarks and tests call it on every passage shown)."""
    shown = masked_reading(text, hidden_spans(text, hidden))
    return any(reveals(shown, answer) for _label, answers in hidden for answer in answers)
