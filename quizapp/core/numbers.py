"""Reading and writing numbers in answers, in English, Spanish and SI styles.

A number is read with its sign and in any of these styles (all give 1234.5 or -0.5):

=====================  =======================================================
plain                  ``1234.5``, ``1234,5`` (one decimal mark, comma or point)
English grouping       ``1,234.5``
Spanish grouping       ``1.234,5``
SI grouping            ``1 234,5``, ``1 234.5`` (space, no-break or thin space)
leading dot            ``.5``, ``-.5``
scientific             ``6.02e23``, ``6.02E+23``, ``6.02×10^23``, ``6.02 x 10²³``
signs                  ``-``, ``+``, U+2212 minus, fullwidth ``－``, en dash
=====================  =======================================================

Ambiguity is settled one way, as before: one separator followed by exactly three digits, after a
first group of one to three digits not starting with 0, is a thousands grouping ("1,234" and
"1.234" are both 1234; "0,234" and "1,2345" are decimals). A dash is a minus sign only where it
starts a number (not after a letter, digit or decimal mark), so "1954-1956" stays two numbers.

The number pattern is linear: its branches begin with different characters or are separated
by a literal mark, and no quantifier repeats a group that can match the same text another way.
Grouped figures have at most six groups after the first (below 10^21): a start inside a long run
of space-separated groups then looks ahead a bounded distance, so reading stays linear.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from quizapp.core.characters import prepare, strip_accents

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
    "millardo": 10**9,
    "millardos": 10**9,
    # The Spanish billón is a million millions.
    "billon": 10**12,
    "billones": 10**12,
}
# Scale abbreviations glued to a figure, as in news and finance ("$300m", "US$2bn", "$2B",
# "5k", "300 mln"): read only right after the figure, never standing alone.
SCALE_ABBREVIATIONS: dict[str, int] = {
    "k": 10**3,
    "m": 10**6,
    "mn": 10**6,
    "mm": 10**6,
    "mln": 10**6,
    "b": 10**9,
    "bn": 10**9,
    "bln": 10**9,
}

_SUPERSCRIPTS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺", "0123456789-+")
# "10²³": superscript exponents must be read before NFKD makes "10²³" the number 1023.
_SUPERSCRIPT_POWER = re.compile(r"10([⁻⁺]?[⁰¹²³⁴⁵⁶⁷⁸⁹]{1,3})")
_NUMBER_PATTERN = r"""
    (?:(?<![\w.,])(?P<sign>[-+])|(?<![0-9.,]))       # a sign only where a number starts
    (?:
        (?:
            (?P<en>[1-9][0-9]{0,2}(?:,[0-9]{3}){1,6}(?:\.[0-9]+)?)     # 1,234,567.5
          | (?P<es>[1-9][0-9]{0,2}(?:\.[0-9]{3}){1,6}(?:,[0-9]+)?)     # 1.234.567,5
          | (?P<si>[1-9][0-9]{0,2}(?:\ [0-9]{3}){1,6}(?:[.,][0-9]+)?)  # 1 234 567,5
        )
        (?!e[-+]?[0-9]|\ ?[x×*·]\ ?10\^)                          # a mantissa is not grouped
      |
        (?:
            (?P<plain>[0-9]+(?:[.,][0-9]+)?)                       # 1234567.5 / 1234567,5
          | (?P<lead>[.,][0-9]+)                                    # .5 / ,5 (Spanish)
        )
        (?:e(?P<exp>[-+]?[0-9]{1,3})|\ ?[x×*·]\ ?10\^(?P<power>[-+]?[0-9]{1,3}))?
    )
    (?![0-9]|[.,][0-9])                                             # not cut out of a longer figure
