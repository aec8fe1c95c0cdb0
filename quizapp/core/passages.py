"""Source documents split into passages with stable ids, and evidence located by offsets."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from quizapp.core.text_files import normalise_line_ends

ANCHOR = re.compile(r"^\{#([A-Za-z0-9][A-Za-z0-9-]*)\}\s*$")
# A sentence ends after . ! or ? and any closing quotes or brackets (group 1), before spaces.
SENTENCE_END = re.compile(r"(?<=[.!?])([\"'”»)]*)\s+|\n")


@dataclass(frozen=True)
class Passage:
    """One paragraph (or a few consecutive lines) of a source, the unit every answer links to."""

    id: str
    document_id: str
    anchor: str
    text: str
    position: int
    line: int = field(default=0, compare=False)  # where it stands in its file, for messages
    anchored: bool = True


@dataclass
class Source:
    """A source document: what it is, where it comes from, and its passages in order."""

    id: str
    title: str
    language: str
    origin: str
    licence: str
    attribution: str
    cleaning: str = ""
    passages: list[Passage] = field(default_factory=list)
    _by_anchor: dict[str, Passage] = field(default_factory=dict, repr=False, compare=False)

    def passage(self, anchor: str) -> Passage | None:
        """The passage with this anchor (the part after '#'), if any."""
        if len(self._by_anchor) != len(self.passages):
            self._by_anchor = {p.anchor: p for p in self.passages}
        return self._by_anchor.get(anchor)


@dataclass(frozen=True)
class SplitProblem:
    """A problem found while splitting a source text, with the line it is on."""

    line: int
    message: str


def split_front_matter(text: str) -> tuple[str | None, str, int]:
    """Separate YAML front matter from the body; also return the body's first line number.

    Line ends of every style are read (quizapp.core.text_files).
    """
    text = normalise_line_ends(text)
    if not text.startswith("---\n"):
        return None, text, 1
    end = text.find("\n---\n", 4)
    if end == -1:
        if text.endswith("\n---"):
            end = len(text) - 4
        else:
            return None, text, 1
    front = text[4:end]
    body = text[end + 5 :]
    return front, body, front.count("\n") + 4


def split_passages(
    document_id: str, body: str, first_line: int = 1
) -> tuple[list[Passage], list[SplitProblem]]:
    """Split a document body into passages at blank lines, reading `{#id}` anchor lines."""
    passages: list[Passage] = []
    problems: list[SplitProblem] = []
    seen: dict[str, int] = {}
    for position, (line, lines) in enumerate(_blocks(body, first_line), start=1):
        anchor_match = ANCHOR.match(lines[0].strip())
        if anchor_match:
            anchor, anchored = anchor_match.group(1), True
            text = "\n".join(lines[1:]).strip()
            if not text:
                problems.append(SplitProblem(line, f"anchor {{#{anchor}}} has no text under it"))
                continue
        else:
            anchor, anchored = f"p{position}", False
            text = "\n".join(lines).strip()
        if anchor in seen:
            problems.append(
                SplitProblem(
                    line, f"duplicate passage id {anchor!r} (first used on line {seen[anchor]})"
                )
            )
            continue
        seen[anchor] = line
        passages.append(
            Passage(
                id=f"{document_id}#{anchor}",
                document_id=document_id,
                anchor=anchor,
                text=text,
                position=position,
                line=line,
                anchored=anchored,
            )
        )
    return passages, problems


def _blocks(body: str, first_line: int) -> list[tuple[int, list[str]]]:
    """Runs of non-blank lines, each with the file line number it starts on."""
    blocks: list[tuple[int, list[str]]] = []
    current: list[str] = []
    start = first_line
    for number, line in enumerate(body.split("\n"), start=first_line):
        if line.strip():
            if not current:
                start = number
            current.append(line)
        elif current:
            blocks.append((start, current))
            current = []
    if current:
        blocks.append((start, current))
    return blocks


def sentence_span(text: str, start: int, end: int) -> tuple[int, int]:
    """The span of the whole sentence(s) of `text` around the span start..end.

    A sentence keeps its closing quotes and brackets ("... Romanian state.”"), whether the span
    ends before them or after them.
    """
    sentence_start = 0
    for match in SENTENCE_END.finditer(text):
        boundary = match.start() + len(match.group(1) or "")
        if boundary <= start:
            sentence_start = match.end()
        elif boundary >= end:
            return sentence_start, boundary
    return sentence_start, len(text)
