"""When a question was shown, carried by the client: a signed token sent with the question
(the page's answer form, the API's question) and returned with the answer.

Showing a question writes nothing; the answer's time taken is counted from this token's time
(`attempts.record_answer(shown_at=...)`). The pages and the JSON API sign with different salts,
so a token from one is not accepted by the other.
"""

from __future__ import annotations

import datetime as dt
import time

from flask import current_app
from itsdangerous import BadSignature, Signer

PAGE_SALT = "quizapp.question-shown"
API_SALT = "quizapp.api-question-shown"


def _signer(salt: str) -> Signer:
    return Signer(current_app.secret_key, salt=salt)


def shown_token(item_id: int, salt: str) -> str:
    """`<item id>.<milliseconds since the epoch>`, signed with `salt`: when the question of
    this attempt item is shown (now)."""
    return _signer(salt).sign(f"{item_id}.{time.time_ns() // 1_000_000}").decode()


def shown_at(token: str | None, item_id: int, salt: str) -> dt.datetime | None:
    """The time (naive UTC) a question of this item was shown, from its token signed with
    `salt`; None when there is no token, or it is forged, or it names another item."""
    if not token:
        return None
    try:
        value = _signer(salt).unsign(token).decode()
    except BadSignature:
        return None
    shown_item, _dot, millis = value.partition(".")
    if shown_item != str(item_id) or not (millis.isascii() and millis.isdigit()):
        return None
    return dt.datetime.fromtimestamp(int(millis) / 1000, dt.UTC).replace(tzinfo=None)
