"""Helpers for view tests: start an attempt, read its frozen questions, answer them."""

from __future__ import annotations

import html
import re

from quizapp.core.authored import AuthoredQuestion, Choice
from quizapp.core.bank import Bank, BankQuestion
from quizapp.core.question_types import TYPES
from quizapp.extensions import db
from quizapp.models import Attempt, AttemptItem, Response

ALL_TYPES = [name for name, t in TYPES.items() if t.from_facts]


def start(client, language="en", count=7, types=ALL_TYPES, expect=302, accept=False):
    """Start an attempt through the home page form; return its id.

    With `accept`, a set the bank cannot give as asked is started as the confirmation page
    announces it (its "start with what the bank can give" form is posted back).
    """
    data = {"b1-language": language, "b1-count": str(count), "b1-types": list(types)}
    response = client.post("/banks/romania-ww2/start", data=data)
    assert response.status_code == expect, response.get_data(as_text=True)
    if expect != 302:
        return None
    if accept and "/confirm" in response.headers["Location"]:
        page = client.get(response.headers["Location"]).get_data(as_text=True)
        form = page.split('action="/banks/romania-ww2/start"', 1)[1].split("</form>", 1)[0]
        fields: dict[str, list[str]] = {}
        for name, value in re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', form):
            fields.setdefault(name, []).append(html.unescape(value))
        response = client.post("/banks/romania-ww2/start", data=fields)
        assert response.status_code == 302, response.get_data(as_text=True)
    match = re.search(r"/attempts/(\d+)/q/1$", response.headers["Location"])
    assert match, response.headers["Location"]
    return int(match.group(1))


def frozen(app, attempt_id):
    """The attempt's frozen questions by position."""
    with app.app_context():
        items = db.session.scalars(
            db.select(AttemptItem)
            .where(AttemptItem.attempt_id == attempt_id)
            .order_by(AttemptItem.position)
        )
        return {item.position: dict(item.question) for item in items}


def right_answer_form(question: dict) -> dict:
    """Form data that answers a frozen question correctly."""
    kind = question["type"]
    if kind in ("mcq", "tf"):
        return {"answer": str(question["options"].index(question["key"]))}
    if kind in ("cloze", "short", "numeric"):
        return {"answer": question["key"]}
    if kind == "order":
        return {
            f"place_{i}": str(question["options"].index(label))
            for i, label in enumerate(question["key"])
        }
    if kind == "match":
        left, right = question["options"]["left"], question["options"]["right"]
        return {
            f"pair_{i}": str(right.index(question["key"][label])) for i, label in enumerate(left)
        }
    raise AssertionError(kind)


def wrong_answer_form(question: dict) -> dict:
    """Form data that answers a frozen question wrongly."""
    kind = question["type"]
    if kind in ("mcq", "tf"):
        wrong = next(o for o in question["options"] if o != question["key"])
        return {"answer": str(question["options"].index(wrong))}
    if kind in ("cloze", "short", "numeric"):
        return {"answer": "0" if kind == "numeric" else "Nobody at all"}
    if kind == "order":
        reversed_key = list(reversed(question["key"]))
        return {
            f"place_{i}": str(question["options"].index(label))
            for i, label in enumerate(reversed_key)
        }
    if kind == "match":
        left, right = question["options"]["left"], question["options"]["right"]
        return {
            f"pair_{i}": str((right.index(question["key"][label]) + 1) % len(right))
            for i, label in enumerate(left)
        }
    raise AssertionError(kind)


def responses(app, attempt_id):
    """Stored responses of an attempt by position."""
    with app.app_context():
        rows = db.session.execute(
            db.select(AttemptItem.position, Response)
            .join(Response)
            .where(AttemptItem.attempt_id == attempt_id)
        ).all()
        return {position: response for position, response in rows}


def attempt(app, attempt_id):
    """The stored attempt."""
    with app.app_context():
        return db.session.get(Attempt, attempt_id)


def written_bank(slug: str, count: int = 6) -> Bank:
    """A bank of `count` hand-written English multiple-choice questions and no facts."""
    questions = [
        BankQuestion(
            str(n),
            AuthoredQuestion(
                "mcq",
                f"Hand-written question {n}?",
                choices=[Choice(f"right {n}", True), Choice(f"wrong {n}", False)],
                language="en",
            ),
        )
        for n in range(count)
    ]
    return Bank(
        id=slug,
        title={"en": f"Bank {slug}"},
        description={"en": ""},
        subject="test",
        licence="CC0",
        languages=["en"],
        questions=questions,
    )
