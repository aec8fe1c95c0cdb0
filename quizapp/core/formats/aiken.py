"""Aiken: single-answer multiple choice as plain text.

    What is the capital of Romania?
    A. Cluj-Napoca
    B) Bucharest
    ANSWER: B

The question text comes first (one line or more), then options lettered A, B, C... with "." or
")", then "ANSWER:" and the right letter. Blank lines between questions are optional.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from quizapp.core.authored import AuthoredQuestion, Choice, FormatProblem, ParseResult
from quizapp.core.text_files import prepare

# Any space after the letter, a no-break space too (word processors put one after "A.").
_OPTION = re.compile(r"([A-Z])[.)](?:\s+(.*))?")
# Moodle writes "ANSWER:" in capitals; a question line "Answer: …" stays question text.
_ANSWER = re.compile(r"ANSWER\s*:\s*(.*)")
_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


class _Question:
    def __init__(self, line: int) -> None:
        self.line = line
        self.stem: list[str] = []
        self.options: list[tuple[str, str]] = []


def parse(text: str) -> ParseResult:
    """Read an Aiken file: one mcq per question, every problem with its line."""
    text, controls = prepare(text)
    result = ParseResult(problems=[FormatProblem(p.line, p.message) for p in controls])

    def problem(line: int, message: str) -> None:
        result.problems.append(FormatProblem(line, message))

    current: _Question | None = None
    for number, raw in enumerate(text.split("\n"), start=1):
        line = raw.strip()
        if not line:
            continue
        option = _OPTION.fullmatch(line)
        answer = _ANSWER.fullmatch(line)
        if current is None:
            if option or answer:
                problem(
                    number,
                    f"'{line[:40]}' is an option or answer line with no question before it",
                )
                continue
            current = _Question(number)
            current.stem.append(line)
        elif answer:
            if not current.options:
                problem(number, "'ANSWER:' comes before any option ('A. …')")
            else:
                question = _finish(current, answer.group(1).strip(), number, problem)
                if question is not None:
                    result.questions.append(question)
            current = None
        elif option:
            letter, body = option.group(1), (option.group(2) or "").strip()
            expected = _LETTERS[len(current.options)] if len(current.options) < 26 else "?"
            if letter != expected:
                problem(number, f"option {letter} is out of order: the next option is {expected}")
            if not body:
                problem(number, f"option {letter} has no text")
            current.options.append((letter, body))
        elif current.options:
            problem(
                number,
                "expected the next option ('C. …') or the 'ANSWER: …' line; "
                "Aiken options are one line each",
            )
        else:
            current.stem.append(line)
    if current is not None:
        problem(current.line, "the question that starts here has no 'ANSWER: …' line")
    result.problems.sort(key=lambda found: found.line)
    return result


def _finish(
    q: _Question, letter: str, line: int, problem: Callable[[int, str], None]
) -> AuthoredQuestion | None:
    letters = [option_letter for option_letter, _ in q.options]
    if letter.upper() not in letters:
        shown = letter or "nothing"
        problem(
            line,
            f"the answer is {shown}, but the options are {', '.join(letters)}: "
            "write 'ANSWER: ' and one of their letters",
        )
        return None
    return AuthoredQuestion(
        type="mcq",
        stem="\n".join(q.stem),
        choices=[
            Choice(text, option_letter == letter.upper()) for option_letter, text in q.options
        ],
        line=q.line,
    )


def normalize(question: AuthoredQuestion) -> AuthoredQuestion:
    """The question as Aiken reads it back: stem lines and options trimmed, nothing else kept."""
    lines = [line.strip() for line in question.stem.replace("\r", "\n").split("\n")]
    return AuthoredQuestion(
        type=question.type,
        stem="\n".join(line for line in lines if line),
        choices=[Choice(c.text.strip(), c.correct) for c in question.choices],
        line=question.line,
    )


def _why_not(q: AuthoredQuestion) -> str | None:
    if q.type != "mcq":
        return "Aiken holds only single-answer multiple choice"
    right = sum(1 for c in q.choices if c.correct)
    if right != 1:
        return f"Aiken needs exactly one right option; this question has {right}"
    if not q.choices or len(q.choices) > 26:
        return "Aiken holds 1 to 26 options (A to Z)"
    if any(c.fraction() != (1.0 if c.correct else 0.0) for c in q.choices):
        return "Aiken cannot hold partial credit (weights)"
    for c in q.choices:
        if "\n" in c.text.strip() or "\r" in c.text.strip():
            return "an option has a line break; Aiken options are one line each"
        if not c.text.strip():
            return "an option is empty"
    stem = normalize(q).stem
    if not stem:
        return "the question has no text"
    for line in stem.split("\n"):
        if _OPTION.fullmatch(line) or _ANSWER.fullmatch(line):
            return f"a line of the question text ('{line[:40]}') would read as an option or answer"
    return None


def _block(q: AuthoredQuestion) -> str:
    lines = [q.stem]
    lines += [f"{_LETTERS[i]}. {c.text}" for i, c in enumerate(q.choices)]
    right = next(i for i, c in enumerate(q.choices) if c.correct)
    lines.append(f"ANSWER: {_LETTERS[right]}")
    return "\n".join(lines)


def write(
    questions: Sequence[AuthoredQuestion],
) -> tuple[str, list[tuple[AuthoredQuestion, str]]]:
    """Aiken text for the single-answer questions, and the others with the reason.

    Aiken holds the question text, the options and the right letter: titles, categories, ids,
    tags, feedback and the text format are not written.
    """
    blocks: list[str] = []
    unwritten: list[tuple[AuthoredQuestion, str]] = []
    for question in questions:
        reason = _why_not(question)
        if reason is None:
            q = normalize(question)
            text = _block(q)
            back = parse(text)
            if back.problems or [b.to_dict() for b in back.questions] != [q.to_dict()]:
                reason = "Aiken cannot hold it exactly"
        if reason is not None:
            unwritten.append((question, reason))
            continue
        blocks.append(text)
    return ("\n\n".join(blocks) + "\n" if blocks else ""), unwritten
