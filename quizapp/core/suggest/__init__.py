"""Candidate facts proposed from a pasted source text, by rules (English and Spanish).

A teacher pastes a text; `suggest` proposes spans worth asking about (dates, years, numbers and
quantities, names of people, places, organisations and events), each with the sentence that
holds it and a draft question. Everything here is regular expressions, capitalisation and cue
words: no model, nothing downloaded, cheap enough to run on every keystroke of an editor.

Every suggestion is an exact span of the text it was given (``text[start:end] == answer``), so an
accepted one becomes a fact whose evidence offsets are already right.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from quizapp.core.suggest.candidates import Candidate, Mask
from quizapp.core.suggest.drafting import draft_stem
from quizapp.core.suggest.figures import date_number_candidates
from quizapp.core.suggest.lexicon import ABBREVIATIONS, PARAGRAPH_BREAK, SENTENCE_BREAK
from quizapp.core.suggest.names import name_candidates
from quizapp.core.values import normalise

KINDS = ("date", "year", "number", "person", "place", "organisation", "event")
LANGUAGES = ("en", "es")


@dataclass(frozen=True)
class Suggestion:
    """A proposed fact: an exact span of the text, its kind, its sentence and a draft stem."""

    answer: str  # exactly text[start:end]
    kind: str  # one of KINDS
    start: int
    end: int
    evidence_start: int  # the sentence holding the answer, as offsets in the text
    evidence_end: int
    stem: str  # a draft question in the text's language; never contains the answer
    statement: str  # the evidence sentence: a statement containing the answer
    category: str | None = None  # the bank taxonomy's category (names), when recognised


# ---------------------------------------------------------------------------------------------
# Public API


def suggest(text: str, language: str, limit: int = 12) -> list[Suggestion]:
    """Propose up to `limit` facts per paragraph of `text` (paragraphs split at blank lines)."""
    language = language if language in LANGUAGES else "en"
    suggestions: list[Suggestion] = []
    for start, end in paragraph_spans(text):
        suggestions.extend(_suggest_paragraph(text, start, end, language, limit))
    return suggestions


def paragraph_spans(text: str) -> list[tuple[int, int]]:
    """The (start, end) of every non-blank paragraph of the text, split at blank lines."""
    spans: list[tuple[int, int]] = []
    position = 0
    for match in [*PARAGRAPH_BREAK.finditer(text), None]:
        end = match.start() if match else len(text)
        chunk = text[position:end]
        if chunk.strip():
            left = position + len(chunk) - len(chunk.lstrip())
            spans.append((left, left + len(chunk.strip())))
        if match:
            position = match.end()
    return spans


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """The sentences of a paragraph as (start, end) spans.

    Unlike passages.sentence_span, an initial ("Nicholas E. Golovin") or an abbreviation
    ("St. Johns River") does not end a sentence here, so a name is never cut in two.
    """
    spans: list[tuple[int, int]] = []
    start = 0
    for match in SENTENCE_BREAK.finditer(text):
        stop = match.start(1) if match.group(1) is not None else match.start(2)
        if "\n" not in match.group() and not _ends_sentence(text, match.start(), match.end()):
            continue
        if text[start:stop].strip():
            spans.append((start, stop))
        start = match.end()
    if text[start:].strip():
        spans.append((start, len(text.rstrip())))
    return spans


def _ends_sentence(text: str, stop: int, following: int) -> bool:
    """Whether the punctuation just before `stop` really ends a sentence."""
    if following < len(text) and text[following].islower():
        return False
    before = text[max(0, stop - 40) : stop].rstrip("\"'”»)]")
    word = re.search(r"(\w+)\.$", before)
    if word:
        token = word.group(1)
        if len(token) == 1 and token.isupper():  # an initial
            return False
        if token.casefold() in ABBREVIATIONS:
            return False
    return True


# ---------------------------------------------------------------------------------------------
# One paragraph


def _suggest_paragraph(
    text: str, start: int, end: int, language: str, limit: int
) -> list[Suggestion]:
    """Candidates of one paragraph, ranked, deduplicated and cut to `limit`, with their stems."""
    if limit <= 0:
        return []
    para = text[start:end]
    sentences = sentence_spans(para) or [(0, len(para))]
    candidates = date_number_candidates(para, language)
    # A name may end in a figure ("State Route 99", "Astra 2A"), never in a date or a year.
    taken = Mask(len(para))
    for candidate in candidates:
        if candidate.kind != "number":
            taken.add(candidate.start, candidate.end)
    names = name_candidates(para, sentences, language, taken)
    in_names = Mask(len(para))
    for name in names:
        in_names.add(name.start, name.end)
    candidates = [c for c in candidates if not in_names.holds(c.start, c.end)] + names

    # One candidate per normalised answer: the first occurrence, scored by its best form and
    # by how often the paragraph mentions it (a repeated name is usually what it is about).
    groups: dict[str, list[Candidate]] = {}
    for candidate in candidates:
        answer = para[candidate.start : candidate.end]
        key = normalise(answer)
        if key and "\n" not in answer:
            groups.setdefault(key, []).append(candidate)
    ranked: list[Candidate] = []
    for group in groups.values():
        first = min(group, key=lambda c: c.start)
        first.score = max(c.score for c in group) + min(3 * (len(group) - 1), 9)
        ranked.append(first)
    # A first name or surname alone next to the full name is the same person mentioned again.
    name_parts: set[str] = set()
    for candidate in ranked:
        words = normalise(para[candidate.start : candidate.end]).split()
        if candidate.kind == "person" and len(words) > 1:
            name_parts.update((words[0], words[-1]))
    for candidate in ranked:
        if (
            candidate.kind in _NAMES
            and normalise(para[candidate.start : candidate.end]) in name_parts
        ):
            candidate.score -= 20
    suggestions: list[Suggestion] = []
    for candidate in _select(ranked, limit):
        answer = para[candidate.start : candidate.end]
        sentence = _sentence_of(sentences, candidate.start, candidate.end)
        stem = draft_stem(para, sentence, candidate, language)
        suggestions.append(
            Suggestion(
                answer=answer,
                kind=candidate.kind,
                start=start + candidate.start,
                end=start + candidate.end,
                evidence_start=start + sentence[0],
                evidence_end=start + sentence[1],
                stem=stem,
                statement=para[sentence[0] : sentence[1]],
                category=candidate.category,
            )
        )
    return suggestions


_NAMES = frozenset({"person", "place", "organisation", "event"})
# Each pick lowers the worth of further picks of the same sort (names, numbers, dates and
# years), so a paragraph full of years still gets its names suggested, and the reverse.
_SPREAD = 5.0


def _bucket(candidate: Candidate) -> str:
    if candidate.kind in _NAMES:
        return "name"
    return "number" if candidate.kind == "number" else "time"


def _select(candidates: list[Candidate], limit: int) -> list[Candidate]:
    """The best `limit` candidates, best first, spread over names, numbers and dates."""
    pool = sorted(candidates, key=lambda c: c.start)
    picked: list[Candidate] = []
    per_bucket: Counter[str] = Counter()
    while pool and len(picked) < limit:
        best = max(pool, key=lambda c: c.score - _SPREAD * per_bucket[_bucket(c)])
        pool.remove(best)
        picked.append(best)
        per_bucket[_bucket(best)] += 1
    return picked


def _sentence_of(sentences: list[tuple[int, int]], start: int, end: int) -> tuple[int, int]:
    """The sentence (or run of sentences) that holds the span start..end."""
    first = next((s for s in sentences if s[0] <= start < s[1]), None)
    last = next((s for s in sentences if s[0] < end <= s[1]), None)
    return (first[0] if first else start, max(last[1] if last else end, end))
