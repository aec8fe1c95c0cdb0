"""Reading GIFT: every GIFT question type into `AuthoredQuestion`s, categories, problems.

Reading follows Moodle's importer (question/format/gift/format.php) and, where the two differ,
the parse that GIFT-grammar-PEG.js expects: its test files are our conformance oracle
(tests/test_gift_conformance.py), so where its JSON and Moodle disagree the JSON wins and a
comment below says so. docs/import-formats.md describes what is read.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from quizapp.core.authored import (
    AuthoredQuestion,
    Choice,
    FormatProblem,
    MatchPair,
    NumericAnswer,
    ParseResult,
)
from quizapp.core.formats.gift.text import (
    DECODE,
    PLACEHOLDERS,
    SPACES,
    encode_escapes,
    finish,
    rich,
    split_format,
    trim,
)
from quizapp.core.text_files import prepare

ESSAY_REASON = "essays need a person to grade them; quizapp imports only questions it can grade"
DESCRIPTION_REASON = "a description has no question to answer"
# Why a parsed question goes to `skipped` instead of `questions`.
SKIP_REASONS = {"essay": ESSAY_REASON, "description": DESCRIPTION_REASON}


@dataclass(frozen=True)
class Category:
    """A `$CATEGORY:` line: the questions after it belong to `name` (None: no category)."""

    name: str | None
    line: int


GiftItem = AuthoredQuestion | Category

_TRUE_FALSE = {"T": True, "TRUE": True, "F": False, "FALSE": False}
_NUMBER = r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?"
_TOLERANCE = re.compile(rf"({_NUMBER})\s*:\s*({_NUMBER})")
_RANGE = re.compile(rf"({_NUMBER})\s*\.\.\s*({_NUMBER})")
_SIMPLE = re.compile(_NUMBER)


def _comment_values(text: str, key: str) -> list[str]:
    """Every `[key:value]` in a comment line, as Moodle's regular expression for them finds them.

    A value is one or more characters up to the first "]" not escaped by a backslash ("\\]" is
    kept as written); a control character or a backslash at the end stops it. The values are
    found in one pass: Moodle's regular expression, tried from every "[id:" in turn, reads the
    rest of the line again from each one, and a comment of many "[id:" took minutes.
    """
    opener = f"[{key}:"
    values: list[str] = []
    start = text.find(opener)
    while start >= 0:
        first = i = start + len(opener)
        end = -1
        while i < len(text):
            char = text[i]
            if char == "\\" and i + 1 < len(text) and text[i + 1] != "\n":
                i += 2
            elif char == "]":
                end = i
                break
            elif char == "\\" or char < " " or char == "\x7f":
                break
            else:
                i += 1
        if end > first:
            values.append(text[first:end])
            start = text.find(opener, end + 1)
        else:
            # An opener between `start` and `i` reads the same characters from its own value
            # on, so it stops at `i` too: the search goes on from there, never back.
            start = text.find(opener, max(i, start + 1))
    return values


def _number(text: str) -> float | None:
    text = text.strip()
    return float(text) if _SIMPLE.fullmatch(text) else None


class _Block:
    """The lines of one question (comments removed), escapes encoded, with a line map."""

    def __init__(self, lines: list[tuple[int, str]]) -> None:
        self.numbers = [number for number, _ in lines]
        encoded = [encode_escapes(text) for _, text in lines]
        self.starts: list[int] = []
        offset = 0
        for text in encoded:
            self.starts.append(offset)
            offset += len(text) + 1
        self.text = "\n".join(encoded)

    def line(self, offset: int) -> int:
        """The file line of an offset in `text`."""
        return self.numbers[max(bisect_right(self.starts, offset) - 1, 0)]


class _Reader:
    def __init__(self) -> None:
        self.items: list[GiftItem] = []
        self.problems: list[FormatProblem] = []
        self.category: str | None = None
        self.pending_id: str | None = None
        self.pending_tags: list[str] = []

    def problem(self, line: int, message: str) -> None:
        self.problems.append(FormatProblem(line, message))

    def comment(self, text: str) -> None:
        # As in the oracle, ids and tags in comments above a question belong to it, even with
        # blank lines in between; Moodle keeps only those in the question's own block.
        found = _comment_values(text, "id")
        if found:
            self.pending_id = trim(found[0].replace("\\]", "]")) or None
        for tag in _comment_values(text, "tag"):
            tag = trim(tag.replace("\\]", "]"))
            if tag:
                self.pending_tags.append(tag)

    def block(self, lines: list[tuple[int, str]]) -> None:
        for number, text in lines:
            if PLACEHOLDERS.search(text):
                self.problem(number, "this line holds a Unicode noncharacter (U+FDD0 to U+FDD7)")
                return
        body = [(n, t) for n, t in lines if not t.lstrip(" \t").startswith("//")]
        if body and body[0][1].lstrip(SPACES).startswith("$CATEGORY:"):
            number, text = body[0]
            name = text.lstrip(SPACES)[len("$CATEGORY:") :].strip()
            # An empty `$CATEGORY:` goes back to no category: that is how `write` says it.
            self.category = name or None
            self.items.append(Category(self.category, number))
            self.pending_id, self.pending_tags = None, []
            # The oracle lets a question follow its category line without a blank line.
            body = body[1:]
        for _, text in lines:
            if text.lstrip(" \t").startswith("//"):
                self.comment(text)
        if not body:
            return
        question = self.question(_Block(body))
        if question is not None:
            question.external_id = self.pending_id
            question.tags = self.pending_tags
            question.category = self.category
            question.line = body[0][0]
            self.items.append(question)
        self.pending_id, self.pending_tags = None, []

    def question(self, block: _Block) -> AuthoredQuestion | None:
        text = block.text
        pos = len(text) - len(text.lstrip(SPACES))
        title = None
        if text.startswith("::", pos):
            end = text.find("::", pos + 2)
            if end < 0:
                self.problem(
                    block.line(pos),
                    "the title that starts with '::' has no closing '::' "
                    "(write \\: for a colon inside a title)",
                )
                return None
            title = finish(text[pos + 2 : end], "plain") or None
            pos = end + 2
        opening = text.find("{", pos)
        closing = text.find("}", pos)
        if opening < 0 and closing < 0:
            fmt, rest = split_format(text[pos:])
            fmt = fmt or "moodle"
            return AuthoredQuestion(
                type="description", stem=finish(rest, fmt), text_format=fmt, title=title
            )
        if closing >= 0 and (opening < 0 or closing < opening):
            self.problem(
                block.line(closing),
                "'}' closes an answer block that was never opened (write \\} for a literal '}')",
            )
            return None
        if closing < 0:
            self.problem(
                block.line(opening),
                "unclosed '{' — the answer block that starts here has no closing '}' "
                "(a blank line ends a question)",
            )
            return None
        inner = text.find("{", opening + 1, closing)
        if inner >= 0:
            self.problem(
                block.line(inner),
                f"'{{' inside the answer block that starts on line {block.line(opening)}: "
                "close that block with '}' first, or write \\{ for a literal '{'",
            )
            return None
        after = text[closing + 1 :]
        extra = min((i for i in (after.find("{"), after.find("}")) if i >= 0), default=-1)
        if extra >= 0:
            self.problem(
                block.line(closing + 1 + extra),
                "a question has only one answer block {…}: write \\{ and \\} for literal braces",
            )
            return None

        before = text[pos:opening]
        fmt, stem1 = split_format(before)
        stem2 = after
        if fmt is None and not trim(before):
            # The answer block comes first: the text after it may carry the format.
            fmt, stem2 = split_format(after)
        fmt = fmt or "moodle"
        first, second = finish(stem1, fmt), finish(stem2, fmt)
        embedded = bool(second)
        # The oracle joins a missing-word stem as "before _____ after", a space on each side
        # of the blank ("...places)? _____ ."); Moodle puts "_____" exactly where "{...}" was.
        stem = ((first + " ") if first else "") + "_____ " + second if embedded else first
        question = AuthoredQuestion(
            type="essay", stem=stem, text_format=fmt, title=title, embedded=embedded
        )
        if self.answers(question, block, opening + 1, text[opening + 1 : closing]):
            return question
        return None

    def answers(self, q: AuthoredQuestion, block: _Block, start: int, raw: str) -> bool:
        """Fill `q` from the text between the braces; False when it has problems."""
        fmt = q.text_format
        before = len(self.problems)
        general = raw.find("####")
        if general >= 0:
            q.general_feedback = rich(raw[general + 4 :], fmt) or None
            raw = raw[:general]
        body = trim(raw)
        offset = start + raw.find(body[:1]) if body else start
        if not body:
            q.type = "essay"
        elif body.startswith("#"):
            q.type = "numeric"
            self.numeric(q, block, offset + 1, body[1:])
        elif trim(body.split("#", 1)[0]) in _TRUE_FALSE:
            q.type = "tf"
            parts = body.split("#")
            q.is_true = _TRUE_FALSE[trim(parts[0])]
            if len(parts) > 3:
                self.problem(
                    block.line(offset),
                    "a true/false answer takes at most two feedbacks ({TRUE#…#…}); "
                    "write \\# for a literal '#'",
                )
            # The oracle gives the first feedback to trueFeedback and the second to
            # falseFeedback whatever the answer. Moodle reads the first as the feedback for a
            # wrong answer, so for {TRUE#a#b} Moodle shows "a" to a learner who says False.
            # We follow the oracle.
            feedback = [rich(part, fmt) or None for part in parts[1:3]]
            q.true_feedback = feedback[0] if feedback else None
            q.false_feedback = feedback[1] if len(feedback) > 1 else None
        else:
            self.choices(q, block, start, raw)
        return len(self.problems) == before

    def entries(self, block: _Block, start: int, raw: str) -> list[tuple[str, int, str]]:
        """Split on '=' and '~': (marker, offset of the marker, text after it)."""
        marks = [i for i, char in enumerate(raw) if char in "=~"]
        if not marks:
            return []
        if trim(raw[: marks[0]]):
            self.problem(
                block.line(start + len(raw[: marks[0]]) - len(raw[: marks[0]].lstrip(SPACES))),
                "text before the first answer: start each answer with '=' (right) or '~' "
                "(wrong), or write \\= and \\~ for literal characters",
            )
        ends = [*marks[1:], len(raw)]
        return [(raw[m], start + m, raw[m + 1 : end]) for m, end in zip(marks, ends, strict=True)]

    def weight(self, block: _Block, offset: int, raw: str) -> tuple[float | None, str, bool]:
        """A leading %weight%: (weight, rest, ok)."""
        text = raw.lstrip(SPACES)
        if not text.startswith("%"):
            return None, raw, True
        close = text.find("%", 1)
        if close < 0:
            self.problem(block.line(offset), "the weight that starts with '%' has no closing '%'")
            return None, raw, False
        value = _number(text[1:close])
        if value is None or not -100 <= value <= 100:
            self.problem(
                block.line(offset),
                f"the weight %{text[1:close].translate(DECODE)}% is not a number from -100 to 100",
            )
            return None, text[close + 1 :], False
        return value, text[close + 1 :], True

    def choices(self, q: AuthoredQuestion, block: _Block, start: int, raw: str) -> None:
        fmt = q.text_format
        entries = self.entries(block, start, raw)
        if not entries:
            # "{One}": a single accepted answer needs no '=' (Moodle and the oracle agree).
            q.type = "short"
            text, _, feedback = raw.partition("#")
            if "#" in feedback:
                self.one_feedback(block, start)
            q.choices = [Choice(finish(text, "plain"), True, None, rich(feedback, fmt) or None)]
            return
        has_wrong = any(marker == "~" for marker, _, _ in entries)
        # Only the answer itself counts, not its feedback (as in the oracle's grammar).
        arrows = ["->" in text.partition("#")[0] for _, _, text in entries]
        if not has_wrong and any(arrows):
            q.type = "match"
            if not all(arrows):
                missing = next(o for (_, o, _), a in zip(entries, arrows, strict=True) if not a)
                self.problem(
                    block.line(missing),
                    "in a matching question every answer needs 'item -> match'; "
                    "this one has no '->'",
                )
                return
            for _, offset, text in entries:
                self.pair(q, block, offset, text)
            return
        for marker, offset, text in entries:
            weight, rest, ok = self.weight(block, offset, text)
            if not ok:
                continue
            text, _, feedback = rest.partition("#")
            if "#" in feedback:
                self.one_feedback(block, offset)
            answer = rich(text, fmt)
            if not answer:
                self.problem(block.line(offset), f"the answer after '{marker}' has no text")
            q.choices.append(Choice(answer, marker == "=", weight, rich(feedback, fmt) or None))
        if not has_wrong:
            # Every answer right: the oracle calls it a short answer, as Moodle does.
            q.type = "short"
        else:
            # Moodle makes one with no '=' a multiple-answer question (check boxes) and one
            # with '=' a single-answer one; the oracle types both "MC". quizapp's mcq has
            # one right option, so several '=' make a multi, which grades each right option.
            right = sum(1 for c in q.choices if c.correct)
            q.type = "mcq" if right == 1 else "multi"

    def one_feedback(self, block: _Block, offset: int) -> None:
        self.problem(
            block.line(offset),
            "an answer takes one '#' feedback; write \\# for a literal '#'",
        )

    def pair(self, q: AuthoredQuestion, block: _Block, offset: int, text: str) -> None:
        if text.lstrip(SPACES).startswith("%"):
            self.problem(block.line(offset), "a matching pair takes no weight")
            return
        if "#" in text:
            self.problem(
                block.line(offset),
                "a matching pair takes no '#' feedback; write \\# for a literal '#'",
            )
            return
        left, _, right = text.partition("->")
        left_text = rich(left, q.text_format)
        # The right-hand side is plain text in GIFT (no format marker), always collapsed.
        right_text = finish(right, "plain")
        if not right_text:
            self.problem(block.line(offset), "the match after '->' is empty")
            return
        q.pairs.append(MatchPair(left_text, right_text))

    def numeric(self, q: AuthoredQuestion, block: _Block, start: int, raw: str) -> None:
        fmt = q.text_format
        body = trim(raw)
        if not body.startswith(("=", "~")):
            if "~" in raw:
                # "{#8~#Count again.}": one number, then feedback for any other (how Moodle
                # writes one); read as "{#=8 ~#Count again.}".
                raw, start = "=" + raw, start - 1
            else:
                spec, _, feedback = raw.partition("#")
                if "#" in feedback:
                    self.one_feedback(block, start)
                answer = self.number_spec(block, start, spec)
                if answer is not None:
                    answer.feedback = rich(feedback, fmt) or None
                    q.numeric.append(answer)
                return
        other_seen = False
        for marker, offset, text in self.entries(block, start, raw):
            weight, rest, ok = self.weight(block, offset, text)
            if not ok:
                continue
            spec, _, feedback = rest.partition("#")
            if "#" in feedback:
                self.one_feedback(block, offset)
            if marker == "~" and trim(spec) in ("", "*"):
                # Moodle's "any other number" ('*'): its feedback, worth nothing.
                if weight:
                    self.problem(
                        block.line(offset),
                        "feedback for any other number ('~#…') is worth nothing: remove its weight",
                    )
                elif other_seen:
                    self.problem(
                        block.line(offset),
                        "a numeric question takes one feedback for any other number ('~#…')",
                    )
                other_seen = True
                q.other_feedback = rich(feedback, fmt) or None
                continue
            answer = self.number_spec(block, offset, spec)
            if answer is None:
                continue
            # A '~' number is a wrong one: it earns nothing unless it has a weight.
            answer.weight = weight if weight is not None or marker == "=" else 0.0
            answer.feedback = rich(feedback, fmt) or None
            q.numeric.append(answer)

    def number_spec(self, block: _Block, offset: int, raw: str) -> NumericAnswer | None:
        spec = trim(raw).translate(DECODE)
        if match := _TOLERANCE.fullmatch(spec):
            return NumericAnswer(value=float(match.group(1)), tolerance=float(match.group(2)))
        if match := _RANGE.fullmatch(spec):
            return NumericAnswer(low=float(match.group(1)), high=float(match.group(2)))
        if _SIMPLE.fullmatch(spec):
            return NumericAnswer(value=float(spec))
        if spec == "*":
            message = "any other number ('*') is worth nothing: write it '~#feedback'"
        elif not spec:
            message = "a number is missing here"
        else:
            message = (
                f"'{spec}' is not a number: write 3.14, 3.14:0.01 (with a tolerance) "
                "or 3..4 (a range)"
            )
        self.problem(block.line(offset), message)
        return None


def read(text: str) -> tuple[list[GiftItem], list[FormatProblem]]:
    """Every `$CATEGORY:` and question in file order, with every problem found.

    Line ends of every style are read (see quizapp.core.text_files); problems are in line order.
    """
    text, controls = prepare(text)
    reader = _Reader()
    reader.problems.extend(FormatProblem(p.line, p.message) for p in controls)
    block: list[tuple[int, str]] = []
    for number, line in enumerate(text.split("\n"), start=1):
        # A blank line (spaces and tabs only) ends a question, in Moodle and in the oracle.
        if line.strip(" \t"):
            block.append((number, line))
        elif block:
            reader.block(block)
            block = []
    if block:
        reader.block(block)
    return reader.items, sorted(reader.problems, key=lambda problem: problem.line)


def parse(text: str) -> ParseResult:
    """Read a GIFT file: gradable questions, essays and descriptions skipped, problems."""
    items, problems = read(text)
    result = ParseResult(problems=problems)
    for item in items:
        if isinstance(item, Category):
            continue
        if item.type in SKIP_REASONS:
            result.skipped.append((item, SKIP_REASONS[item.type]))
        else:
            result.questions.append(item)
    return result
