"""Question import and export formats: Moodle GIFT, Aiken and quizapp's CSV.

Each entry of `FORMATS` reads a whole file with `parse(text) -> ParseResult` (questions to
import, essays and descriptions skipped with the reason, and every problem with its line: an
import goes ahead only when there is none) and writes questions with
`write(questions) -> (text, unwritten)`, where `unwritten` lists the questions the format cannot
hold, each with the reason. What each format holds: docs/import-formats.md.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from quizapp.core import text_files
from quizapp.core.authored import AuthoredQuestion, FormatProblem, ParseResult
from quizapp.core.formats import aiken, csv, gift
from quizapp.core.formats.gift import DESCRIPTION_REASON, ESSAY_REASON, SKIP_REASONS

Unwritten = list[tuple[AuthoredQuestion, str]]


@dataclass(frozen=True)
class Format:
    """One file format: how to read a file, how to write questions, and its file type."""

    name: str
    label: str
    extension: str
    media_type: str
    parse: Callable[[str], ParseResult]
    write: Callable[[Sequence[AuthoredQuestion]], tuple[str, Unwritten]]
    # A file to download and fill in, for formats of our own.
    template: Callable[[], str] | None = None


FORMATS: dict[str, Format] = {
    "gift": Format("gift", "Moodle GIFT", ".gift", "text/plain", gift.parse, gift.write),
    "aiken": Format("aiken", "Aiken", ".txt", "text/plain", aiken.parse, aiken.write),
    "csv": Format("csv", "CSV", ".csv", "text/csv", csv.parse, csv.write, csv.template),
}


def decode(data: bytes) -> tuple[str, list[FormatProblem]]:
    """An uploaded file as text (UTF-8, with or without BOM), or a problem saying where not.

    The text has "\\n" line ends whatever the file used, and a problem names the line as an
    editor numbers it (see quizapp.core.text_files). A file that is not UTF-8 is decoded anyway,
    with replacement characters, so that the caller can still report its other problems.
    """
    text, problem = text_files.decode(data)
    return text, [] if problem is None else [FormatProblem(problem.line, problem.message)]


__all__ = [
    "DESCRIPTION_REASON",
    "ESSAY_REASON",
    "FORMATS",
    "SKIP_REASONS",
    "Format",
    "decode",
]
