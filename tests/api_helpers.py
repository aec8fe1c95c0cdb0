"""Helpers for the JSON API's tests: tokens made through the service, requests with them."""

from __future__ import annotations

from quizapp.extensions import db
from quizapp.models import User
from quizapp.services import tokens
from quizapp.services.users import find_user

API = "/api/v1"


def make_token(app, name: str, scope: str = "write", days: int | None = None) -> str:
    """A token of the user `name`; its secret."""
    with app.app_context():
        made = tokens.create_token(find_user(name), f"test {scope}", scope, days)
        db.session.commit()
        return made.secret


def user_id(app, name: str) -> int:
    with app.app_context():
        return db.session.scalar(db.select(User.id).where(User.name == name))


def call(client, method: str, path: str, token: str | None = None, **kwargs):
    """An API request (`path` under /api/v1 unless it starts with /) with the bearer token."""
    headers = dict(kwargs.pop("headers", {}))
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    url = path if path.startswith("/api/") else f"{API}{path}"
    return client.open(url, method=method, headers=headers, **kwargs)


LESSON = """Romania joined the Axis on 23 November 1940, under Marshal Ion Antonescu.

The Iași pogrom of June 1941 killed at least 13,266 Jews.

King Michael led the coup of 23 August 1944 that deposed Antonescu."""

FACT = {
    "evidence": "Romania joined the Axis on 23 November 1940",
    "statement": "Romania joined the Axis on 23 November 1940.",
    "answer": "23 November 1940",
    "kind": "date",
    "stems": ["On what date did Romania join the Axis?"],
    "alternatives": ["November 23, 1940"],
    "label": "Romania joins the Axis",
    "topic": "axis-entry-date",
}


def browser_bank(app, owner: str, editor: str | None = None, slug: str = "lesson") -> dict:
    """An unpublished browser-made bank of `owner` (with `editor` as co-editor): one source
    of three passages and one fact. Its slug, source slug, first passage id and fact id."""
    from quizapp.services import authoring, sharing

    with app.test_request_context():
        user = find_user(owner)
        bank = authoring.create_bank(
            user,
            slug=slug,
            titles={"en": "Next week's lesson"},
            descriptions={"en": "A short bank."},
            languages=["en"],
            subject="history",
            licence="CC BY-SA 4.0",
        )
        source = authoring.add_source(
            user,
            bank,
            title="The lesson text",
            language="en",
            text=LESSON,
            origin="my notes",
            licence="CC BY 4.0",
            attribution="A. Teacher",
        )
        db.session.flush()
        passage = sorted(source.passages, key=lambda p: p.position)[0]
        data = dict(FACT, passage_id=passage.id)
        for name in ("stems", "alternatives"):
            data[name] = "\n".join(data[name])
        fact = authoring.save_fact(user, bank, data)
        if editor:
            sharing.add_editor(user, bank, editor)
        db.session.commit()
        return {"slug": bank.slug, "source": source.slug, "passage": passage.id, "fact": fact.id}
