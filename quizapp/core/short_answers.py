"""Short answers with Moodle's wildcards: "colo*r" accepts "color" and "colour".

An accepted short answer (imported from GIFT or CSV, or written in the editor) may hold "*" for
any run of characters, as in Moodle's short-answer questions; "\\*" is a literal asterisk.
"""

from __future__ import annotations

from quizapp.core.values import normalise


def wildcard_parts(pattern: str) -> list[str] | None:
    """The literal parts of a short answer around its wildcards, or None when it has none.

    Moodle's rule: "*" stands for any run of characters (several in a row count as one) and
    "\\*" is a literal asterisk. "colo*r" gives ["colo", "r"]; "a\\*b" gives None.
    """
    parts: list[str] = []
    current: list[str] = []
    i = 0
    while i < len(pattern):
        char = pattern[i]
        if char == "\\" and pattern.startswith("*", i + 1):
            current.append("*")
            i += 2
        elif char == "*":
            parts.append("".join(current))
            current = []
            while i < len(pattern) and pattern[i] == "*":
                i += 1
        else:
            current.append(char)
            i += 1
    if not parts:
        return None
    parts.append("".join(current))
    return parts


def short_answer_accepts(pattern: str, given: str) -> bool:
    """Whether a typed answer matches an accepted short answer, wildcards included.

    Both are compared folded (`normalise`: case, accents, punctuation and spacing do not
    count), each literal part of the pattern on its own; without "*" that is plain equality.
    The match is a left-to-right search of each part, linear in the answer's length (a
    regular expression with a ".*" per wildcard can backtrack for a long time).
    """
    parts = wildcard_parts(pattern)
    if parts is None:
        return normalise(pattern.replace("\\*", "*")) == normalise(given)
    folded = normalise(given)
    first, *middle, last = (normalise(part) for part in parts)
    if not folded.startswith(first):
        return False
    position = len(first)
    for part in middle:
        found = folded.find(part, position)
        if found < 0:
            return False
        position = found + len(part)
    return len(folded) - len(last) >= position and folded.endswith(last)
