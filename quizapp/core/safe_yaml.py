"""YAML from files people upload (bank folders and .zip archives): plain data, bounded work.

PyYAML's safe loader builds only plain data, but an alias (`*name`) repeats a whole node wherever
it stands, so a few aliases nested seven deep made a 1.2 KB file expand to gigabytes (the
"billion laughs"). Bank files never need them: `load` refuses every anchor (`&name`) and alias,
and nesting deeper than `MAX_DEPTH`, each as a YAML error with its line, before building
anything, so the work and the result are proportional to the file's size.

Reading is done by LibYAML's parser when PyYAML has it (ten times faster on bank files, which
matters for a 50 MB archive), by PyYAML's own otherwise: one pass over the events checks them,
a second builds the data.
"""

from __future__ import annotations

from typing import Any

import yaml
from yaml.composer import ComposerError
from yaml.events import (
    AliasEvent,
    CollectionEndEvent,
    CollectionStartEvent,
    ScalarEvent,
)

# Far deeper than any bank file; shallow enough that building the data never meets Python's
# recursion limit.
MAX_DEPTH = 64

_BASE: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_BASE):  # type: ignore[valid-type,misc]
    """The fastest safe loader PyYAML has."""


class _LineLoader(_BASE):  # type: ignore[valid-type,misc]
    """The same, remembering the line each mapping starts on under '__line__'."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> dict[str, Any]:
    mapping = loader.construct_mapping(node, deep=True)
    mapping["__line__"] = node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _refuse(message: str, event: Any) -> ComposerError:
    return ComposerError(None, None, message, event.start_mark)


def check(text: str) -> None:
    """Raise a yaml.MarkedYAMLError at the first anchor, alias or too deep nesting of `text`.

    Syntax errors are raised too (as PyYAML raises them). One pass over the events: nothing is
    built, so an alias bomb costs what its text costs.
    """
    depth = 0
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, AliasEvent):
            raise _refuse(
                f"aliases (*{event.anchor}) are not allowed in bank files: "
                "write the value out in full",
                event,
            )
        if isinstance(event, ScalarEvent | CollectionStartEvent) and event.anchor is not None:
            raise _refuse(
                f"anchors (&{event.anchor}) are not allowed in bank files: "
                "write the value out in full",
                event,
            )
        if isinstance(event, CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                raise _refuse(f"the data is nested more than {MAX_DEPTH} levels deep", event)
        elif isinstance(event, CollectionEndEvent):
            depth -= 1


def load(text: str, *, lines: bool = False) -> Any:
    """The data of one YAML document, without anchors or aliases (see `check`).

    With `lines`, every mapping gets a '__line__' key: the line (from 1) it starts on. Raises
    yaml.YAMLError for anything that is not such a document; a yaml.MarkedYAMLError has the
    place in `problem_mark` (0-based line) and the reason in `problem`.
    """
    check(text)
    return yaml.load(text, Loader=_LineLoader if lines else _Loader)
