"""Pages and ETags of the JSON API.

Every list is paged: `?page=` (from 1) and `?per_page=` (1 to MAX_PER_PAGE, PER_PAGE when not
given). A page comes in an envelope, `{"items": [...], "page", "per_page", "total", "pages",
"links": {"self", "first", "last", "prev", "next"}}`, the same links also in an RFC 8288
`Link` header; a page past the last one is empty (its links still lead back).

Reads that clients poll (an attempt, the history, a report) carry an `ETag`: a hash of the
JSON body sent. A request with `If-None-Match` holding that tag gets `304 Not Modified` and no
body (RFC 9110 section 13.1.2), so polling costs the client nothing while nothing changes.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from typing import Any

import marshmallow as ma
from flask import Response, request, url_for

from quizapp.web.numbers import MAX_PAGE

PER_PAGE = 25
MAX_PER_PAGE = 100


class PageArgs(ma.Schema):
    """The page asked for."""

    page = ma.fields.Integer(
        load_default=1,
        validate=ma.validate.Range(min=1, max=MAX_PAGE),
        metadata={"description": "The page, from 1."},
    )
    per_page = ma.fields.Integer(
        load_default=PER_PAGE,
        validate=ma.validate.Range(min=1, max=MAX_PER_PAGE),
        metadata={"description": f"Items per page, 1 to {MAX_PER_PAGE}."},
    )


class LinksSchema(ma.Schema):
    """Where the other pages are (relative URLs; None where there is no such page)."""

    self = ma.fields.String(required=True)
    first = ma.fields.String(required=True)
    last = ma.fields.String(required=True)
    prev = ma.fields.String(required=True, allow_none=True)
    next = ma.fields.String(required=True, allow_none=True)


def page_schema(item: type[ma.Schema], name: str) -> type[ma.Schema]:
    """The envelope of a page of `item`s, as a schema class named `name`."""
    fields = {
        "items": ma.fields.List(ma.fields.Nested(item), required=True),
        "page": ma.fields.Integer(required=True),
        "per_page": ma.fields.Integer(required=True),
        "total": ma.fields.Integer(required=True, metadata={"description": "Items in all."}),
        "pages": ma.fields.Integer(required=True, metadata={"description": "Pages in all."}),
        "links": ma.fields.Nested(LinksSchema, required=True),
    }
    return type(name, (ma.Schema,), fields)


def envelope(items: Sequence[Any], total: int, page: int, per_page: int) -> dict[str, Any]:
    """A page's envelope for the current endpoint (its path and query kept in the links)."""
    pages = max((total + per_page - 1) // per_page, 1)

    def link(number: int) -> str:
        args = {**request.view_args, **request.args.to_dict(), "page": number}
        args["per_page"] = per_page
        return url_for(request.endpoint, **args)

    return {
        "items": list(items),
        "page": page,
        "per_page": per_page,
        "total": total,
        "pages": pages,
        "links": {
            "self": link(page),
            "first": link(1),
            "last": link(pages),
            "prev": link(min(page - 1, pages)) if page > 1 else None,
            "next": link(page + 1) if page < pages else None,
        },
    }


def link_header(links: dict[str, str | None]) -> str:
    """The envelope's links as an RFC 8288 Link header."""
    return ", ".join(f'<{url}>; rel="{rel}"' for rel, url in links.items() if url and rel != "self")


def json_response(
    data: Any, status: int = 200, *, etag: bool = False, links: dict | None = None
) -> Response:
    """`data` (already dumped by its schema) as JSON; with `etag`, tagged and answered 304
    when the client's If-None-Match holds the tag."""
    body = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    headers: dict[str, str] = {}
    if links:
        headers["Link"] = link_header(links)
    if etag:
        tag = hashlib.sha256(body.encode("utf-8")).hexdigest()[:32]
        if request.if_none_match.contains(tag):
            response = Response(status=304, headers=headers)
            response.set_etag(tag)
            return response
        response = Response(body, status=status, mimetype="application/json", headers=headers)
        response.set_etag(tag)
        return response
    return Response(body, status=status, mimetype="application/json", headers=headers)


def paged(
    schema: type[ma.Schema], items: Sequence[Any], total: int, args: dict, *, etag: bool = False
) -> Response:
    """A page of `items` (already this page's rows) dumped by the envelope `schema`."""
    data = envelope(items, total, args["page"], args["per_page"])
    dumped = schema().dump(data)
    return json_response(dumped, etag=etag, links=data["links"])


def sliced(items: Sequence[Any], args: dict) -> list[Any]:
    """This page's part of a list read whole (lists bounded by the user's own rows)."""
    start = (args["page"] - 1) * args["per_page"]
    return list(items[start : start + args["per_page"]])
