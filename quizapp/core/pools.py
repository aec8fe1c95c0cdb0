"""Distractor pools in their file form (pools/<language>.yaml, and Bank.pools as stored):
reading both forms into `PoolEntry` values, and writing entries back.

New form: kind -> {category: [entry, ...]}; old form: kind -> [entry, ...] (no category).
An entry is a text or {text, gender: m|f, number: singular|plural}. See docs/bank-format.md.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from quizapp.core.bank_model import (
    GENDERS,
    GRAMMATICAL_NUMBERS,
    POOL_KINDS,
    SLUG,
    PoolEntry,
    Problem,
)
from quizapp.core.values import normalise

POOL_ENTRY_FIELDS = {"text", "gender", "number"}


def read_pool(data: Any, name: str, problems: list[Problem]) -> list[PoolEntry]:
    """The entries of one language's pool, in either form, appending what is wrong to problems.

    New form: kind -> {category: [entry, ...]}; old form: kind -> [entry, ...] (no category).
    An entry is a text or {text, gender: m|f, number: singular|plural}. `data` may carry the
    loader's `__line__` marks (used in messages) or not (a pool stored in the database).
    """
    if not isinstance(data, dict):
        problems.append(Problem(name, 1, "a pool file maps each kind to its categories"))
        return []
    entries: list[PoolEntry] = []
    for kind, value in data.items():
        if kind == "__line__":
            continue
        if kind not in POOL_KINDS:
            problems.append(
                Problem(name, None, f"unknown kind {kind!r} (use {', '.join(POOL_KINDS)})")
            )
            continue
        if isinstance(value, list):
            groups: list[tuple[str | None, Any, int | None]] = [(None, value, None)]
        elif isinstance(value, dict):
            line = value.get("__line__")
            groups = [(c, v, line) for c, v in value.items() if c != "__line__"]
        else:
            problems.append(
                Problem(name, None, f"{kind}: a mapping of categories to lists is expected")
            )
            continue
        for category, values, line in groups:
            entries.extend(_pool_group(kind, category, values, line, name, problems))
    return entries


def _pool_group(
    kind: str,
    category: Any,
    values: Any,
    line: int | None,
    name: str,
    problems: list[Problem],
) -> list[PoolEntry]:
    where = f"{kind}/{category}" if category is not None else kind
    if category is not None and not (isinstance(category, str) and SLUG.match(category)):
        problems.append(
            Problem(
                name,
                line,
                f"{kind}: category {category!r} must be lowercase letters, digits and hyphens",
            )
        )
        return []
    if not isinstance(values, list):
        problems.append(Problem(name, line, f"{where}: a list of entries is expected"))
        return []
    group: list[PoolEntry] = []
    for value in values:
        entry = _pool_entry(kind, category, value, where, line, name, problems)
        if entry is not None:
            group.append(entry)
    folded = Counter(normalise(e.text) for e in group)
    for text, count in folded.items():
        if count > 1:
            problems.append(Problem(name, line, f"{where}: {text!r} is listed twice"))
    return group


def _pool_entry(
    kind: str,
    category: str | None,
    value: Any,
    where: str,
    line: int | None,
    name: str,
    problems: list[Problem],
) -> PoolEntry | None:
    if isinstance(value, str):
        return PoolEntry(kind, value.strip(), category) if value.strip() else None
    if not isinstance(value, dict):
        problems.append(
            Problem(name, line, f"{where}: an entry is a text or {{text, gender, number}}")
        )
        return None
    line = value.get("__line__", line)
    fields = {k: v for k, v in value.items() if k != "__line__"}
    before = len(problems)
    for unknown in sorted(set(fields) - POOL_ENTRY_FIELDS):
        problems.append(Problem(name, line, f"{where}: unknown entry field {unknown!r}"))
    text = fields.get("text")
    if not isinstance(text, str) or not text.strip():
        problems.append(Problem(name, line, f"{where}: an entry needs a text"))
    gender = fields.get("gender")
    if gender is not None and gender not in GENDERS:
        problems.append(Problem(name, line, f"{where}: gender must be m or f, not {gender!r}"))
    number = fields.get("number", "singular")
    if number not in GRAMMATICAL_NUMBERS:
        problems.append(
            Problem(name, line, f"{where}: number must be singular or plural, not {number!r}")
        )
    if len(problems) > before:
        return None
    return PoolEntry(kind, str(text).strip(), category, gender, number)


def pool_to_data(entries: list[PoolEntry]) -> dict[str, Any]:
    """One language's pool entries in the file form (`read_pool` reads it back).

    A kind whose entries have categories maps each category to its list; a kind without is a
    flat list (the old form). An entry is a plain text unless it has a gender or is plural.
    """
    data: dict[str, Any] = {}
    for entry in entries:
        value: Any = entry.text
        if entry.gender or entry.number != "singular":
            value = {"text": entry.text}
            if entry.gender:
                value["gender"] = entry.gender
            if entry.number != "singular":
                value["number"] = entry.number
        if entry.category is None:
            bucket = data.setdefault(entry.kind, [])
            if isinstance(bucket, list):
                bucket.append(value)
                continue
            bucket = data[entry.kind].setdefault("general", [])
        else:
            by_category = data.setdefault(entry.kind, {})
            if isinstance(by_category, list):  # mixed: the flat entries become a category
                by_category = data[entry.kind] = {"general": by_category}
            bucket = by_category.setdefault(entry.category, [])
        bucket.append(value)
    return data
