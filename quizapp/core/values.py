"""Reading answers as values: normalised text, numbers and dates in English and Spanish.

Everything that compares or rewrites an answer goes through here, so that the bank validator,
the distractor maker and the answer checker agree on what "the same value" means.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

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

NUMBER_WORDS: dict[str, int] = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "cero": 0,
    "uno": 1,
    "una": 1,
    "dos": 2,
    "tres": 3,
    "cuatro": 4,
    "cinco": 5,
    "seis": 6,
    "siete": 7,
    "ocho": 8,
    "nueve": 9,
    "diez": 10,
    "once": 11,
    "doce": 12,
    "trece": 13,
    "catorce": 14,
    "quince": 15,
    "dieciseis": 16,
    "diecisiete": 17,
    "dieciocho": 18,
    "diecinueve": 19,
    "veinte": 20,
}
SCALE_WORDS: dict[str, int] = {
    "thousand": 10**3,
    "mil": 10**3,
    "million": 10**6,
    "millions": 10**6,
    "millon": 10**6,
    "millones": 10**6,
    "billion": 10**9,
    "billions": 10**9,
}

_DASHES = str.maketrans({"\u2013": "-", "\u2014": "-", "\u2212": "-", "\u2011": "-"})
# Letters that carry no combining mark to strip but still read as plain Latin letters.
_PLAIN_LETTERS = str.maketrans(
    {"ı": "i", "ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D", "ß": "ss"}
    | {"æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "ð": "d", "Ð": "D", "þ": "th", "Þ": "TH"}
)
_SPACES = re.compile(r"[\s\u00a0\u202f]+")
# Digit groups of exactly three after a separator are thousands: 13,266 / 13.266 / 13 266.
_GROUPED = re.compile(r"(?<![\d.,])(\d{1,3})((?:[.,\u00a0\u202f ]\d{3})+)(?![\d]|[.,]\d)")
_DECIMAL = re.compile(r"(?<![\d.,])(\d+)[.,](\d+)(?![\d.,]*\d)")


def strip_accents(text: str) -> str:
    """Remove diacritics: Iași -> Iasi, Pătrăşcanu -> Patrascanu."""
    decomposed = unicodedata.normalize("NFKD", text).translate(_PLAIN_LETTERS)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def canonical_numbers(text: str) -> str:
    """Rewrite grouped and decimal numbers in one form: 13.266 and 13 266 -> 13266, 2,5 -> 2.5."""
    text = _GROUPED.sub(lambda m: m.group(1) + re.sub(r"\D", "", m.group(2)), text)
    return _DECIMAL.sub(lambda m: f"{m.group(1)}.{m.group(2)}", text)


def normalise(text: str) -> str:
    """Fold an answer for comparison: case, accents, punctuation, spacing, articles, numbers."""
    text = strip_accents(str(text)).casefold().translate(_DASHES)
    text = canonical_numbers(text)
    # Ordinal suffixes (23rd, 1º) carry no meaning once the number is read.
    text = re.sub(r"(\d)(?:st|nd|rd|th|º|ª|°)\b", r"\1", text)
    # Punctuation becomes a space, except a decimal point between digits.
    text = re.sub(r"(?<!\d)\.|\.(?!\d)", " ", text)
    text = "".join(
        c if c.isalnum() or c in " ." else " " for c in text if unicodedata.category(c)[0] != "M"
    )
    words = [w for w in _SPACES.split(text) if w and w not in ARTICLES]
    return " ".join(words)


def contains_phrase(haystack: str, needle: str) -> bool:
    """Whether the normalised needle stands in the normalised haystack as whole words."""
    hay, need = normalise(haystack), normalise(needle)
    if not need:
        return False
    return re.search(r"(?<![\w.])" + re.escape(need) + r"(?![\w]|\.\d)", hay) is not None


# ---------------------------------------------------------------------------------------------
# Numbers

_NUMBER_TOKEN = re.compile(r"\d+(?:\.\d+)?")


@dataclass(frozen=True)
class Quantity:
    """A number read from text: its full value, and the figure as written before any scale word."""

    value: Decimal
    figure: Decimal
    scaled: bool


def parse_quantity(text: str) -> Quantity | None:
    """Read the one number in an answer ("13.266", "US$300 million", "fifteen"), or None."""
    found = find_quantities(text)
    if len(found) != 1:
        return None
    return found[0][2]


def parse_number(text: str) -> Decimal | None:
    """The value of the one number in an answer, or None when there is none or several."""
    quantity = parse_quantity(text)
    return quantity.value if quantity else None


def find_quantities(text: str) -> list[tuple[int, int, Quantity]]:
    """Every number in a normalised copy of the text, with its span there and its value."""
    folded = normalise(text)
    found: list[tuple[int, int, Quantity]] = []
    for match in re.finditer(r"[a-z]+|\d+(?:\.\d+)?", folded):
        token = match.group()
        if token in NUMBER_WORDS:
            figure = Decimal(NUMBER_WORDS[token])
        elif token[0].isdigit():
            figure = Decimal(token)
        elif token in SCALE_WORDS and found and found[-1][1] == match.start() - 1:
            start, _, previous = found.pop()
            scale = SCALE_WORDS[token]
            found.append(
                (start, match.end(), Quantity(previous.figure * scale, previous.figure, True))
            )
            continue
        else:
            continue
        found.append((match.start(), match.end(), Quantity(figure, figure, False)))
    return found


def format_like(template: str, value: Decimal) -> str:
    """Write a number in the form of the template's number: separators, decimals, words around."""
    match = re.search(r"\d[\d.,\u00a0\u202f ]*\d|\d", template)
    if match is None:
        return str(value)
    figure = match.group()
    thousands = ""
    decimal_mark = "."
    groups = re.findall(r"[.,\u00a0\u202f ](?=\d{3}(?!\d))", figure)
    if groups:
        thousands = groups[0]
        decimal_mark = "," if thousands == "." else "."
    elif re.fullmatch(r"\d+,\d{1,2}", figure):
        decimal_mark = ","
    decimals = 0
    tail = re.search(r"[.,](\d{1,2})$", figure)
    if tail and not (groups and tail.group(0)[0] == thousands):
        decimals = len(tail.group(1))
    number = f"{value:,.{decimals}f}"
    integer, _, fraction = number.partition(".")
    integer = integer.replace(",", thousands)
    if not groups and len(integer.replace(thousands, "")) <= 4 and thousands == "":
        integer = integer.replace(",", "")
    written = integer + (decimal_mark + fraction if fraction else "")
    return template[: match.start()] + written + template[match.end() :]


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
_ORD = r"(?:st|nd|rd|th|º|ª|°)?"
_DAY = rf"(?P<day>[0-3]?\d){_ORD}"
_YEAR = r"(?P<year>1\d{3}|20\d{2})"
_MONTH = rf"(?P<month>{_MONTH_ALT})\.?"
_DATE_PATTERNS = [
    re.compile(rf"\b{_DAY}\s*(?:de\s+|of\s+)?{_MONTH}(?:,?\s*(?:de\s+|del\s+|of\s+)?{_YEAR})?\b"),
    re.compile(rf"\b{_MONTH}\s+{_DAY}(?:,?\s*(?:de\s+|of\s+)?{_YEAR})?\b"),
    re.compile(rf"\b{_MONTH},?\s+(?:de\s+|del\s+|of\s+)?{_YEAR}\b"),
    re.compile(r"\b(?P<day>[0-3]?\d)[/.-](?P<month>[01]?\d)[/.-](?P<year>1\d{3}|20\d{2})\b"),
    re.compile(r"\b(?P<year>1\d{3}|20\d{2})-(?P<month>[01]?\d)-(?P<day>[0-3]?\d)\b"),
]


