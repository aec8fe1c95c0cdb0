"""Reading answers as values: normalised text and dates in English and Spanish.

Everything that compares or rewrites an answer goes through here, so that the bank validator,
the distractor maker and the answer checker agree on what "the same value" means. Character
folding lives in `characters`, number reading and writing in `numbers`; both are re-exported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from quizapp.core.characters import (
    fold_with_positions,
    prepare,
    remove_format_characters,
    strip_accents,
)
from quizapp.core.numbers import (
    NUMBER,
    NUMBER_WORDS,
    SCALE_WORDS,
    Quantity,
    canonical_number,
    canonical_numbers,
    find_quantities,
    format_like,
    number_view,
    parse_decimal,
    parse_number,
    parse_quantity,
    read_number,
)

# Names other modules import from here (numbers and characters moved to their own modules).
__all__ = [
    "ARTICLES",
    "MONTHS",
    "MONTH_NAMES",
    "NUMBER_WORDS",
    "SCALE_WORDS",
    "DateMention",
    "PartialDate",
    "Quantity",
    "canonical_numbers",
    "contains_phrase",
    "find_dates",
    "find_quantities",
    "format_date_like",
    "format_like",
    "month_language",
    "normalise",
    "parse_date",
    "parse_decimal",
    "parse_number",
    "parse_quantity",
    "prepare",
    "remove_format_characters",
    "strip_accents",
]

ARTICLES = frozenset(
    {"the", "a", "an", "el", "la", "los", "las", "un", "una", "unos", "unas", "lo"}
)

MONTHS: dict[str, dict[str, int]] = {
    "en": {
        "january": 1,
        "february": 2,
        "march": 3,
        "april": 4,
        "may": 5,
        "june": 6,
        "july": 7,
        "august": 8,
        "september": 9,
        "october": 10,
        "november": 11,
        "december": 12,
    },
    "es": {
        "enero": 1,
        "febrero": 2,
        "marzo": 3,
        "abril": 4,
        "mayo": 5,
        "junio": 6,
        "julio": 7,
        "agosto": 8,
        "septiembre": 9,
        "setiembre": 9,
        "octubre": 10,
        "noviembre": 11,
        "diciembre": 12,
    },
}
MONTH_ABBREVIATIONS = {
    "jan": 1,
    "ene": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "abr": 4,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "ago": 8,
    "sep": 9,
    "sept": 9,
    "set": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
    "dic": 12,
}
MONTH_NUMBERS: dict[str, int] = {
    name: number for months in MONTHS.values() for name, number in months.items()
} | MONTH_ABBREVIATIONS
# The name used when writing a month back, per language (the first spelling wins).
MONTH_NAMES: dict[str, list[str]] = {
    language: [next(n for n, k in months.items() if k == m) for m in range(1, 13)]
    for language, months in MONTHS.items()
}

# Ordinal suffixes after a figure carry no meaning once the number is read: 23rd, 1st, 1ro, 1er.
_ORDINAL_SUFFIX = re.compile(r"(?<![0-9])([0-9]{1,4})(?:st|nd|rd|th|ro|er)\b")
# Initialisms with dots read as one word: U.S.S.R. -> ussr, E.E.U.U. -> eeuu. Letters and dots
# alternate, so the pattern cannot match the same text two ways.
_INITIALISM = re.compile(
    r"(?<![\w.])(?:[^\W\d_]\.){2,}(?!\w)|(?<![\w.])(?:[^\W\d_]\.)+[^\W\d_](?![\w.])"
)
# A figure, a space and three more digits: two numbers that would read as one grouped number.
_SPLIT_GROUP = re.compile(r"(?<![0-9.])[0-9]{1,3} [0-9]{3}(?![0-9])")


def _join_initialism(match: re.Match[str]) -> str:
    return match.group().replace(".", "")


def _fold_words(text: str) -> str:
    """Punctuation and symbols become spaces; letters and digits stay."""
    return "".join(c if c.isalnum() else " " for c in text)


def _normalise_once(text: str) -> str:
    view = number_view(text)
    view = _ORDINAL_SUFFIX.sub(r"\1", view)
    view = _INITIALISM.sub(_join_initialism, view)
    pieces: list[str] = []
    last = 0
    for match in NUMBER.finditer(view):
        pieces.append(_fold_words(view[last : match.start()]))
        pieces.append(" " + canonical_number(read_number(match)) + " ")
        last = match.end()
    pieces.append(_fold_words(view[last:]))
    words = [w for w in "".join(pieces).split() if w not in ARTICLES]
    return " ".join(words)


def normalise(text: str) -> str:
    """Fold an answer for comparison: case, accents, punctuation, spacing, articles, numbers.

    Format characters go first and ordinal indicators are read before accents are stripped
    (see `characters`); initialisms lose their dots; every number is written in its canonical
    form with its sign ("-40", "0.5", "1234.5"). The result reads back to itself: two separate
    numbers left side by side ("12, 345" -> "12 345") are read once more as the grouped number
    they now look like, so `normalise(normalise(x)) == normalise(x)`.
    """
    folded = _normalise_once(text)
    for _ in range(4):
        if not _SPLIT_GROUP.search(folded):
            break
        folded = _normalise_once(folded)
    return folded


def contains_phrase(haystack: str, needle: str) -> bool:
    """Whether the normalised needle stands in the normalised haystack as whole words."""
    return contains_normalised(normalise(haystack), normalise(needle))


def contains_normalised(hay: str, need: str) -> bool:
    """`contains_phrase` on texts already normalised: the needle as whole words of the
    haystack (not after a letter, digit, point or minus; not before a letter, digit or ".5").
    A plain `find` loop rather than a regular expression compiled per call: it runs in the
    inner loops of generation."""
    if not need:
        return False
    start = hay.find(need)
    while start >= 0:
        end = start + len(need)
        # Not after a letter, digit, point or minus sign: "40" is not inside "-40" or "1.40".
        before_ok = start == 0 or not (hay[start - 1].isalnum() or hay[start - 1] in "._-")
        after = hay[end : end + 2]
        after_ok = not after or not (
            after[0].isalnum() or after[0] == "_" or (after[0] == "." and after[1:].isdigit())
        )
        if before_ok and after_ok:
            return True
        start = hay.find(need, start + 1)
    return False


# ---------------------------------------------------------------------------------------------
# Dates


@dataclass(frozen=True, order=True)
class PartialDate:
    """A date as precise as the text gives it: a year, a month and year, a day and month..."""

    year: int | None
    month: int | None
    day: int | None

    def sort_key(self) -> tuple[int, int, int]:
        """Order for chronology; only meaningful between dates with a year."""
        return (self.year or 0, self.month or 0, self.day or 0)

    def is_valid(self) -> bool:
        """Whether the parts make a real calendar date."""
        if self.month is not None and not 1 <= self.month <= 12:
            return False
        if self.day is not None and (
            self.month is None or not 1 <= self.day <= _days_in(self.month, self.year)
        ):
            return False
        return self.year is not None or self.month is not None


def _days_in(month: int, year: int | None) -> int:
    if month == 2:
        if year is None:
            return 29
        return 29 if (year % 4 == 0 and year % 100 != 0) or year % 400 == 0 else 28
    return 30 if month in (4, 6, 9, 11) else 31


_MONTH_ALT = "|".join(sorted(MONTH_NUMBERS, key=len, reverse=True))
_ORD = r"(?:st|nd|rd|th|ro|er|\.?[ºª]|°)?"
# A day in words: the Spanish "primero" ("1.º de septiembre", said "primero de septiembre"),
# and English ordinals ("the first of September", "September first").
DAY_WORDS = {
    word: day
    for day, word in enumerate(
        [
            "first",
            "second",
            "third",
            "fourth",
            "fifth",
            "sixth",
            "seventh",
            "eighth",
            "ninth",
            "tenth",
        ],
        1,
    )
}
DAY_WORDS["primero"] = 1
_DAY_WORD_ALT = "|".join(sorted(DAY_WORDS, key=len, reverse=True))
_DAY = rf"(?:(?P<day>[0-3]?\d){_ORD}|(?P<dayword>{_DAY_WORD_ALT}))"
_YEAR = r"(?P<year>1\d{3}|20\d{2})"
_MONTH = rf"(?P<month>{_MONTH_ALT})\.?"
# Each pattern is linear: the optional pieces start with different literals ("de", "of", ",").
_DATE_PATTERNS = [
    re.compile(rf"\b{_DAY}\s*(?:de\s+|of\s+)?{_MONTH}(?:,?\s*(?:de\s+|del\s+|of\s+)?{_YEAR})?\b"),
    re.compile(rf"\b{_MONTH}\s+{_DAY}(?:,?\s*(?:de\s+|of\s+)?{_YEAR})?\b"),
    re.compile(rf"\b{_MONTH},?\s+(?:de\s+|del\s+|of\s+)?{_YEAR}\b"),
    re.compile(r"\b(?P<day>[0-3]?\d)[/.-](?P<month>[01]?\d)[/.-](?P<year>1\d{3}|20\d{2})\b"),
    re.compile(r"\b(?P<year>1\d{3}|20\d{2})-(?P<month>[01]?\d)-(?P<day>[0-3]?\d)\b"),
    # A month and year in figures: 04/1944, 4.1944 (after the full dates, which take precedence).
    re.compile(r"\b(?P<month>0?[1-9]|1[0-2])[/.-](?P<year>1\d{3}|20\d{2})\b"),
]
# A range of months in one year ("mayo a junio de 1940", "May to June 1940", "May–June 1940",
# "entre mayo y junio de 1940"): both months are mentioned, neither is the one date.
_MONTH_RANGE = re.compile(
    rf"\b(?P<month>{_MONTH_ALT})\.?\s*(?:a|to|y|and|hasta|until|[-\u2013\u2014])\s*"
    rf"(?P<month2>{_MONTH_ALT})\.?,?\s+(?:de\s+|del\s+|of\s+)?{_YEAR}\b"
)
# Words that may stand before a date answer without changing it: "in April 1944", "el 23 de...".
DATE_LEAD_WORDS = frozenset(
    {"on", "in", "at", "of", "by", "during", "the", "el", "en", "de", "del", "a", "al", "durante"}
)


@dataclass(frozen=True)
class DateMention:
    """A date found in text, with the spans of its parts in that text."""

    date: PartialDate
    start: int
    end: int
    parts: dict[str, tuple[int, int]]


def find_dates(text: str) -> list[DateMention]:
    """Every date mentioned in the text (English or Spanish, words or figures), left to right.

    Spans index `text` itself: the text is folded letter by letter (case, accents, format
    characters out) and every span found in the fold is mapped back to the original letters.
    """
    folded, positions = fold_with_positions(text)

    def original(span: tuple[int, int]) -> tuple[int, int]:
        return positions[span[0]], positions[span[1] - 1] + 1

    taken: list[tuple[int, int]] = []
    mentions: list[DateMention] = []
    for match in _MONTH_RANGE.finditer(folded):
        year_span = original(match.span("year"))
        for group in ("month", "month2"):
            date = PartialDate(int(match["year"]), MONTH_NUMBERS[match[group]], None)
            start, end = original(match.span(group))
            mentions.append(
                DateMention(date, start, end, {"month": (start, end), "year": year_span})
            )
        taken.append(match.span())
    for pattern in _DATE_PATTERNS:
        for match in pattern.finditer(folded):
            if any(s < match.end() and match.start() < e for s, e in taken):
                continue
            groups = match.groupdict()
            month_text = groups.get("month")
            month = None
            if month_text is not None:
                month = int(month_text) if month_text.isdigit() else MONTH_NUMBERS[month_text]
            day = None
            if groups.get("day"):
                day = int(groups["day"])
            elif groups.get("dayword"):
                day = DAY_WORDS[groups["dayword"]]
            date = PartialDate(int(groups["year"]) if groups.get("year") else None, month, day)
            if not date.is_valid():
                continue
            parts = {
                ("day" if name == "dayword" else name): original(match.span(name))
                for name, value in groups.items()
                if value
            }
            start, end = original(match.span())
            mentions.append(DateMention(date, start, end, parts))
            taken.append(match.span())
    return sorted(mentions, key=lambda m: m.start)


def parse_date(text: str) -> PartialDate | None:
    """Read an answer that is a date and nothing else ("23 August 1944", "in April 1944").

    Up to three leading prepositions or articles (`DATE_LEAD_WORDS`) are ignored; anything else
    left beside the date means the answer is not only a date.
    """
    stripped = prepare(text).strip().strip(".,;")
    for _ in range(3):
        first, _, rest = stripped.partition(" ")
        if not rest or strip_accents(first).casefold() not in DATE_LEAD_WORDS:
            break
        stripped = rest.strip()
    for mention in find_dates(stripped):
        rest = (stripped[: mention.start] + stripped[mention.end :]).strip(" ,.")
        if not rest:
            return mention.date
    year = re.fullmatch(r"\s*(1\d{3}|20\d{2})\s*", stripped)
    if year:
        return PartialDate(int(year.group(1)), None, None)
    return None


def month_language(name: str) -> str | None:
    """The language whose month names include this word, if any."""
    folded = strip_accents(name).casefold().rstrip(".")
    for language, months in MONTHS.items():
        if folded in months:
            return language
    if folded in MONTH_ABBREVIATIONS:
        return "es" if folded in {"ene", "abr", "ago", "dic", "set"} else "en"
    return None


def _ordinal_suffix(day: int) -> str:
    if 11 <= day % 100 <= 13:
        return "th"
    return {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")


def format_date_like(template: str, date: PartialDate) -> str:
    """Write a date in the exact form of the template date: word order, month names, ordinals."""
    mentions = find_dates(template)
    if not mentions:
        raise ValueError(f"no date in {template!r}")
    mention = mentions[0]
    replacements: list[tuple[int, int, str]] = []
    for part, (start, end) in mention.parts.items():
        original = template[start:end]
        if part == "year" and date.year is not None:
            new = str(date.year)
        elif part == "month" and date.month is not None:
            if original.isdigit():
                new = f"{date.month:0{len(original)}d}"
            else:
                language = month_language(original) or "en"
                name = MONTH_NAMES[language][date.month - 1]
                folded = strip_accents(original).casefold().rstrip(".")
                if folded in MONTH_ABBREVIATIONS and folded not in MONTHS[language]:
                    name = name[: len(folded)]
                new = _match_case(name, original)
        elif part == "day" and date.day is not None:
            numeric = (
                "month" in mention.parts and template[slice(*mention.parts["month"])].isdigit()
            )
            padded = original.startswith("0") or numeric
            new = f"{date.day:0{len(original)}d}" if padded else str(date.day)
            suffix_match = re.match(r"(st|nd|rd|th)", template[end : end + 2], re.IGNORECASE)
            if suffix_match:
                replacements.append((end, end + 2, _ordinal_suffix(date.day)))
        else:
            continue
        replacements.append((start, end, new))
    result = template
    for start, end, new in sorted(replacements, reverse=True):
        result = result[:start] + new + result[end:]
    return result


def _match_case(word: str, model: str) -> str:
    if model.isupper() and len(model) > 1:
        return word.upper()
    if model[:1].isupper():
        return word[:1].upper() + word[1:]
    return word
