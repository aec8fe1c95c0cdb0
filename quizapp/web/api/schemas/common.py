"""What the API's schemas share: the UTC time field, length and id limits, and small field
factories for the field shapes that recur across resources (a nullable value, a map keyed by
language or type, a quiz request's language, size, types and seed).

A factory returns a new field each call: marshmallow binds a field to one schema attribute, so
one instance must never be shared between two.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from marshmallow import fields, validate

from quizapp.services.attempts import MAX_QUESTIONS, MIN_QUESTIONS
from quizapp.web.numbers import DB_INTEGER_MAX

ID = validate.Range(min=1, max=DB_INTEGER_MAX)
SHORT_TEXT = validate.Length(max=256)
LONG_TEXT = validate.Length(max=20_000)


class UtcDateTime(fields.DateTime):
    """A stored naive UTC time sent as RFC 3339 with a "Z" ("2026-12-01T10:00:00Z")."""

    def _serialize(self, value: Any, attr: Any, obj: Any, **kwargs: Any) -> str | None:
        if value is None:
            return None
        if value.tzinfo is not None:
            value = value.astimezone(dt.UTC).replace(tzinfo=None)
        return value.isoformat(timespec="seconds") + "Z"


def nullable(kind: type[fields.Field], description: str | None = None) -> fields.Field:
    """A sent field of type `kind` that is always present but may be null, e.g.
    `nullable(fields.Float, "Once finished.")`; `description` goes to the OpenAPI document."""
    metadata = {"description": description} if description else {}
    return kind(required=True, allow_none=True, metadata=metadata)


def keyed(values: fields.Field, description: str | None = None) -> fields.Dict:
    """A sent object from string keys (a language, a question type) to `values`, e.g. a
    bank's titles per language (`keyed(fields.String())`)."""
    metadata = {"description": description} if description else {}
    return fields.Dict(keys=fields.String(), values=values, required=True, metadata=metadata)


def lines(**kwargs: Any) -> fields.List:
    """A read list of strings of at most 2,000 characters each (stems, alternatives...);
    `kwargs` as for `fields.List` (its default, its own length limit)."""
    return fields.List(fields.String(validate=validate.Length(max=2000)), **kwargs)


def language_code(**kwargs: Any) -> fields.String:
    """A read language code ("en", "ro"), 2 to 8 characters; `kwargs` say whether it is
    required or its default."""
    return fields.String(validate=validate.Length(min=2, max=8), **kwargs)


def question_count() -> fields.Integer:
    """How many questions a quiz to draw holds: MIN_QUESTIONS to MAX_QUESTIONS, 10 if not
    given."""
    return fields.Integer(
        load_default=10, validate=validate.Range(min=MIN_QUESTIONS, max=MAX_QUESTIONS)
    )


def question_types(description: str) -> fields.List:
    """The question types a quiz to draw may hold (at most 16 names); none given: []."""
    return fields.List(
        fields.String(validate=validate.Length(max=16)),
        load_default=list,
        validate=validate.Length(max=16),
        metadata={"description": description},
    )


def draw_seed(description: str | None = None) -> fields.Integer:
    """The seed of a quiz to draw (0 to the database's integer maximum); none: a random one."""
    metadata = {"description": description} if description else {}
    return fields.Integer(
        load_default=None, validate=validate.Range(min=0, max=DB_INTEGER_MAX), metadata=metadata
    )
