"""The JSON API: problem documents, pages, ETags, no key before an answer, attempts from
start to finish, facts written through the editor's rules, the OpenAPI document and its
reference page. Who may call what: test_api_permissions.py; tokens: test_api_tokens.py."""

from __future__ import annotations

import json
import re

import pytest

from quizapp.extensions import db
from quizapp.models import AttemptItem
from tests.api_helpers import FACT, browser_bank, call, make_token, user_id
from tests.conftest import make_class, make_user

KEY_FIELDS = {
    "key",
    "accepted",
    "fact_id",
    "fact_answers",
    "statement",
    "source",
    "items",
    "derived_forms",
    "rival_names",
    "known_date",
    "linked_fact",
    "weights",
    "option_feedback",
    "numeric_answers",
    "note",
    "kind",
}


@pytest.fixture
def ana(app, student):
    return make_token(app, "ana")


def _start(client, token, **overrides):
    body = {"bank": "romania-ww2", "language": "en", "count": 6, "types": ["mcq", "tf", "short"]}
    body.update(overrides)
    response = call(client, "POST", "/attempts", token, json=body)
    assert response.status_code == 201, response.get_data(as_text=True)
    return response.get_json()


def _frozen(app, attempt_id):
    with app.app_context():
        items = db.session.scalars(
            db.select(AttemptItem).where(AttemptItem.attempt_id == attempt_id)
        )
        return {item.position: dict(item.question) for item in items}


def _right(question: dict):
    if question["type"] in ("mcq", "tf", "short", "cloze", "numeric"):
        return question["key"]
    return question["key"]


def _keys_in(value, found=None) -> set[str]:
    found = set() if found is None else found
    if isinstance(value, dict):
        found.update(value)
        for inner in value.values():
            _keys_in(inner, found)
    elif isinstance(value, list):
        for inner in value:
            _keys_in(inner, found)
    return found


def test_errors_are_problem_documents(app, client, ana):
    cases = [
        ("GET", "/me", None, 401),
        ("GET", "/banks/no-such-bank", ana, 404),
        ("GET", "/no/such/route", ana, 404),
        ("DELETE", "/banks", ana, 405),
        ("POST", "/attempts", ana, 422),
        ("GET", "/banks?per_page=1000", ana, 422),
        ("GET", "/attempts/99999", ana, 404),
        ("GET", "/classes/1", ana, 404),
        ("POST", "/banks/romania-ww2/facts", ana, 403),
    ]
    for method, path, token, status in cases:
        response = call(client, method, path, token, json={} if method == "POST" else None)
        assert response.status_code == status, (path, response.get_data(as_text=True))
        assert response.headers["Content-Type"] == "application/problem+json", path
        body = response.get_json()
        assert body["status"] == status and body["type"] == "about:blank", path
        assert body["title"] and len(body["detail"]) > 10, (path, body)
    assert "GET" in call(client, "DELETE", "/banks", ana).headers["Allow"]
    refused = call(client, "GET", "/banks?per_page=1000", ana).get_json()
    assert "per_page" in refused["errors"]
    missing = call(client, "POST", "/attempts", ana, json={}).get_json()
    assert set(missing["errors"]) >= {"bank", "language"}


def test_a_body_that_is_not_json_is_refused_clearly(app, client, ana):
    response = call(client, "POST", "/attempts", ana, data="bank=romania-ww2")
    assert response.status_code in (415, 422)
    assert response.headers["Content-Type"] == "application/problem+json"


def test_a_server_error_is_a_problem_document(app, client, ana, monkeypatch):
    from quizapp.services import banks

    def broken(user):
        raise RuntimeError("boom")

    monkeypatch.setattr(banks, "list_banks", broken)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    response = call(client, "GET", "/banks", ana)
    assert response.status_code == 500
    assert response.headers["Content-Type"] == "application/problem+json"
    assert "boom" not in response.get_data(as_text=True)


def test_lists_are_paged_with_links(app, client, ana):
    for _ in range(3):
        _start(client, ana)
    first = call(client, "GET", "/attempts?per_page=2", ana)
    body = first.get_json()
    assert (body["page"], body["per_page"], body["total"], body["pages"]) == (1, 2, 3, 2)
    assert len(body["items"]) == 2 and body["links"]["prev"] is None
    assert 'rel="next"' in first.headers["Link"]
    second = call(client, "GET", body["links"]["next"], ana).get_json()
    assert len(second["items"]) == 1 and second["links"]["next"] is None
    ids = [a["id"] for a in body["items"] + second["items"]]
    assert ids == sorted(ids, reverse=True)
    past = call(client, "GET", "/attempts?page=9&per_page=2", ana).get_json()
    assert past["items"] == [] and past["links"]["last"].endswith("page=2&per_page=2")
    assert call(client, "GET", "/attempts?page=0", ana).status_code == 422


