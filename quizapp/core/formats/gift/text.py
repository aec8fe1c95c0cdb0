"""GIFT text as reading and writing both see it: its spaces, escapes and format markers.

SPACES is the oracle's set of spaces; `KEEPS_SPACES` names the formats whose runs of spaces
and line breaks are kept. While a question is read, escapes are noncharacters
(`encode_escapes`, `PLACEHOLDERS`), turned back by `DECODE` when a text is finished (`finish`,
`rich`).
"""

from __future__ import annotations

import re

# JavaScript's \s: the oracle trims and collapses with it, so we use the same set of spaces.
SPACES = (
    "\t\n\v\f\r \u00a0\u1680"
    + "".join(chr(c) for c in range(0x2000, 0x200B))
    + "\u2028\u2029\u202f\u205f\u3000\ufeff"
)
_RUN = re.compile("[" + re.escape(SPACES) + "]{2,}")
# Escaped characters become noncharacters while a question is split on its control characters,
# so "\=" never starts an answer and "\#" never starts a feedback (Moodle does the same with
# "&&061;"-style placeholders); they are turned back into the characters at the very end.
_ESCAPES = {
    "\\": "\ufdd0",
    ":": "\ufdd1",
    "#": "\ufdd2",
    "=": "\ufdd3",
    "{": "\ufdd4",
    "}": "\ufdd5",
    "~": "\ufdd6",
    "n": "\ufdd7",
}
DECODE = str.maketrans({code: ("\n" if char == "n" else char) for char, code in _ESCAPES.items()})
PLACEHOLDERS = re.compile("[\ufdd0-\ufdd7]")
_FORMAT = re.compile(r"\[(html|markdown|plain|moodle)\]")
# html and markdown keep their spaces and line breaks; moodle and plain text are collapsed.
KEEPS_SPACES = ("html", "markdown")


def trim(text: str) -> str:
    """The text without the spaces (SPACES) at either end."""
    return text.strip(SPACES)


def finish(raw: str, fmt: str) -> str:
    """Trim, collapse spaces unless html/markdown, then resolve escapes (in that order).

    The escapes are resolved last, as Moodle and the oracle do, so an escaped "\\n" survives
    the collapsing of real line breaks in moodle and plain text.
    """
    text = trim(raw)
    if fmt not in KEEPS_SPACES:
        text = _RUN.sub(" ", text.replace("\n", " ").replace("\r", " "))
    return text.translate(DECODE)


def split_format(raw: str) -> tuple[str | None, str]:
    """A leading `[html]`/`[markdown]`/`[plain]`/`[moodle]` and the text after it."""
    text = raw.lstrip(SPACES)
    match = _FORMAT.match(text)
    if match:
        return match.group(1), text[match.end() :]
    return None, raw


def rich(raw: str, fmt: str) -> str:
    """A text that may start with its own format marker (answers, feedback)."""
    own, rest = split_format(raw)
    # quizapp keeps one text format per question: a marker on an answer or a feedback only
    # decides how its spaces are read (see docs/import-formats.md).
    return finish(rest, own or fmt)


def encode_escapes(line: str) -> str:
    """The line with each escape ("\\=", "\\n"...) as its noncharacter (DECODE turns it back)."""
    out: list[str] = []
    i = 0
    while i < len(line):
        if line[i] == "\\" and i + 1 < len(line) and line[i + 1] in _ESCAPES:
            out.append(_ESCAPES[line[i + 1]])
            i += 2
        else:
            out.append(line[i])
            i += 1
    return "".join(out)