@dataclass(frozen=True)
class DateMention:
    """A date found in text, with the spans of its parts in that (case-folded) text."""

    date: PartialDate
    start: int
    end: int
    parts: dict[str, tuple[int, int]]


def _fold_keep_length(text: str) -> str:
    """Case-fold and strip accents letter by letter, so spans still index the original text."""
    return "".join(
        (strip_accents(c).casefold() or c)[:1] if len(strip_accents(c).casefold()) else c
        for c in text
    )


def find_dates(text: str) -> list[DateMention]:
    """Every date mentioned in the text (English or Spanish, words or figures), left to right."""
    folded = _fold_keep_length(text)
    taken: list[tuple[int, int]] = []
    mentions: list[DateMention] = []
    for pattern in _DATE_PATTERNS:
        for match in pattern.finditer(folded):
            if any(s < match.end() and match.start() < e for s, e in taken):
                continue
            groups = match.groupdict()
            month_text = groups.get("month")
            month = None
            if month_text is not None:
                month = int(month_text) if month_text.isdigit() else MONTH_NUMBERS[month_text]
            date = PartialDate(
                int(groups["year"]) if groups.get("year") else None,
                month,
                int(groups["day"]) if groups.get("day") else None,
            )
            if not date.is_valid():
                continue
            parts = {name: match.span(name) for name, value in groups.items() if value}
            mentions.append(DateMention(date, match.start(), match.end(), parts))
            taken.append(match.span())
    return sorted(mentions, key=lambda m: m.start)


def parse_date(text: str) -> PartialDate | None:
    """Read an answer that is a date and nothing else ("23 August 1944", "23/08/1944")."""
    stripped = text.strip().strip(".,;")
    stripped = re.sub(r"^(?:on|el|the)\s+", "", stripped, flags=re.IGNORECASE)
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


def parse_decimal(text: str) -> Decimal | None:
    """A plain, finite decimal from a form field ("12", "-3.5", "1e3"), or None.

    NaN, sNaN and the infinities are None like any other text that is not a number: no
    tolerance, weight or bound can be one, and comparing them raises or misleads.
    """
    if not isinstance(text, str):
        return None
    try:
        value = Decimal(text.strip())
    except (InvalidOperation, ValueError):
        return None
    return value if value.is_finite() else None
