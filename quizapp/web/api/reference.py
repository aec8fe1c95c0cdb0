"""The API's reference page, `/api/v1/reference`: the OpenAPI document rendered on the server
into the site's own layout (no script, no viewer fetched from elsewhere), so it works offline
and without JavaScript and always says what `/api/v1/openapi.json` says."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, render_template
from markupsafe import Markup, escape

bp = Blueprint("api_reference", __name__, url_prefix="/api/v1")


@bp.app_template_filter("code_spans")
def code_spans(text: str) -> Markup:
    """A docstring's `backquoted` words as <code>, the rest escaped."""
    parts = str(text or "").split("`")
    return Markup("").join(
        Markup("<code>{}</code>").format(part) if index % 2 else escape(part)
        for index, part in enumerate(parts)
    )


METHODS = ("get", "put", "post", "delete", "patch")


def type_text(schema: dict[str, Any] | None) -> str:
    """A JSON schema in a few words: "string", "integer or null", "list of Bank", "Attempt"."""
    if not schema:
        return "any"
    if "$ref" in schema:
        return schema["$ref"].rsplit("/", 1)[-1].removesuffix("Schema")
    for combined in ("allOf", "oneOf", "anyOf"):
        if combined in schema:
            return " or ".join(type_text(part) for part in schema[combined])
    kind = schema.get("type", "any")
    kinds = kind if isinstance(kind, list) else [kind]
    words = []
    for name in kinds:
        if name == "array":
            words.append(f"list of {type_text(schema.get('items'))}")
        elif name == "object" and isinstance(schema.get("additionalProperties"), dict):
            words.append(f"object of {type_text(schema['additionalProperties'])}")
        else:
            words.append(str(name))
    text = " or ".join(words)
    if "enum" in schema:
        text += ": " + ", ".join(str(value) for value in schema["enum"] if value is not None)
    return text


def _body_schema(content: dict[str, Any] | None) -> list[tuple[str, str]]:
    return [
        (media_type, type_text(entry.get("schema")))
        for media_type, entry in (content or {}).items()
    ]


def operations(spec: dict[str, Any]) -> list[dict[str, Any]]:
    """The document's operations grouped by tag, in the document's order."""
    tags = {tag["name"]: {**tag, "operations": []} for tag in spec.get("tags", [])}
    for path, item in spec.get("paths", {}).items():
        shared = item.get("parameters", [])
        for method in METHODS:
            operation = item.get(method)
            if operation is None:
                continue
            parameters = [*shared, *operation.get("parameters", [])]
            responses = []
            for status, response in operation.get("responses", {}).items():
                if "$ref" in response:
                    name = response["$ref"].rsplit("/", 1)[-1]
                    response = spec["components"]["responses"].get(name, {})
                responses.append(
                    (status, response.get("description", ""), _body_schema(response.get("content")))
                )
            for tag in operation.get("tags", ["other"]):
                tags.setdefault(tag, {"name": tag, "description": "", "operations": []})
                tags[tag]["operations"].append(
                    {
                        "id": f"{method}-{path}".replace("/", "-")
                        .strip("-")
                        .replace("{", "")
                        .replace("}", ""),
                        "method": method.upper(),
                        "path": path,
                        "summary": operation.get("summary", ""),
                        "description": operation.get("description", ""),
                        "parameters": [
                            (
                                p.get("name", ""),
                                p.get("in", ""),
                                type_text(p.get("schema")),
                                bool(p.get("required")),
                                p.get("description", ""),
                            )
                            for p in parameters
                            if "$ref" not in p
                        ],
                        "body": _body_schema(operation.get("requestBody", {}).get("content")),
                        "responses": responses,
                    }
                )
    return [tag for tag in tags.values() if tag["operations"]]


def titled(tags: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The tags with a `title` each for people: their blueprint's (`access.api_blueprint`),
    as a tag is named after its blueprint, an endpoint prefix such as `api_banks`."""
    blueprints = current_app.blueprints
    return [
        {**tag, "title": getattr(blueprints.get(tag["name"]), "title", None) or tag["name"]}
        for tag in tags
    ]


def schemas(spec: dict[str, Any]) -> list[dict[str, Any]]:
    """Each named schema with its properties (name, type, required, description)."""
    found = []
    for name, schema in spec.get("components", {}).get("schemas", {}).items():
        required = set(schema.get("required", []))
        found.append(
            {
                "name": name.removesuffix("Schema"),
                "description": schema.get("description", ""),
                "properties": [
                    (prop, type_text(body), prop in required, body.get("description", ""))
                    for prop, body in schema.get("properties", {}).items()
                ],
            }
        )
    return found


@bp.route("/reference")
def reference():
    """The reference page, readable without a token (as the OpenAPI document)."""
    api = current_app.extensions["flask-smorest"]["apis"][""]["ext_obj"]
    spec = api.spec.to_dict()
    return render_template(
        "api/reference.html",
        spec=spec,
        tags=titled(operations(spec)),
        schemas=schemas(spec),
    )
