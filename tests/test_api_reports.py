"""The JSON API's further teacher reports on the worked example (tests/report_example.py): what
the class misses, the item analysis and the gradebook give the services' figures, carry an
ETag, page their long lists, and refuse learners (403) and other teachers (404) as the pages
do. (A file of its own: tests/test_api.py is near the size limit.)"""

from __future__ import annotations

import pytest

from quizapp.extensions import db
from quizapp.models import SchoolClass
from quizapp.services import gradebook, item_statistics, missed_facts
from tests.api_helpers import call, make_token
from tests.report_example import TYPED_WRONG, build_example, user


@pytest.fixture
def example(app):
    return build_example(app)


@pytest.fixture
def tokens(app, example):
    return {name: make_token(app, name) for name in ("profe", "coprofe", "otra", "ana")}


def test_what_the_class_misses_is_the_services(app, client, example, tokens):
    path = f"/assignments/{example.assignment_id}/misses"
    for which in ("first", "all"):
        got = call(client, "GET", f"{path}?attempts={which}", tokens["profe"])
        assert got.status_code == 200 and got.headers["ETag"]
        body = got.get_json()
        with app.app_context():
            found = missed_facts.class_misses(
                user("profe", example.ids), example.assignment_id, which
            )
            expected = [
                (f.fact_key, f.asked, f.missed, pytest.approx(f.share), f.topic)
                for f in found.facts
            ]
            typed = {
                f.fact_key: [(t.text, t.responses, t.right) for t in f.typed] for f in found.facts
            }
            topics = [(t.topic, t.asked, t.missed) for t in found.topics]
        assert body["attempts"] == which and body["learners"] == found.learners
        assert [
            (f["fact_key"], f["asked"], f["missed"], f["share"], f["topic"]) for f in body["facts"]
        ] == expected
        assert {
            f["fact_key"]: [(t["text"], t["responses"], t["right"]) for t in f["typed"]]
            for f in body["facts"]
        } == typed
        assert [(t["topic"], t["asked"], t["missed"]) for t in body["topics"]] == topics
    # The typed question's wrong answer and its accepted answers (a teacher may see them).
    question = example.questions[example.typed_position]
    fact = next(f for f in body["facts"] if f["fact_key"] == question["fact_id"])
    assert (TYPED_WRONG, 3, 0) in [(t["text"], t["responses"], t["right"]) for t in fact["typed"]]
    assert fact["stem"] == question["stem"] and fact["accepted"]
    assert fact["source"]["passage_text"] == question["source"]["passage_text"]
    again = call(
        client,
        "GET",
        f"{path}?attempts=all",
        tokens["coprofe"],
        headers={"If-None-Match": got.headers["ETag"]},
    )
    assert again.status_code == 304
    wrong = call(client, "GET", f"{path}?attempts=some", tokens["profe"])
    assert wrong.status_code == 422 and wrong.mimetype == "application/problem+json"


def test_the_item_analysis_is_the_services_a_page_of_items_at_a_time(app, client, example, tokens):
    path = f"/assignments/{example.assignment_id}/item-analysis"
    first = call(client, "GET", f"{path}?per_page=4", tokens["profe"])
    assert (
        first.status_code == 200 and first.headers["ETag"] and 'rel="next"' in first.headers["Link"]
    )
    body = first.get_json()
    second = call(client, "GET", f"{path}?per_page=4&page=2", tokens["profe"]).get_json()
    with app.app_context():
        found = item_statistics.item_analysis(user("profe", example.ids), example.assignment_id)
    overall = found.overall
    assert body["by"] == "position" and body["overall"]["attempts"] == 5
    for name in (
        "mean",
        "median",
        "sd",
        "skewness",
        "kurtosis",
        "alpha",
        "error_ratio",
        "standard_error",
    ):
        assert body["overall"][name] == pytest.approx(getattr(overall, name)), name
    items = body["items"]["items"] + second["items"]["items"]
    assert body["items"]["total"] == 6 and [item["key"] for item in items] == list("123456")
    for item, row in zip(items, found.items, strict=True):
        stats = row.stats
        assert item["label"] == row.label and item["question_type"] == row.question_type
        for name in ("facility", "sd", "random_guess", "discrimination", "efficiency"):
            assert item[name] == pytest.approx(getattr(stats, name)), name
        assert item["flags"] == list(stats.flags)
        assert [(o["picks"], o["is_key"]) for o in item["options"]] == [
            (o.count, o.key) for o in row.options
        ]
        question = example.questions[int(item["key"])]
        if question["type"] == "mcq":
            keys = [o["text"] for o in item["options"] if o["is_key"]]
            assert keys == [question["key"]]
    everyone = call(client, "GET", f"{path}?attempts=all", tokens["profe"]).get_json()
    assert everyone["overall"]["attempts"] == 6


def test_the_gradebook_is_the_services_a_page_of_learners_at_a_time(app, client, example, tokens):
    path = f"/classes/{example.ids['class']}/gradebook"
    body = call(client, "GET", f"{path}?per_page=5", tokens["profe"]).get_json()
    rest = call(client, "GET", f"{path}?per_page=5&page=2", tokens["profe"]).get_json()
    with app.app_context():
        teacher = user("profe", example.ids)
        book = gradebook.gradebook_page(
            teacher, db.session.get(SchoolClass, example.ids["class"]), 1, 10
        )
    assert [c["assignment_id"] for c in body["columns"]] == [example.assignment_id]
    assert body["columns"][0]["mean"] == pytest.approx(book.columns[0].mean)
    assert body["columns"][0]["graded"] == book.columns[0].graded == 5
    assert body["learners"]["total"] == 7 and body["learners"]["pages"] == 2
    rows = body["learners"]["items"] + rest["learners"]["items"]
    assert [(r["user_id"], r["name"]) for r in rows] == [(r.user_id, r.name) for r in book.rows]
    assert [r["grades"] for r in rows] == [
        [None if g is None else pytest.approx(g) for g in r.grades] for r in book.rows
    ]
    assert None in [r["grades"][0] for r in rows]  # fay and gus have no grade


@pytest.mark.parametrize(
    "path",
    ["/assignments/{a}/misses", "/assignments/{a}/item-analysis", "/classes/{c}/gradebook"],
)
def test_a_learner_is_refused_and_another_teacher_told_nothing(client, example, tokens, path):
    url = path.format(a=example.assignment_id, c=example.ids["class"])
    assert call(client, "GET", url, tokens["ana"]).status_code == 403
    outsider = call(client, "GET", url, tokens["otra"])
    assert outsider.status_code == 404 and outsider.mimetype == "application/problem+json"
    assert call(client, "GET", url, tokens["coprofe"]).status_code == 200
