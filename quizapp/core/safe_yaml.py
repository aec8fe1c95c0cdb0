"""YAML from files people upload (bank folders and .zip archives): plain data, bounded work.

PyYAML's safe loader builds only plain data, but an alias (`*name`) repeats a whole node wherever
it stands, so a few aliases nested seven deep made a 1.2 KB file expand to gigabytes (the
"billion laughs"). Bank files never need them: this loader refuses every anchor (`&name`) and
alias, and nesting deeper than `MAX_DEPTH`, each as a YAML error with the line, so the work and
the result are proportional to the file's size.
"""

from __future__ import annotations

from typing import Any

import yaml
from yaml.composer import ComposerError
from yaml.events import AliasEvent, CollectionStartEvent, ScalarEvent

# Far deeper than any bank file; shallow enough that composing never meets Python's recursion
# limit (each level is a few Python frames).
MAX_DEPTH = 64


class _Loader(yaml.SafeLoader):
    """The safe loader without anchors or aliases, with a depth limit."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        event = self.peek_event()
        if isinstance(event, AliasEvent):
            raise ComposerError(
                None,
                None,
                f"aliases (*{event.anchor}) are not allowed in bank files: "
                "write the value out in full",
                event.start_mark,
            )
        if isinstance(event, ScalarEvent | CollectionStartEvent) and event.anchor is not None:
            raise ComposerError(
                None,
                None,
                f"anchors (&{event.anchor}) are not allowed in bank files: "
                "write the value out in full",
                event.start_mark,
            )
        if self.depth >= MAX_DEPTH:
            raise ComposerError(
                None,
                None,
                f"the data is nested more than {MAX_DEPTH} levels deep",
                event.start_mark,
            )
        self.depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


class _LineLoader(_Loader):
    """The same, remembering the line each mapping starts on under '__line__'."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> dict[str, Any]:
    mapping = loader.construct_mapping(node, deep=True)
    mapping["__line__"] = node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def load(text: str, *, lines: bool = False) -> Any:
    """The data of one YAML document, without anchors or aliases.

    With `lines`, every mapping gets a '__line__' key: the line (from 1) it starts on. Raises
    yaml.YAMLError for anything that is not such a document; a yaml.MarkedYAMLError has the
    place in `problem_mark` (0-based line) and the reason in `problem`.
    """
    return yaml.load(text, Loader=_LineLoader if lines else _Loader)
