"""Forms and fields that refuse what Flask-WTF's and WTForms' own would let through to a 500.

`AppForm` is the base of the app's forms: Flask-WTF hands a text field an uploaded file when a
file part bears its name, and reads a JSON body as form data (numbers, lists, objects), where
every text field expects a string. `NumberField` replaces `DecimalField`: WTForms reads "NaN",
"sNaN", "Infinity" and "1e999999" as Decimals, which then break comparisons (NumberRange raises
on NaN), floats (inf) and JSON. `RowList` replaces `FieldList`: WTForms reads any key whose
index passes `str.isdigit` ("²", "٣", a thousand digits) with `int`, which raises.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from flask import request
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.form import _Auto  # Flask-WTF's "read the request" marker
from werkzeug.datastructures import CombinedMultiDict, MultiDict
from wtforms import DecimalField, FieldList, FileField
from wtforms.validators import StopValidation

from quizapp.core.values import parse_decimal

# The largest magnitude a number field takes, as in the core's check of questions
# (quizapp.core.authored.NUMBER_LIMIT): far beyond any quantity a quiz asks about, far below
# where floats become infinite.
NUMBER_LIMIT = Decimal(10) ** 100
# Row indices longer than this are not rows of ours (every list keeps at most a few dozen).
_MAX_INDEX_DIGITS = 4


class AppForm(FlaskForm):
    """A Flask-WTF form that reads only what an HTML form sends: text, and files for file fields.

    A JSON body is not form data here (the form sees nothing and says what is missing); a file
    part reaches a field only when that field is a file field.
    """

    class Meta:
        def wrap_formdata(self, form: Any, formdata: Any) -> Any:
            """The request's form fields, plus its files under the names of file fields."""
            if formdata is not _Auto:
                return formdata
            if not form.is_submitted():
                return None
            if not request.files:
                return request.form or None
            file_fields = {field.name for field in form if isinstance(field, FileField)}
            files = MultiDict(
                [
                    (name, upload)
                    for name, upload in request.files.items(multi=True)
                    if name in file_fields
                ]
            )
            return CombinedMultiDict((files, request.form))

        def render_field(self, field: Any, render_kw: dict[str, Any]) -> Any:
            """Render a field; the CSRF token's hidden input gets no id, since a page with
            several forms would repeat it (ids must be unique in a page)."""
            if field.type == "CSRFTokenField":
                render_kw = {**render_kw, "id": False}
            return super().render_field(field, render_kw)


class NumberField(DecimalField):
    """A decimal number: finite and at most NUMBER_LIMIT in size, else a field error.

    The value is a `Decimal` (None when empty or refused); the message says what to type.
    """

    def __init__(self, label: Any = None, validators: Any = None, **kwargs: Any) -> None:
        kwargs.setdefault("places", None)  # show the number as typed or stored, not rounded
        super().__init__(label, validators, **kwargs)

    def process_formdata(self, valuelist: list[Any]) -> None:
        """Read the typed text; NaN, infinities and huge numbers become a process error."""
        if not valuelist:
            return
        raw = valuelist[0]
        if isinstance(raw, str) and not raw.strip():
            self.data = None
            return
        value = parse_decimal(raw) if isinstance(raw, str) else None
        if value is None:
            self.data = None
            raise ValueError(_l("Enter a number, such as 12 or -3.5."))
        if abs(value) > NUMBER_LIMIT:
            self.data = None
            raise ValueError(_l("Enter a number between -10^100 and 10^100."))
        self.data = value

    def pre_validate(self, form: Any) -> None:
        """Stop at a refused number: its message says it all (no range check on nothing)."""
        if self.process_errors:
            raise StopValidation()


class RowList(FieldList):
    """A FieldList that reads only short ASCII row indices from the posted keys."""

    def _extract_indices(self, prefix: str, formdata: Any):
        offset = len(prefix) + 1
        for key in formdata:
            if key.startswith(prefix):
                index = key[offset:].split(self._field_separator, 1)[0]
                if index.isascii() and index.isdigit() and len(index) <= _MAX_INDEX_DIGITS:
                    yield int(index)