def test_polled_reads_carry_an_etag_and_answer_304(app, client, ana):
    attempt = _start(client, ana)
    path = f"/attempts/{attempt['id']}"
    first = call(client, "GET", path, ana)
    tag = first.headers["ETag"]
    assert first.headers["Cache-Control"] == "private, no-cache"
    same = call(client, "GET", path, ana, headers={"If-None-Match": tag})
    assert same.status_code == 304 and same.get_data() == b"" and same.headers["ETag"] == tag
    question = _frozen(app, attempt["id"])[1]
    call(client, "POST", f"{path}/questions/1/answer", ana, json={"answer": _right(question)})
    changed = call(client, "GET", path, ana, headers={"If-None-Match": tag})
    assert changed.status_code == 200 and changed.headers["ETag"] != tag
    for polled in ("/history", "/attempts"):
        tag = call(client, "GET", polled, ana).headers["ETag"]
        assert call(client, "GET", polled, ana, headers={"If-None-Match": tag}).status_code == 304


def test_no_key_before_an_answer_on_any_endpoint(app, client, ana):
    types = ["mcq", "tf", "short", "cloze", "numeric", "order", "match"]
    quiz = call(client, "GET", "/banks/romania-ww2/quiz?language=en&count=8&seed=3", ana)
    assert quiz.status_code == 200
    for question in quiz.get_json()["questions"]:
        assert not (_keys_in(question) & KEY_FIELDS), question
    attempt = _start(client, ana, count=7, types=types, seed=2)
    frozen = _frozen(app, attempt["id"])
    started = json.dumps(attempt)
    for item in attempt["items"]:
        assert item["result"] is None and not (_keys_in(item["question"]) & KEY_FIELDS)
    path = f"/attempts/{attempt['id']}"
    for position in frozen:
        one = call(client, "GET", f"{path}/questions/{position}", ana).get_json()
        assert one["result"] is None and not (_keys_in(one["question"]) & KEY_FIELDS)
    # Typed answers are never in the attempt before they are given.
    for question in frozen.values():
        if question["type"] in ("short", "cloze", "numeric"):
            assert json.dumps(question["key"]) not in started
    answered = call(
        client, "POST", f"{path}/questions/1/answer", ana, json={"answer": frozen[1]["key"]}
    ).get_json()
    assert answered["result"]["correct"] is True and answered["result"]["key"] == frozen[1]["key"]
    whole = call(client, "GET", path, ana).get_json()
    assert whole["items"][0]["result"]["key"] == frozen[1]["key"]
    assert all(item["result"] is None for item in whole["items"][1:])


def test_a_passage_hides_the_answers_of_questions_still_to_come(app, client, ana):
    from quizapp.core.masking import MASK

    attempt = _start(client, ana, count=10, types=["short", "cloze", "mcq"])
    frozen = _frozen(app, attempt["id"])
    path = f"/attempts/{attempt['id']}"
    for position, question in frozen.items():
        body = call(
            client,
            "POST",
            f"{path}/questions/{position}/answer",
            ana,
            json={"answer": question["key"]},
        ).get_json()
        source = body["result"]["source"]
        if source and source["hidden"]:
            assert MASK in source["passage_text"]
            return
    pytest.skip("this set has no passage stating another question's answer")


def test_an_attempt_from_start_to_finish(app, client, ana):
    attempt = _start(client, ana)
    frozen = _frozen(app, attempt["id"])
    path = f"/attempts/{attempt['id']}"
    assert attempt["score"] is None and attempt["total"] == len(frozen)
    one = call(client, "GET", f"{path}/questions/1", ana).get_json()
    body = {"answer": frozen[1]["key"], "shown": one["shown"]}
    first = call(client, "POST", f"{path}/questions/1/answer", ana, json=body)
    assert first.status_code == 200 and first.get_json()["answered"] is True
    again = call(client, "POST", f"{path}/questions/1/answer", ana, json={"answer": "x"})
    assert again.status_code == 409 and "first answer is kept" in again.get_json()["detail"]
    wrong_shape = call(client, "POST", f"{path}/questions/2/answer", ana, json={"answer": 7})
    assert wrong_shape.status_code == 422 and "answer" in wrong_shape.get_json()["errors"]
    assert call(client, "GET", f"{path}/questions/99", ana).status_code == 404
    finished = call(client, "POST", f"{path}/finish", ana).get_json()
    assert finished["finished_at"].endswith("Z") and finished["score"] == 1.0
    late = call(client, "POST", f"{path}/questions/2/answer", ana, json={"answer": "x"})
    assert late.status_code == 409 and "finished" in late.get_json()["detail"]
    history = call(client, "GET", "/history", ana).get_json()
    assert history["banks"][0]["bank"] == "romania-ww2" and history["banks"][0]["attempts"] == 1


