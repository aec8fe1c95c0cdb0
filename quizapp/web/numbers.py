"""Whole numbers from URLs and query strings: ids and page numbers the database can hold.

Every id column is an `Integer`, which PostgreSQL stores in 32 bits; a larger number in a URL
would reach the database and fail there (a 500). So every `<int:...>` in a route, every page
number and every number read from a query string or a hidden field passes through here: a
number out of range is a page that does not exist (404), never a query.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, abort, request
from werkzeug.routing import IntegerConverter, Map

# The largest value of an `Integer` column on PostgreSQL (and of a 32-bit signed integer).
DB_INTEGER_MAX = 2**31 - 1
# Ten decimal digits hold every value up to DB_INTEGER_MAX; more can never be in range, and
# reading them as an int would cost time (or fail, past Python's 4300-digit limit).
_MAX_DIGITS = len(str(DB_INTEGER_MAX))
# Pages are counted from 1; a page number above this is refused before any query (its offset
# would be absurd even with one row per page).
MAX_PAGE = 1_000_000


class BoundedIntegerConverter(IntegerConverter):
    """`<int:...>` for ids and positions: 1 to DB_INTEGER_MAX, else the route does not match.

    Routes may still narrow the range with `<int(min=..., max=...):name>`. Only ASCII digits
    match: Werkzeug's `\\d+` also takes "١٢", which `int` reads as 12 (a second URL for a page).
    """

    regex = r"[0-9]+"
    signed_regex = r"-?[0-9]+"

    def __init__(
        self,
        map: Map,
        fixed_digits: int = 0,
        min: int | None = 1,
        max: int | None = DB_INTEGER_MAX,
        signed: bool = False,
    ) -> None:
        super().__init__(map, fixed_digits, min, max, signed)

    def to_python(self, value: str) -> Any:
        """The number, or a ValidationError (so a 404) when it is too long to be in range."""
        from werkzeug.routing import ValidationError

        if len(value.lstrip("-").lstrip("0")) > _MAX_DIGITS:
            raise ValidationError()
        return super().to_python(value)


def install(app: Flask) -> None:
    """Make the bounded converter the app's `int`, for every route registered after this."""
    app.url_map.converters["int"] = BoundedIntegerConverter


def whole_number(text: object, low: int = 0, high: int = DB_INTEGER_MAX) -> int | None:
    """`text` read as a whole number from `low` to `high`, or None.

    Only ASCII digits count: `str.isdigit` also accepts "²" and other digits `int` refuses.
    """
    if not isinstance(text, str):
        return None
    text = text.strip()
    if not text or not (text.isascii() and text.isdigit()):
        return None
    if len(text.lstrip("0")) > max(_MAX_DIGITS, len(str(high))):
        return None
    value = int(text)
    return value if low <= value <= high else None


def page_argument(name: str = "page") -> int:
    """The page number in query parameter `name`: 1 when absent, 404 when not 1 to MAX_PAGE.

    Whether the page lies past the last one is for the caller to check (`last_page_or_404`).
    """
    raw = request.args.get(name)
    if raw is None or raw == "":
        return 1
    value = whole_number(raw, low=1, high=MAX_PAGE)
    if value is None:
        abort(404)
    return value


def last_page_or_404(page: int, total: int, per_page: int) -> int:
    """The number of pages for `total` rows; 404 when `page` lies past the last one.

    An empty list still has its page 1 (which says there is nothing yet).
    """
    pages = max((total + per_page - 1) // per_page, 1)
    if page > pages:
        abort(404)
    return pages
