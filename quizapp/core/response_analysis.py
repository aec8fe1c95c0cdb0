"""Response analysis of choice questions: how often each option was picked, the key marked, so
a teacher sees which wrong option draws learners (Moodle's quiz statistics "response
analysis"). Pure arithmetic on counts that one SQL `GROUP BY item, option` gives.
"""

from __future__ import annotations

from collections.abc import Collection, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class OptionShare:
    """One option of an item: picked `count` times, `share` % of the item's picks (or of its
    answers, see `option_frequencies`; None when nothing was picked), `key` if it is right."""

    option: Hashable
    count: int
    share: float | None
    key: bool


def option_frequencies(
    rows: Iterable[tuple[Hashable, Hashable, int]],
    keys: Mapping[Hashable, Collection[Hashable]],
    options: Mapping[Hashable, Sequence[Hashable]] | None = None,
    answers: Mapping[Hashable, int] | None = None,
) -> dict[Hashable, list[OptionShare]]:
    """Each item's options with their picks: {item: [OptionShare, ...]}.

    `rows` are (item, option, count) with count ≥ 0 (a pair given twice is added up); `keys`
    maps an item to its right option(s). An item's options come in the order of
    `options[item]` when given (so options nobody picked show with 0), then any other picked
    option in the order of the rows, then any key nobody picked. By default a share is a
    percentage of the item's picks (they add up to 100); with `answers` ({item: learners who
    answered it}) it is the percentage of those learners, which suits questions with several
    right answers, where one learner picks several options. Raises ValueError on a negative or
    fractional count.
    """
    counts: dict[Hashable, dict[Hashable, int]] = {}
    for item, option, count in rows:
        if isinstance(count, bool) or not isinstance(count, int) or count < 0:
            raise ValueError(f"item {item!r}, option {option!r}: a count is a whole number >= 0")
        picked = counts.setdefault(item, {})
        picked[option] = picked.get(option, 0) + count
    items = list(dict.fromkeys([*(options or {}), *counts, *keys]))
    result: dict[Hashable, list[OptionShare]] = {}
    for item in items:
        picked = counts.get(item, {})
        right = set(keys.get(item, ()))
        order = list(dict.fromkeys([*(options or {}).get(item, ()), *picked, *keys.get(item, ())]))
        denominator = answers.get(item, 0) if answers is not None else sum(picked.values())
        result[item] = [
            OptionShare(
                option,
                picked.get(option, 0),
                100 * picked.get(option, 0) / denominator if denominator else None,
                option in right,
            )
            for option in order
        ]
    return result