def test_a_shortfall_says_what_the_bank_can_give_and_starts_it_when_accepted(app, client, ana):
    body = {"bank": "romania-ww2", "language": "en", "count": 50, "types": ["order"], "seed": 5}
    refused = call(client, "POST", "/attempts", ana, json=body)
    assert refused.status_code == 409
    plan = refused.get_json()["plan"]
    assert plan["exact"] is False and plan["planned"]["order"] < 50
    started = call(client, "POST", "/attempts", ana, json=body | {"accept": plan["signature"]})
    assert started.status_code == 201
    assert started.get_json()["total"] == sum(plan["planned"].values())


@pytest.mark.settings(RATELIMIT_START="2 per minute")
def test_starts_share_the_browsers_rate_limit(app, client, ana):
    from tests.conftest import log_in
    from tests.quiz_helpers import start

    browser = log_in(app.test_client(), "ana")
    start(browser)
    _start(client, ana)
    response = call(
        client, "POST", "/attempts", ana, json={"bank": "romania-ww2", "language": "en"}
    )
    assert response.status_code == 429
    assert "too many quizzes" in response.get_json()["detail"]


def test_a_teacher_writes_updates_and_retires_a_fact(app, client, teacher):
    token = make_token(app, "profesora")
    lesson = browser_bank(app, "profesora")
    body = dict(
        FACT,
        passage_id=lesson["passage"],
        answer="Ion Antonescu",
        kind="person",
        evidence="Marshal Ion Antonescu",
        statement="Romania was led by Ion Antonescu.",
        stems=["Who led Romania when it joined the Axis?"],
        alternatives=[],
        topic="leader",
        label="",
    )
    made = call(client, "POST", f"/banks/{lesson['slug']}/facts", token, json=body)
    assert made.status_code == 201, made.get_data(as_text=True)
    fact = made.get_json()
    assert fact["answer"] == "Ion Antonescu" and fact["evidence_start"] > 0
    bad = call(
        client,
        "POST",
        f"/banks/{lesson['slug']}/facts",
        token,
        json=body | {"evidence": "words that are not in the passage"},
    )
    assert bad.status_code == 422
    assert "word for word" in " ".join(bad.get_json()["errors"]["problems"])
    updated = call(
        client,
        "PUT",
        f"/facts/{fact['id']}",
        token,
        json=body | {"statement": "Marshal Ion Antonescu led Romania."},
    )
    assert updated.status_code == 200 and updated.get_json()["key"] == fact["key"]
    retired = call(client, "POST", f"/facts/{fact['id']}/retire", token).get_json()
    assert retired["retired"] is True
    listed = call(client, "GET", f"/banks/{lesson['slug']}/facts", token).get_json()
    assert [f["id"] for f in listed["items"]] == [lesson["fact"]]
    with_retired = call(client, "GET", f"/banks/{lesson['slug']}/facts?retired=true", token)
    assert len(with_retired.get_json()["items"]) == 2
    site = call(client, "POST", "/banks/romania-ww2/facts", token, json=body)
    assert site.status_code == 403 and "questions/romania-ww2" in site.get_json()["detail"]


def test_banks_sources_and_export(app, client, teacher, ana):
    token = make_token(app, "profesora")
    listed = call(client, "GET", "/banks", ana).get_json()
    assert [b["slug"] for b in listed["items"]] == ["romania-ww2"]
    bank = call(client, "GET", "/banks/romania-ww2", ana).get_json()
    assert "mcq" in bank["question_types"]["en"] and bank["sources"]
    source = call(client, "GET", f"/sources/{bank['sources'][0]['slug']}", ana).get_json()
    assert source["passages"][0]["text"] and source["bank"] == "romania-ww2"
    assert call(client, "GET", "/banks/romania-ww2/export", ana).status_code == 403
    archive = call(client, "GET", "/banks/romania-ww2/export", token)
    assert archive.status_code == 200 and archive.mimetype == "application/zip"
    gift = call(client, "GET", "/banks/romania-ww2/export?format=gift", token)
    assert gift.status_code == 200 and gift.mimetype == "text/plain"


