"""CSV for spreadsheets: cells that cannot run as formulas, UTF-8 with a byte-order mark, and
rows written as a stream of text chunks (so a download of a million rows never holds them).

CSV injection (OWASP, "CSV Injection"): a spreadsheet reads a cell that starts with `=`, `+`,
`-` or `@` as a formula, and a tab or carriage return before one of them is skipped, so
`=HYPERLINK(...)` typed as a learner's answer or name would run on the teacher's computer. Every
text cell that starts with one of those six characters gets a leading apostrophe, which
spreadsheets show as text and do not display. Numbers the app computes (grades, points,
seconds) are written as numbers and never changed, so a negative number stays a number; only
text from people is neutralised. Quotes, commas and line breaks inside a cell are the csv
module's business (RFC 4180 quoting).

The byte-order mark lets Excel read the file as UTF-8 (without it, accents come out as
mojibake); LibreOffice and Python's `utf-8-sig` codec skip it.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

BOM = "\ufeff"
# What a spreadsheet reads as the start of a formula (OWASP's list).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Rows written per chunk: big enough that a chunk is a few kilobytes, small enough to stream.
ROWS_PER_CHUNK = 500


def neutralise(text: str) -> str:
    """`text` with a leading apostrophe when a spreadsheet would read it as a formula (it
    starts with one of FORMULA_STARTS); otherwise unchanged."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def cell(value: Any) -> str | int | float:
    """A value as a CSV cell: None is empty, a whole float is an int (1.0 → 1), other numbers
    stay numbers, text is neutralised (`neutralise`); anything else is its text, neutralised.
    NaN and infinities (never stored) are written empty rather than as words a sheet reads
    as text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            return ""
        return int(value) if value.is_integer() else value
    return neutralise(str(value))


def given_text(given: Any) -> str:
    """A stored answer (`Response.given`) as one line of text: a list (several choices, an
    order) as its items joined by "; ", a mapping (a matching) as "left → right" pairs joined
    by "; ", None as empty, anything else as its text."""
    if given is None:
        return ""
    if isinstance(given, dict):
        return "; ".join(f"{given_text(key)} → {given_text(value)}" for key, value in given.items())
    if isinstance(given, (list, tuple)):
        return "; ".join(given_text(item) for item in given)
    return str(given)


def csv_chunks(
    rows: Iterable[Sequence[Any]], rows_per_chunk: int = ROWS_PER_CHUNK
) -> Iterator[str]:
    """The rows as CSV text in chunks, the first starting with the byte-order mark: each value
    goes through `cell`, lines end with CRLF (RFC 4180). Reads `rows` lazily, holding at most
    `rows_per_chunk` rows' text at a time."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write(BOM)
    pending = 0
    for row in rows:
        writer.writerow([cell(value) for value in row])
        pending += 1
        if pending >= rows_per_chunk:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
            pending = 0
    text = buffer.getvalue()
    if text:
        yield text
