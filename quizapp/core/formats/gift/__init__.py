"""Moodle GIFT: read every GIFT question type into `AuthoredQuestion`s and write them back.

`reading` reads a file (`read`: categories and questions in file order; `parse`: the questions
to import, the skipped ones and every problem); `writing` writes questions (`write`), checking
each by reading it back, and `normalize` gives a question as GIFT reads it back. What both see
of a text (spaces, escapes, format markers) is in `text`.
docs/import-formats.md describes what is read and written.
"""

from __future__ import annotations

from quizapp.core.formats.gift.reading import (
    DESCRIPTION_REASON,
    ESSAY_REASON,
    SKIP_REASONS,
    Category,
    GiftItem,
    parse,
    read,
)
from quizapp.core.formats.gift.writing import format_number, normalize, numeric_spec, write

__all__ = [
    "DESCRIPTION_REASON",
    "ESSAY_REASON",
    "SKIP_REASONS",
    "Category",
    "GiftItem",
    "format_number",
    "normalize",
    "numeric_spec",
    "parse",
    "read",
    "write",
]
