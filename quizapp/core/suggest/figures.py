"""Dates, years, numbers and quantities in a paragraph, as candidate answers."""

from __future__ import annotations

import re

from quizapp.core.suggest.candidates import Candidate, Mask
from quizapp.core.suggest.lexicon import (
    MONTH_WORDS,
    NUMBER,
    NUMBER_WORDS,
    RANGE,
    SCALE,
    TIME,
    UNITS,
    YEAR,
    YEAR_FIGURE,
    word_set,
)
from quizapp.core.values import find_dates, strip_accents


def date_number_candidates(para: str, language: str) -> list[Candidate]:
    """Dates, then years, then numbers; each a span no earlier one already holds."""
    found: list[Candidate] = []
    taken = Mask(len(para))
    with_unit: set[int] = set()  # where a quantity with a unit ends

    def add(start: int, end: int, kind: str, score: float, unit: str = "") -> None:
        found.append(Candidate(start, end, kind, score, unit))
        taken.add(start, end)
        if kind == "number" and unit:
            with_unit.add(end)

    for mention in find_dates(para):
        month = mention.parts.get("month")
        if month:
            word = para[month[0] : month[1]]
            if word.isalpha():
                folded = strip_accents(word).casefold()
                # "may" and "march" are verbs in English, "mar" is the sea in Spanish: only a
                # full month name (capitalised in English) or a dotted abbreviation is a month.
                if folded not in MONTH_WORDS and para[month[1] : month[1] + 1] != ".":
                    continue
                if language == "en" and not word[0].isupper():
                    continue
        has_day, has_year = "day" in mention.parts, "year" in mention.parts
        detail = "day" if has_day else "month" if has_year else ""
        add(mention.start, mention.end, "date", 100 if has_day and has_year else 96, detail)

    for match in RANGE.finditer(para):
        if taken.overlaps(*match.span()) or not _is_range(para, match):
            continue
        years = all(YEAR_FIGURE.fullmatch(match.group(g)) for g in ("a", "b"))
        tail = match.group("tail").strip()
        unit = ("currency " if match.group("cur") else "") + tail
        if years and not unit:
            add(match.start(), match.end(), "year", 90, "range")
        else:
            add(match.start(), match.end(), "number", 84 if unit else 78, unit or "range")

    for match in YEAR.finditer(para):
        if taken.overlaps(*match.span()) or _counts_things(para, match.end()):
            continue
        figure = match.group()[:4]
        decade = len(match.group()) > 4 and figure.endswith("0")
        end = match.end() if decade else match.start() + 4  # "2008's storm": the year only
        add(match.start(), end, "year", 90, "decade" if decade else "")

    for match in TIME.finditer(para):
        if not taken.overlaps(*match.span()):
            add(match.start(), match.end(), "number", 70, "time")

    for match in NUMBER.finditer(para):
        if taken.overlaps(*match.span()) or _restated(para, match.start(), with_unit):
            continue
        tail = match.group("tail").strip()
        currency = match.group("cur") or ""
        figure = match.group("fig")
        unit = ("currency " if currency else "") + tail
        small = len(re.sub(r"\D", "", figure)) == 1 and not unit
        decimal = re.fullmatch(r"\d+[.,]\d{1,2}", figure) is not None
        score = 60 if small else 84 if unit else 80
        add(match.start(), match.end(), "number", score, unit or ("decimal" if decimal else ""))

    for match in _number_words(language).finditer(para):
        if taken.overlaps(*match.span()):
            continue
        vague = match.group(1).casefold() in _VAGUE_NUMBERS
        unit = match.group(2).strip() if match.group(2) else ""
        add(match.start(), match.end(), "number", 50 if vague else 66, unit)
    return found


def _is_range(para: str, match: re.Match[str]) -> bool:
    """Whether two figures joined by a word make one answer ("between 1500 and 1850")."""
    years = [YEAR_FIGURE.fullmatch(match.group(g)) is not None for g in ("a", "b")]
    if years[0] != years[1]:
        return False  # "from 75.8% in 1970 to 55.1%": a year and a figure are two answers
    join = match.group("join").strip().casefold()
    before = para[max(0, match.start() - 30) : match.start()].split()[-1:]
    previous = before[0].casefold() if before else ""
    if join in ("and", "y"):
        # "between 687 and 760 nm", "687 and 760 nm" (one unit for both)
        return previous in ("between", "entre") or bool(match.group("tail").strip())
    if join == "al":
        return previous == "del"
    # "rose from 415,000 to 587,000": two values, each worth asking.
    return years[0] or previous not in ("from", "de", "desde")


def _restated(para: str, start: int, with_unit: set[int]) -> bool:
    """Whether a figure in brackets restates the quantity before it: "110 mph (180 km/h)"."""
    if not para[:start].endswith("("):
        return False
    opening = len(para[: start - 1].rstrip())
    return opening in with_unit


_VAGUE_NUMBERS = word_set(
    "hundreds thousands dozens dozen cientos centenares miles docenas docena decenas"
)
_COUNTED_AFTER_YEAR = word_set(
    "people men women children soldiers troops jews persons "
    "personas hombres mujeres niños soldados tropas judíos"
)


def _counts_things(para: str, end: int) -> bool:
    """Whether a year-like figure is really a count: "2000 people", "1500 soldados"."""
    following = re.match(r"\s+(\w+)", para[end:])
    if not following:
        return False
    word = following.group(1)
    return word.casefold() in _COUNTED_AFTER_YEAR or re.fullmatch(UNITS, word, re.I) is not None


_NUMBER_WORD_PATTERNS: dict[str, re.Pattern[str]] = {}


def _number_words(language: str) -> re.Pattern[str]:
    """A pattern for a number in words, with a scale word and a unit if any."""
    if language not in _NUMBER_WORD_PATTERNS:
        words = "|".join(sorted(NUMBER_WORDS[language], key=len, reverse=True))
        _NUMBER_WORD_PATTERNS[language] = re.compile(
            rf"(?<![\w\-])((?:{words})(?:[-\s](?:{words}))?(?:\s+{SCALE})?)"
            rf"(\s+(?:de\s+)?(?:{UNITS}))?(?![\w\-])",
            re.IGNORECASE,
        )
    return _NUMBER_WORD_PATTERNS[language]
