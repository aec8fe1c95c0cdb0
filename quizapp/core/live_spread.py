"""The spread of a live question's answers and its SVG bar chart, pure (no Flask).

Choice questions (multiple choice, true/false) count each option; typed questions group the
answers by their normalised reading and keep the most given (`TYPED_BARS`), the rest as one
"other" bar. Each option keeps its colour and shape (`SHAPES`) on the players' buttons, on the
projected screen and in the chart, and its text is always written beside it: never colour
alone. The chart is drawn like `core.histograms`: colours by CSS class, texts escaped,
`role="img"` with a title and description, the numbers in a table the page writes.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from html import escape

# The answer buttons' shapes, in option order (Kahoot's four and two more): a symbol and a CSS
# class each. The symbol is decoration (aria-hidden); the option's text is the label.
SHAPES = (
    ("triangle", "▲"),
    ("diamond", "◆"),
    ("circle", "●"),
    ("square", "■"),
    ("star", "★"),
    ("hexagon", "⬢"),
)
TYPED_BARS = 5
CHOICE_TYPES = ("mcq", "tf")
TYPED_TYPES = ("cloze", "short", "numeric")
LIVE_TYPES = CHOICE_TYPES + TYPED_TYPES


def shape(index: int) -> tuple[str, str]:
    """The (CSS name, symbol) of the option at `index` (cycling past the last)."""
    return SHAPES[index % len(SHAPES)]


@dataclass(frozen=True)
class Bar:
    """One bar of the spread: its label, how many gave it, whether it is right, its shape
    index (None for typed answers and "other")."""

    label: str
    count: int
    right: bool
    shape: int | None = None


@dataclass(frozen=True)
class Spread:
    """A question's answers counted: the bars, answers given, players who gave none."""

    bars: list[Bar]
    answered: int
    unanswered: int


def choice_spread(options: Iterable[str], key: str, given: Iterable[str], players: int) -> Spread:
    """Counts per option of a choice question: `given` holds one option text per answer,
    `players` the players who could answer (the rest gave none)."""
    tally = Counter(given)
    options = list(options)
    bars = [
        Bar(option, tally.get(option, 0), option == key, index)
        for index, option in enumerate(options)
    ]
    answered = sum(tally.values())
    return Spread(bars, answered, max(players - answered, 0))


def typed_spread(
    answers: Iterable[tuple[str, str, bool]], players: int, other_label: str
) -> Spread:
    """Typed answers as (as typed, normalised, right) grouped by their normalised reading, each
    group shown as typed most often; the TYPED_BARS most given first (right ones win ties),
    the rest summed under `other_label`."""
    groups: dict[str, Counter[str]] = {}
    right: dict[str, bool] = {}
    for typed, normalised, correct in answers:
        groups.setdefault(normalised, Counter())[typed] += 1
        right[normalised] = right.get(normalised, False) or correct
    ordered = sorted(
        groups.items(), key=lambda item: (-sum(item[1].values()), not right[item[0]], item[0])
    )
    bars = [
        Bar(typed.most_common(1)[0][0], sum(typed.values()), right[key])
        for key, typed in ordered[:TYPED_BARS]
    ]
    rest = sum(sum(typed.values()) for _key, typed in ordered[TYPED_BARS:])
    if rest:
        bars.append(Bar(other_label, rest, False))
    answered = sum(bar.count for bar in bars)
    return Spread(bars, answered, max(players - answered, 0))


# The drawing's units (the SVG scales to its box).
WIDTH = 360
ROW = 30
LABEL_WIDTH = 160
LABEL_CHARS = 19  # what fits in LABEL_WIDTH at FONT (the table has every label whole)
GAP = 8
FONT = 13


def spread_svg(spread: Spread, *, title: str, description: str, right_mark: str) -> str:
    """Horizontal bars, one row per bar: its symbol and label (cut to fit; the table has it
    whole), the bar (class `answer-<n>` for a choice's colour, `typed` otherwise, `right` on the
    right answers) and the count. The right answers' labels start with "✔" and their bars'
    tooltips say `right_mark` (a mark and a word, not colour alone). "" when there are no
    bars."""
    if not spread.bars:
        return ""
    height = ROW * len(spread.bars) + GAP
    top = max(bar.count for bar in spread.bars) or 1
    plot = WIDTH - LABEL_WIDTH - 40
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" role="img" '
        'class="chart spread" aria-labelledby="spread-title spread-desc">',
        f'<title id="spread-title">{escape(title)}</title>',
        f'<desc id="spread-desc">{escape(description)}</desc>',
    ]
    for row, bar in enumerate(spread.bars):
        y = GAP / 2 + row * ROW
        symbol = f"{shape(bar.shape)[1]} " if bar.shape is not None else ""
        label = f"{'✔ ' if bar.right else ''}{symbol}{bar.label}"
        if len(label) > LABEL_CHARS:
            label = label[: LABEL_CHARS - 1] + "…"
        tooltip = f"{bar.label}: {bar.count}" + (f" {right_mark}" if bar.right else "")
        css = f"answer-{bar.shape % len(SHAPES)}" if bar.shape is not None else "typed"
        css += " right" if bar.right else ""
        width = plot * bar.count / top
        parts.append(
            f'<text class="tick" x="0" y="{y + ROW / 2 + FONT / 3:.1f}" '
            f'font-size="{FONT}">{escape(label)}</text>'
            f'<rect class="bar {css}" x="{LABEL_WIDTH}" y="{y + 3:.1f}" '
            f'width="{max(width, 1):.1f}" height="{ROW - 6}"><title>{escape(tooltip)}</title>'
            "</rect>"
            f'<text class="tick" x="{LABEL_WIDTH + max(width, 1) + 4:.1f}" '
            f'y="{y + ROW / 2 + FONT / 3:.1f}" font-size="{FONT}">{bar.count}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
