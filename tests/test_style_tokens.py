"""The design tokens of static/style.css meet WCAG AA contrast in the light and the dark scheme.

Every colour the pages use is a token (a CSS custom property), so checking the pairs the
components put together covers both schemes without a browser; the accessibility test checks
rendered pages with axe-core as well.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

STYLE = Path(__file__).resolve().parent.parent / "static" / "style.css"
# (text or mark, background): text must reach 4.5:1.
TEXT_PAIRS = (
    [
        (ink, background)
        for background in ("bg", "surface", "surface-2")
        for ink in ("ink", "muted", "accent", "right", "wrong", "partly", "flag", "danger")
    ]
    + [
        ("accent-ink", "accent"),
        ("accent-ink", "accent-hover"),
        ("accent-hover", "surface"),
        ("accent", "accent-soft"),
        ("ink", "accent-soft"),
        ("danger-ink", "danger"),
        ("right", "right-bg"),
        ("wrong", "wrong-bg"),
        ("partly", "partly-bg"),
        ("ink", "right-bg"),
        ("ink", "wrong-bg"),
        ("ink", "partly-bg"),
        ("mark-ink", "mark"),
        ("ink", "target"),
        ("accent", "target"),
    ]
    + [("answer-ink", f"answer-{n}") for n in range(6)]
)
# Borders of controls and the focus ring: 3:1 (WCAG 1.4.11).
NON_TEXT_PAIRS = [
    (line, background)
    for background in ("bg", "surface", "surface-2")
    for line in ("line-strong", "focus", "accent")
]


def _tokens(dark: bool) -> dict[str, str]:
    css = STYLE.read_text(encoding="utf-8")
    light_block = re.search(r"^:root\s*\{(.*?)\}", css, re.S | re.M)
    dark_block = re.search(r"prefers-color-scheme:\s*dark\)\s*\{\s*:root\s*\{(.*?)\}", css, re.S)
    assert light_block and dark_block
    tokens = dict(re.findall(r"--([\w-]+):\s*(#[0-9a-fA-F]{6})", light_block.group(1)))
    if dark:
        tokens.update(re.findall(r"--([\w-]+):\s*(#[0-9a-fA-F]{6})", dark_block.group(1)))
    return tokens


def _luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(first: str, second: str) -> float:
    """The WCAG contrast ratio of two #rrggbb colours."""
    high, low = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_text_and_controls_have_aa_contrast(dark):
    tokens = _tokens(dark)
    low = [
        f"{ink} on {background}: {contrast(tokens[ink], tokens[background]):.2f}"
        for pairs, minimum in ((TEXT_PAIRS, 4.5), (NON_TEXT_PAIRS, 3.0))
        for ink, background in pairs
        if contrast(tokens[ink], tokens[background]) < minimum
    ]
    assert not low, low


def test_the_dark_scheme_redefines_every_colour():
    light, dark_only = _tokens(False), _tokens(True)
    same = [name for name, value in light.items() if dark_only[name] == value]
    assert not same, f"not redefined for the dark scheme: {same}"
