"""Uploaded text files: decoding, line endings and the characters no import may hold.

Every reader of a file a person uploads (the GIFT, Aiken and CSV parsers, bank folders and bank
.zip archives) goes through here first, so that all of them agree on what a line is:

- a line ends at "\\r\\n", "\\r\\r\\n", a lone "\\r" or "\\n", each counted once, as text editors
  count them ("\\r\\r\\n" is what some Windows tools write when they convert a file that already
  had "\\r\\n": the stray "\\r" is not a blank line);
- U+2028, U+2029 and U+0085 are not line ends: most editors show them inside a line, and
  counting them would give line numbers a teacher cannot find;
- control characters other than tab and line ends (NUL above all, which PostgreSQL cannot store)
  are refused, each with its line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# One line end, longest first so that "\r\r\n" and "\r\n" are one end each.
LINE_END = re.compile(r"\r\r\n|\r\n|\r|\n")
_LINE_END_BYTES = re.compile(rb"\r\r\n|\r\n|\r|\n")
# C0 controls and DEL, except tab, line feed and carriage return.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x0c\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class TextProblem:
    """A problem with a file's text as a whole, on a line (1-based)."""

    line: int
    message: str


def normalise_line_ends(text: str) -> str:
    """The text with every line end ("\\r\\n", "\\r\\r\\n", "\\r", "\\n") written "\\n".

    A leading byte-order mark is removed too. Lines keep their numbers: line k of the result is
    line k of the file as an editor numbers it.
    """
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\r" not in text:
        return text
    return LINE_END.sub("\n", text)


def line_at(data: bytes | str, offset: int) -> int:
    """The line (from 1) that holds position `offset` of `data`, counting line ends as above."""
    head = data[:offset]
    if isinstance(head, bytes):
        return len(_LINE_END_BYTES.findall(head)) + 1
    return len(LINE_END.findall(head)) + 1


def decode(data: bytes) -> tuple[str, TextProblem | None]:
    """UTF-8 bytes (with or without a byte-order mark) as text with "\\n" line ends.

    Returns the text and None, or, for bytes that are not UTF-8, the text decoded with
    replacement characters (so that other problems can still be found) and a problem naming the
    line of the first bad byte.
    """
    try:
        return normalise_line_ends(data.decode("utf-8-sig")), None
    except UnicodeDecodeError as error:
        problem = TextProblem(
            line_at(data, error.start),
            "this line is not UTF-8 text: save the file as UTF-8 and upload it again",
        )
        return normalise_line_ends(data.decode("utf-8-sig", errors="replace")), problem


def control_characters(text: str) -> list[TextProblem]:
    """One problem per line holding a control character (NUL, escape…), in line order.

    `text` has "\\n" line ends (see `normalise_line_ends`). The scan is one pass over the text:
    lines are counted from one control character to the next, never from the start again.
    """
    problems: list[TextProblem] = []
    line, position, last_line = 1, 0, 0
    for match in _CONTROL.finditer(text):
        line += text.count("\n", position, match.start())
        position = match.start()
        if line == last_line:
            continue
        last_line = line
        code = ord(match.group())
        name = "NUL" if code == 0 else f"U+{code:04X}"
        problems.append(
            TextProblem(
                line,
                f"this line holds a control character ({name}) that text cannot hold: "
                "remove it (it is often left by copying from another program)",
            )
        )
    return problems


def prepare(text: str) -> tuple[str, list[TextProblem]]:
    """A file's text as every parser reads it: "\\n" line ends, and its control characters."""
    text = normalise_line_ends(text)
    return text, control_characters(text)
