"""Characters before words: the first fold every answer, fact and passage goes through.

Three things must happen before anything reads words, numbers or dates out of a text:

* Unicode format characters (category Cf: soft hyphen, zero-width space and joiners, the byte
  order mark, bidirectional marks) are invisible and only ever split a word in two, so they are
  dropped first.
* Ordinal indicators (1º, 1ª, 1.º) are read before compatibility decomposition, which would turn
  "º" into the letter "o" and leave "1o", no longer an ordinal.
* Accents and letters without a decomposition (ł, ø, ß...) fold to plain Latin letters.

`fold_with_positions` does the same letter by letter and remembers where each folded letter came
from, so that spans found in the folded text still index the original (dates in a passage).
"""

from __future__ import annotations

import re
import unicodedata

# Letters that carry no combining mark to strip but still read as plain Latin letters.
_PLAIN_LETTERS = str.maketrans(
    {"ı": "i", "ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D", "ß": "ss"}
    | {"æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "ð": "d", "Ð": "D", "þ": "th", "Þ": "TH"}
)
# Ordinal indicators, kept as they are by the letter-by-letter fold so date patterns see them.
ORDINAL_INDICATORS = "ºª"
# A digit followed by an ordinal indicator (with the Spanish abbreviation dot: "1.º").
_ORDINAL_INDICATOR = re.compile(r"(\d)\.?[ºª]")
# Dash-like characters that stand for a minus sign or a hyphen: en dash, em dash, minus sign,
# non-breaking hyphen, small and fullwidth hyphen-minus (NFKC maps the last two as well).
DASHES = str.maketrans(
    {"\u2010": "-", "\u2011": "-", "\u2013": "-", "\u2014": "-", "\u2212": "-"}
    | {"\ufe63": "-", "\uff0d": "-"}
)


def remove_format_characters(text: str) -> str:
    """Drop every Unicode format character (category Cf): "Anto\\u00adnescu" -> "Antonescu"."""
    if text.isascii():
        return text
    return "".join(c for c in text if unicodedata.category(c) != "Cf")


def drop_ordinal_indicators(text: str) -> str:
    """Read "1º", "1ª" and "1.º" as the number alone, before NFKD can make "º" a letter."""
    return _ORDINAL_INDICATOR.sub(r"\1", text)


def strip_accents(text: str) -> str:
    """Remove diacritics: Iași -> Iasi, Pătrăşcanu -> Patrascanu (NFKD, then marks dropped)."""
    decomposed = unicodedata.normalize("NFKD", text).translate(_PLAIN_LETTERS)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def prepare(text: str) -> str:
    """The first fold of any answer: format characters out, ordinals read, dashes unified."""
    return drop_ordinal_indicators(remove_format_characters(str(text))).translate(DASHES)


def fold_with_positions(text: str) -> tuple[str, list[int]]:
    """Case-fold and strip accents letter by letter, keeping where each letter came from.

    Returns the folded text and, for each of its characters, the index in `text` of the
    character it came from. Format characters and lone combining marks disappear; ordinal
    indicators stay as they are; a letter that folds to two ("ß" -> "ss") maps both to itself.
    """
    folded: list[str] = []
    positions: list[int] = []
    for index, char in enumerate(text):
        if char in ORDINAL_INDICATORS:
            pieces = char
        elif unicodedata.category(char) == "Cf":
            continue
        else:
            pieces = strip_accents(char).casefold()
        for piece in pieces:
            folded.append(piece)
            positions.append(index)
    return "".join(folded), positions