def test_a_teacher_reads_a_class_its_assignment_report_and_a_learners_attempt(app, client):
    from quizapp.models import Bank, SchoolClass, User
    from quizapp.services import assignments
    from quizapp.services.assignments import AssignmentSettings

    make_user(app, "profesora", "teacher")
    make_user(app, "ana")
    class_id = make_class(app, "profesora", "ana")
    with app.app_context():
        owner = db.session.get(User, user_id(app, "profesora"))
        bank = db.session.scalar(db.select(Bank))
        assignment = assignments.create_assignment(
            owner,
            db.session.get(SchoolClass, class_id),
            AssignmentSettings("Week 1", bank.id, "en", ["mcq", "tf"], 6),
            seed=1,
        )
        db.session.commit()
        assignment_id = assignment.id
    teacher, learner = make_token(app, "profesora"), make_token(app, "ana")
    started = call(client, "POST", f"/assignments/{assignment_id}/attempts", learner)
    assert started.status_code == 201
    resumed = call(client, "POST", f"/assignments/{assignment_id}/attempts", learner)
    assert resumed.status_code == 200 and resumed.get_json()["id"] == started.get_json()["id"]
    report = call(client, "GET", f"/assignments/{assignment_id}/report", teacher)
    assert report.get_json()["counts"]["in_progress"] == 1
    tag = report.headers["ETag"]
    again = call(
        client,
        "GET",
        f"/assignments/{assignment_id}/report",
        teacher,
        headers={"If-None-Match": tag},
    )
    assert again.status_code == 304
    seen = call(client, "GET", f"/attempts/{started.get_json()['id']}", teacher).get_json()
    assert all(item["result"] is None for item in seen["items"])
    classes = call(client, "GET", "/classes", teacher).get_json()["items"]
    assert classes[0]["role"] == "owner" and classes[0]["learners"] == 1
    assert call(client, "GET", f"/classes/{class_id}", teacher).get_json()["join_code"]
    learners = call(client, "GET", f"/classes/{class_id}/learners", teacher).get_json()
    assert [row["name"] for row in learners["items"]] == ["ana"]
    mine = call(client, "GET", f"/assignments/{assignment_id}", learner).get_json()
    assert mine["state"] and mine["attempt_ids"] == [started.get_json()["id"]]


def test_the_openapi_document_is_valid_openapi_3_1(app, client):
    from openapi_spec_validator import validate

    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    spec = response.get_json()
    assert spec["openapi"] == "3.1.0"
    validate(spec)
    assert spec["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"
    problem = spec["components"]["responses"]["DEFAULT_ERROR"]["content"]
    assert list(problem) == ["application/problem+json"]
    operations = [(p, m) for p, item in spec["paths"].items() for m in item]
    assert len(operations) >= 20


def test_the_reference_page_is_rendered_offline(app, client):
    page = client.get("/api/v1/reference")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "GET /api/v1/attempts/{attempt_id}" in text and "Authorization: Bearer" in text
    assert '<script src="http' not in text and "cdn" not in text.lower()
    # Sections are named for people, not after the blueprints' endpoint prefixes.
    headings = re.findall(r'<h2 id="tag-[^"]+">([^<]+)</h2>', text)
    assert headings == [
        "Your account",
        "Banks",
        "Facts",
        "Questions",
        "Attempts",
        "Classes",
        "Reports",
    ], headings
    assert ">api_" not in text


def test_a_teacher_writes_updates_and_retires_a_hand_written_question(app, client, teacher):
    token = make_token(app, "profesora")
    lesson = browser_bank(app, "profesora")
    body = {
        "type": "mcq",
        "stem": "Who led the coup of 23 August 1944?",
        "passage_id": lesson["passage"],
        "choices": [
            {"text": "King Michael", "correct": True, "feedback": "Yes."},
            {"text": "Ion Antonescu"},
        ],
        "general_feedback": "The king had Antonescu arrested.",
    }
    made = call(client, "POST", f"/banks/{lesson['slug']}/questions", token, json=body)
    assert made.status_code == 201, made.get_data(as_text=True)
    question = made.get_json()
    assert question["data"]["choices"][0]["text"] == "King Michael" and question["origin"] == "api"
    again = call(client, "POST", f"/banks/{lesson['slug']}/questions", token, json=body)
    assert again.status_code == 422 and "already has this very question" in again.text
    bad = call(
        client,
        "POST",
        f"/banks/{lesson['slug']}/questions",
        token,
        json=body | {"choices": [{"text": "only one", "correct": False}]},
    )
    assert bad.status_code == 422 and bad.get_json()["errors"]["problems"]
    changed = call(
        client,
        "PUT",
        f"/questions/{question['id']}",
        token,
        json=body | {"stem": "Who had Antonescu arrested?"},
    )
    assert (
        changed.status_code == 200 and changed.get_json()["stem"] == "Who had Antonescu arrested?"
    )
    retired = call(client, "POST", f"/questions/{question['id']}/retire", token).get_json()
    assert retired["retired"] is True
    listed = call(client, "GET", f"/banks/{lesson['slug']}/questions", token).get_json()
    assert listed["items"] == []
    site = call(client, "POST", "/banks/romania-ww2/questions", token, json=body)
    assert site.status_code == 403