"""
NUMBER = re.compile(_NUMBER_PATTERN, re.VERBOSE)
_TOKENS = re.compile(rf"(?P<number>{_NUMBER_PATTERN})|(?P<word>[^\W\d_]+)", re.VERBOSE)
_LOOKS_GROUPED = re.compile(r"-?[1-9][0-9]{0,2}\.[0-9]{3}")
# Canonical numbers are written out in full within this many orders of magnitude.
_PLAIN_MAGNITUDE = 40


def number_view(text: str) -> str:
    """The text as the number reader sees it: prepared, exponents read, accents and case folded.

    NFKD turns fullwidth digits and signs into ASCII and no-break and thin spaces into spaces.
    """
    text = _SUPERSCRIPT_POWER.sub(
        lambda m: "10^" + m.group(1).translate(_SUPERSCRIPTS), prepare(text)
    )
    return strip_accents(text).casefold()


def read_number(match: re.Match[str]) -> Decimal:
    """The value of one match of `NUMBER` (or of the number group of the token pattern)."""
    groups = match.groupdict()
    if groups["en"]:
        digits = groups["en"].replace(",", "")
    elif groups["es"]:
        digits = groups["es"].replace(".", "").replace(",", ".")
    elif groups["si"]:
        digits = groups["si"].replace(" ", "").replace(",", ".")
    elif groups["plain"]:
        digits = groups["plain"].replace(",", ".")
    else:
        digits = "0." + groups["lead"][1:]
    value = Decimal(digits)
    exponent = groups["exp"] or groups["power"]
    if exponent:
        value = value.scaleb(int(exponent))
    return -value if groups["sign"] == "-" else value


def canonical_number(value: Decimal) -> str:
    """One spelling per value: no grouping, a point for decimals, no trailing zeros, a sign.

    A figure that would read as a thousands grouping gets a trailing zero ("10.0010"). Very
    large or small magnitudes are written as mantissa and exponent ("6.02e99"), which the
    reader reads back to the same value.
    """
    if value == 0:
        return "0"
    value = value.normalize()
    if abs(value.adjusted()) <= _PLAIN_MAGNITUDE:
        written = format(value, "f")
        # "10.001" would read back as the grouped 10001: a fourth decimal keeps it a decimal.
        return written + "0" if _LOOKS_GROUPED.fullmatch(written) else written
    mantissa = value.scaleb(-value.adjusted()).normalize()
    return f"{format(mantissa, 'f')}e{value.adjusted()}"


def canonical_numbers(text: str) -> str:
    """Rewrite every number of a number view in its canonical form ("1.234,5" -> "1234.5")."""
    return NUMBER.sub(lambda m: canonical_number(read_number(m)), text)


@dataclass(frozen=True)
class Quantity:
    """A number read from text: its full value, and the figure as written before any scale word."""

    value: Decimal
    figure: Decimal
    scaled: bool
    # Scaled by a letter glued to the figure ("$300m", "2bn", "5k"), which may also be a unit
    # ("300m" of height): a reader compares the figure too where the key has no scale.
    abbreviated: bool = False


def parse_quantity(text: str) -> Quantity | None:
    """Read the one number in an answer ("13.266", "US$300 million", "fifteen", "-40"), or None."""
    found = find_quantities(text)
    if len(found) != 1:
        return None
    return found[0][2]


def parse_number(text: str) -> Decimal | None:
    """The value of the one number in an answer, or None when there is none or several."""
    quantity = parse_quantity(text)
    return quantity.value if quantity else None


def find_quantities(text: str) -> list[tuple[int, int, Quantity]]:
    """Every number in the text, left to right: its span in `number_view(text)` and its value.

    Figures, number words ("fifteen", "quince") and a scale word right after either
    ("300 million", "2 mil millones") or a scale abbreviation glued to a figure ("$300m",
    "2bn") are read; a figure with a scale word keeps its figure.
    """
    view = number_view(text)
    found: list[tuple[int, int, Quantity]] = []
    for match in _TOKENS.finditer(view):
        token = match.group()
        if match.group("number") is not None:
            figure = read_number(match)
        elif token in NUMBER_WORDS:
            figure = Decimal(NUMBER_WORDS[token])
        elif token in SCALE_WORDS and found and found[-1][1] == match.start() - 1:
            start, _, previous = found.pop()
            scale = SCALE_WORDS[token]
            found.append(
                (start, match.end(), Quantity(previous.value * scale, previous.figure, True))
            )
            continue
        elif (
            token in SCALE_ABBREVIATIONS
            and found
            and not found[-1][2].scaled
            and found[-1][1] in (match.start(), match.start() - 1)
            and (found[-1][1] == match.start() or len(token) > 1)
        ):
            # Glued ("300m") or, for the longer ones only, a space apart ("300 mln").
            start, _, previous = found.pop()
            scale = SCALE_ABBREVIATIONS[token]
            found.append(
                (
                    start,
                    match.end(),
                    Quantity(previous.value * scale, previous.figure, True, abbreviated=True),
                )
            )
            continue
        else:
            continue
        found.append((match.start(), match.end(), Quantity(figure, figure, False)))
    return found


# Numbers written as words, per language, for writing a value like a key written in words.
_WORDS_EN = tuple(list(NUMBER_WORDS)[:21])
_WORDS_ES = (
    "cero", "uno", "dos", "tres", "cuatro", "cinco", "seis", "siete", "ocho", "nueve", "diez",
    "once", "doce", "trece", "catorce", "quince", "dieciséis", "diecisiete", "dieciocho",
    "diecinueve", "veinte",
)  # fmt: skip
_SPANISH_NUMBER_WORDS = frozenset(strip_accents(word) for word in (*_WORDS_ES, "una"))


def format_like(template: str, value: Decimal) -> str:
    """Write a number in the form of the template's number: separators, decimals, words around.

    A template written as a number word ("dos", "two") gets the value as a word of the same
    language when it is a whole number up to twenty ("tres"), and digits beyond.
    """
    match = re.search(r"\d[\d.,\u00a0\u202f ]*\d|\d", template)
    if match is None:
        return _as_word_like(template, value)
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


def _as_word_like(template: str, value: Decimal) -> str:
    """The value written like the template's number word, or as digits when none fits."""
    for word_match in re.finditer(r"\w+", template):
        folded = strip_accents(word_match.group()).casefold()
        if folded not in NUMBER_WORDS:
            continue
        words = _WORDS_ES if folded in _SPANISH_NUMBER_WORDS else _WORDS_EN
        if value == value.to_integral_value() and 0 <= value <= 20:
            word = words[int(value)]
            if word_match.group()[:1].isupper():
                word = word[:1].upper() + word[1:]
        else:
            word = str(value)
        return template[: word_match.start()] + word + template[word_match.end() :]
    return str(value)


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
