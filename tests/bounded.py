"""Bounded work: check that a function's work grows at most linearly with its input, untimed.

`work(function, argument)` counts the Python line events (`sys.settrace`) of the call and of
everything it calls, so the count is the same on every run and every machine. `assert_linear`
runs a function on inputs of size n and factor*n and fails when the work grew by more than
factor * slack, which a quadratic algorithm (factor² = 16 times the work for factor 4) cannot
meet while a linear one always does.

What it cannot see: work done inside C code, most importantly inside the `re` engine, which is
one Python line whatever it backtracks. So code that must stay linear on hostile text should not
leave the scanning to a regular expression that can backtrack (scan in Python, or use a
pattern whose every match attempt is anchored and bounded), and the time of the regular
expressions themselves is measured by bench/hostile.py. Use it in tests as:

    from tests.bounded import assert_linear

    def test_parse_is_linear_on_a_long_comment():
        assert_linear(gift.parse, lambda n: "// " + "[id:" * n + "\\nQ {T}\\n", 500)
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable
from types import FrameType
from typing import Any


def work(function: Callable[[Any], Any], argument: Any) -> int:
    """The number of Python lines run by `function(argument)`, callees included."""
    count = 0

    def local(frame: FrameType, event: str, arg: Any) -> Any:
        nonlocal count
        if event == "line":
            count += 1
        return local

    def global_(frame: FrameType, event: str, arg: Any) -> Any:
        return local

    previous = sys.gettrace()
    threading.settrace(global_)
    sys.settrace(global_)
    try:
        function(argument)
    finally:
        sys.settrace(previous)
        threading.settrace(previous)  # type: ignore[arg-type]
    return count


def assert_linear(
    function: Callable[[Any], Any],
    make_input: Callable[[int], Any],
    size: int,
    factor: int = 4,
    slack: float = 1.5,
) -> tuple[int, int]:
    """Fail unless `function` on `make_input(factor*size)` works at most factor*slack times more.

    Returns the two counts, (small, large). `size` should be large enough that the fixed cost
    of a call (setting up, the first lines) is small beside the part that grows.
    """
    small = work(function, make_input(size))
    large = work(function, make_input(size * factor))
    limit = factor * slack
    assert large <= small * limit, (
        f"work grew {large / max(small, 1):.1f} times for {factor} times the input "
        f"({small} -> {large} lines); linear work grows at most {limit:g} times"
    )
    return small, large
