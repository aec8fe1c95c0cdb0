"""Writing GIFT: questions as GIFT text, each checked by reading it back.

A question GIFT cannot hold exactly is not written but listed with the reason; `normalize`
gives a question as it reads back (docs/import-formats.md describes what is written).
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from decimal import Decimal

from quizapp.core.authored import TEXT_FORMATS, AuthoredQuestion, Choice, NumericAnswer
from quizapp.core.formats.gift.reading import SKIP_REASONS, read
from quizapp.core.formats.gift.text import KEEPS_SPACES, SPACES

_NOT_SPACE_NL = SPACES.replace("\n", "")
_RUN_NO_NL = re.compile("[" + re.escape(_NOT_SPACE_NL) + "]{2,}")
_FIELD_NAMES = {
    "type": "type",
    "stem": "text",
    "text_format": "text format",
    "title": "title",
    "external_id": "id",
    "tags": "tags",
    "choices": "answers",
    "is_true": "true/false answer",
    "true_feedback": "feedback for True",
    "false_feedback": "feedback for False",
    "numeric": "numbers",
    "pairs": "matching pairs",
    "general_feedback": "general feedback",
    "embedded": "missing-word blank",
}


def _normal_text(text: str | None, fmt: str) -> str:
    # Line breaks are written as "\n" escapes, so they are kept in every format; other runs of
    # spaces collapse in moodle and plain text, and every text is trimmed.
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n").strip(_NOT_SPACE_NL)
    if fmt not in KEEPS_SPACES:
        text = _RUN_NO_NL.sub(" ", text)
    return text


def normalize(question: AuthoredQuestion) -> AuthoredQuestion:
    """The question as GIFT reads it back: trimmed texts, one space for a run in moodle text."""
    q = AuthoredQuestion.from_dict(question.to_dict())
    q.line = question.line
    fmt = q.text_format

    def text(value: str | None) -> str:
        return _normal_text(value, fmt)

    def optional(value: str | None) -> str | None:
        return text(value) or None

    q.stem = text(q.stem)
    q.title = _normal_text(q.title, "plain") or None
    q.category = (q.category or "").strip() or None
    q.external_id = (q.external_id or "").strip(SPACES) or None
    q.tags = [tag.strip(SPACES) for tag in q.tags if tag.strip(SPACES)]
    q.general_feedback = optional(q.general_feedback)
    q.true_feedback = optional(q.true_feedback)
    q.false_feedback = optional(q.false_feedback)
    for choice in q.choices:
        choice.text = text(choice.text)
        choice.feedback = optional(choice.feedback)
        _moodle_weight(q.type, choice)
    for answer in q.numeric:
        answer.feedback = optional(answer.feedback)
        # "=" is full marks: a weight of 100 is written (and read back) as none.
        answer.weight = None if answer.weight == 100 else answer.weight
    q.other_feedback = optional(q.other_feedback) if q.type == "numeric" else None
    for pair in q.pairs:
        pair.left = text(pair.left)
        pair.right = _normal_text(pair.right, "plain")
    return q


def _moodle_weight(kind: str, choice: Choice) -> None:
    """A choice's mark and weight as GIFT writes them for Moodle, the same grade either way.

    Moodle gives an '=' answer full marks whatever follows it ("=%50%x" is the text "%50%x"),
    so only full marks are written '=': the right option of a single-answer question and
    accepted short answers without a weight. Everything else is '~' with its weight as a
    percentage ("~%50%"), and every option of a multiple-answer question is written so, which is
    how Moodle tells one from a single-answer question (docs/import-formats.md).
    """
    if kind == "multi":
        weight = choice.weight if choice.weight is not None else 100.0 if choice.correct else None
        choice.correct, choice.weight = False, weight or None
    elif kind == "mcq":
        if choice.correct or not choice.weight:
            choice.weight = None
    elif kind == "short" and choice.weight == 100:
        choice.weight = None


def _escape(text: str) -> str:
    out = []
    for char in text:
        if char in "\\~=#{}:":
            out.append("\\" + char)
        elif char == "\n":
            out.append("\\n")
        else:
            out.append(char)
    return "".join(out)


def _lead(text: str, fmt: str) -> str:
    """An escaped text, led by its format marker when it would otherwise be misread."""
    # "[html]…" would be read as a marker, "%…" as a weight, "//…" as a comment and
    # "$CATEGORY:" as a category: GIFT has no escape for those, but a marker in front works.
    marker = f"[{fmt}]" if text.startswith(("[", "%", "/", "$")) else ""
    return marker + _escape(text)


def format_number(value: float) -> str:
    """A number as GIFT and CSV write it: whole numbers without ".0", others exactly."""
    if value == int(value) and abs(value) < 1e15:
        return str(int(value))
    return repr(value)


def _percentage(weight: float) -> str:
    """A weight as Moodle reads it between '%' signs: plain decimals, never "1e-05".

    Moodle's weight pattern is digits, an optional point and digits; the shortest exact digits
    of the float are written out in full, so the weight also reads back exactly.
    """
    return format(Decimal(format_number(weight)), "f")


def numeric_spec(answer: NumericAnswer) -> str:
    """An accepted number as written in GIFT and CSV: "1822", "3.1415:0.0005" or "1..5"."""
    if answer.low is not None and answer.high is not None:
        return f"{format_number(answer.low)}..{format_number(answer.high)}"
    assert answer.value is not None
    if answer.tolerance:
        return f"{format_number(answer.value)}:{format_number(answer.tolerance)}"
    return format_number(answer.value)


def _bracketed(value: str) -> str:
    return value.replace("]", "\\]")


def _why_not(q: AuthoredQuestion) -> str | None:
    """The reason GIFT cannot hold a question, for the cases a teacher can fix."""
    if q.type not in (*SKIP_REASONS, "mcq", "multi", "tf", "short", "numeric", "match"):
        return f"unknown question type {q.type!r}"
    if q.text_format not in TEXT_FORMATS:
        return f"unknown text format {q.text_format!r}"
    if q.category and ("\n" in q.category or "\r" in q.category):
        return "its category has a line break"
    for value, what in [(q.external_id, "id"), *((t, "tag") for t in q.tags)]:
        if value and (re.search(r"[\x00-\x1f\x7f]", value) or value.rstrip().endswith("\\")):
            return f"its {what} {value!r} has a control character or ends with '\\'"
    weights = [c.weight for c in q.choices] + [a.weight for a in q.numeric]
    if any(w is not None and not (math.isfinite(w) and -100 <= w <= 100) for w in weights):
        return "a weight is not a number from -100 to 100"
    right = [c for c in q.choices if c.correct]
    if q.type in ("mcq", "multi", "short") and not q.choices:
        return "it has no answers"
    if q.type == "mcq" and len(right) != 1:
        return (
            f"GIFT marks the one right option of a single-answer question with '='; "
            f"this one has {len(right)} options marked right"
        )
    if q.type == "mcq" and right[0].fraction() != 1:
        return (
            "Moodle gives the right option of a single-answer question ('=') full marks, and "
            f"this one is worth {format_number(right[0].fraction() * 100)}%"
        )
    if q.type == "mcq" and len(right) == len(q.choices):
        return "every option is marked right, which GIFT reads as a short-answer question"
    if q.other_feedback and q.type != "numeric":
        return "only a numeric question has feedback for any other answer in GIFT"
    if q.type == "short":
        if len(right) != len(q.choices):
            return "GIFT short answers are all accepted ('='); this question has wrong ones"
        if any("->" in c.text for c in q.choices):
            return "an accepted answer contains '->', which GIFT reads as a matching pair"
    if q.type == "tf" and q.is_true is None:
        return "it does not say whether the statement is true or false"
    if q.type == "numeric":
        if not q.numeric:
            return "it has no accepted number"
        for a in q.numeric:
            ranged = a.low is not None or a.high is not None
            numbers = [a.low, a.high] if ranged else [a.value, a.tolerance]
            if ranged and (a.value is not None or a.tolerance):
                return "an accepted number has both a value and a range"
            if any(n is None or not math.isfinite(n) for n in numbers):
                return "an accepted number is missing or not finite"
    if q.type == "match":
        if not q.pairs:
            return "it has no pairs"
        if any("->" in p.left for p in q.pairs):
            return "an item to match contains '->', which GIFT uses between item and match"
    if q.type == "description" and (q.choices or q.general_feedback):
        return "a description has no answers or feedback in GIFT"
    return None


def _answer_block(q: AuthoredQuestion) -> list[str]:
    """The lines from '{' to '}' (without them)."""
    fmt = q.text_format
    lines: list[str] = []

    def feedback(text: str | None) -> str:
        return "#" + _lead(text, fmt) if text else ""

    if q.type in ("mcq", "multi", "short"):
        # `normalize` has set marks and weights as Moodle reads them (see _moodle_weight).
        for c in q.choices:
            weight = f"%{_percentage(c.weight)}%" if c.weight is not None else ""
            mark = "=" if c.correct else "~"
            lines.append(f"    {mark}{weight}{_lead(c.text, fmt)}{feedback(c.feedback)}")
    elif q.type == "tf":
        word = "TRUE" if q.is_true else "FALSE"
        text = word
        if q.true_feedback or q.false_feedback:
            # An empty first feedback is written "# " so that "##" never starts "####".
            text += "#" + (_lead(q.true_feedback, fmt) if q.true_feedback else " ")
        if q.false_feedback:
            text += feedback(q.false_feedback)
        lines.append(text)
    elif q.type == "numeric":
        one = q.numeric[0]
        simple = one.weight is None and not one.feedback and not q.other_feedback
        if len(q.numeric) == 1 and simple:
            lines.append("#" + numeric_spec(one))
        else:
            lines.append("#")
            for a in q.numeric:
                weight = f"%{_percentage(a.weight)}%" if a.weight is not None else ""
                lines.append(f"    ={weight}{numeric_spec(a)}{feedback(a.feedback)}")
            if q.other_feedback:
                # Moodle's "any other number", last as Moodle writes it.
                lines.append(f"    ~{feedback(q.other_feedback)}")
    elif q.type == "match":
        for p in q.pairs:
            left = _lead(p.left, fmt) if p.left else ""
            lines.append(f"    ={left} -> {_escape(p.right)}")
    if q.general_feedback:
        lines.append("    ####" + _lead(q.general_feedback, fmt))
    return lines


def _block(q: AuthoredQuestion) -> str:
    """One question as GIFT lines (without its category)."""
    fmt = q.text_format
    lines: list[str] = []
    meta = []
    if q.external_id:
        meta.append(f"[id:{_bracketed(q.external_id)}]")
    meta += [f"[tag:{_bracketed(tag)}]" for tag in q.tags]
    if meta:
        lines.append("// " + " ".join(meta))
    head = f"::{_escape(q.title)}::" if q.title else ""
    marker = f"[{fmt}]" if fmt != "moodle" else ""
    before, after = q.stem, ""
    if q.embedded:
        if q.stem.startswith("_____ "):
            before, after = "", q.stem[len("_____ ") :]
        elif " _____ " in q.stem:
            before, _, after = q.stem.partition(" _____ ")
    stem = _lead(before, fmt) if not marker else marker + _escape(before)
    if q.type == "description":
        return "\n".join([*lines, head + stem])
    block = _answer_block(q)
    tail = " " + _escape(after) if after else ""
    if len(block) == 1 and not block[0].startswith("    "):
        lines.append(f"{head}{stem}{' ' if stem else ''}{{{block[0]}}}{tail}")
    elif not block:
        lines.append(f"{head}{stem}{' ' if stem else ''}{{}}{tail}")
    else:
        # "{#" and "{TRUE#…" stay on the opening line; answers follow one per line.
        first = "" if block[0].startswith("    ") else block.pop(0)
        lines.append(f"{head}{stem}{' ' if stem else ''}{{{first}")
        lines += block
        lines.append("}" + tail)
    return "\n".join(lines)


def _comparable(q: AuthoredQuestion) -> dict[str, object]:
    data = q.to_dict()
    # Not part of a GIFT question: the category is written as its own line, and the language
    # and source passage are set by the bank a question is imported into.
    for key in ("category", "language", "passage_id"):
        data.pop(key, None)
    return data


def _check(q: AuthoredQuestion, text: str) -> str | None:
    """Why `text` does not read back as `q`, or None when it does."""
    items, problems = read(text)
    if problems:
        return f"GIFT cannot hold it: {problems[0].message}"
    back = [item for item in items if isinstance(item, AuthoredQuestion)]
    if len(back) != 1:
        return "GIFT cannot hold it as one question"
    want, got = _comparable(q), _comparable(back[0])
    for key, value in want.items():
        if got.get(key) != value:
            return f"GIFT cannot hold its {_FIELD_NAMES.get(key, key)} exactly"
    return None


def write(
    questions: Sequence[AuthoredQuestion],
) -> tuple[str, list[tuple[AuthoredQuestion, str]]]:
    """GIFT text for `questions`, and those GIFT cannot hold with the reason."""
    blocks: list[str] = []
    unwritten: list[tuple[AuthoredQuestion, str]] = []
    category: str | None = None
    for question in questions:
        reason = _why_not(question)
        if reason is None:
            q = normalize(question)
            text = _block(q)
            reason = _check(q, text)
        if reason is not None:
            unwritten.append((question, reason))
            continue
        if q.category != category:
            blocks.append(f"$CATEGORY: {q.category}" if q.category else "$CATEGORY:")
            category = q.category
        blocks.append(text)
    return ("\n\n".join(blocks) + "\n" if blocks else ""), unwritten
