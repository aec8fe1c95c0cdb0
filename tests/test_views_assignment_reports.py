"""The report pages in the browser, with CSRF on: the report (histogram and its table, grades
with links to the attempts' reviews, the regrade log), what the class misses (passages with
the evidence marked, typed answers, "mark right" and its regrade), the item analysis, the
links from the assignment's page, Spanish, and who may see them."""

from __future__ import annotations

import html
import re

import pytest

from quizapp.core.values import normalise
from quizapp.extensions import db
from quizapp.models import RegradeLog, Response, User
from quizapp.services import item_statistics
from tests.conftest import PASSWORD, csrf_token
from tests.report_example import LEARNERS, TYPED_WRONG, Example, build_example

pytestmark = pytest.mark.settings(WTF_CSRF_ENABLED=True)


@pytest.fixture
def example(app) -> Example:
    """The worked example of tests/report_example.py."""
    return build_example(app)


def _log_in(app, name: str):
    """A client logged in through the login form, with its CSRF token."""
    client = app.test_client()
    token = csrf_token(client.get("/login").get_data(as_text=True))
    response = client.post("/login", data={"name": name, "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 302
    return client


def _text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def _base(example: Example) -> str:
    return f"/assignments/{example.assignment_id}/report"


def test_the_assignment_page_links_to_the_reports(app, example):
    client = _log_in(app, "profe")
    page = _text(client.get(f"/assignments/{example.assignment_id}"))
    base = _base(example)
    for path in (base, f"{base}/misses", f"{base}/items"):
        assert f'href="{path}"' in page


def test_the_report_page_shows_the_histogram_its_table_and_the_grades(app, example):
    client = _log_in(app, "profe")
    response = client.get(_base(example))
    assert response.status_code == 200
    page = _text(response)
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in page and 'role="img"' in page
    assert page.count('class="bar marker series-0"') == 3  # three bands hold grades
    assert "The histogram's data as a table" in page
    assert "90% to 100%" in page and "60% to under 70%" in page
    assert "Highest grade" in page
    for name in [*LEARNERS, "fay", "gus"]:
        assert f'<th scope="row">{name}</th>' in page
    assert f'href="/attempts/{example.first_attempts["ana"]}"' in page
    assert f'href="/attempts/{example.second_attempt}"' in page  # eva's best
    assert "Not started" in page and "In progress" in page
    assert "Mean" in page and "Median" in page and "Standard deviation" in page
    finished = _text(client.get(_base(example) + "?status=finished"))
    assert '<th scope="row">fay</th>' not in finished
    assert client.get(_base(example) + "?page=2").status_code == 404
    assert client.get(_base(example) + "?page=0").status_code == 404


def test_what_the_class_misses_shows_passages_and_typed_answers(app, example):
    client = _log_in(app, "profe")
    page = _text(client.get(_base(example) + "/misses"))
    question = example.questions[example.typed_position]
    assert "3 of 5 learners got it wrong (60%)." in page
    assert '<figure class="source">' in page and "<mark>" in page  # the evidence highlighted
    assert question["source"]["passage_text"][:40] in page
    assert "Answers typed most often" in page
    assert f'<th scope="row">{TYPED_WRONG}</th>' in page
    assert "This bank is kept in files" in page  # the answer goes to the assignment only
    assert page.count('name="csrf_token"') >= 1
    every = _text(client.get(_base(example) + "/misses?attempts=all"))
    assert '<option value="all" selected>' in every


def test_marking_a_typed_answer_right_needs_the_csrf_token_and_regrades(app, example):
    client = _log_in(app, "profe")
    page = client.get(_base(example) + "/misses").get_data(as_text=True)
    token = csrf_token(page)
    key = example.questions[example.typed_position]["fact_id"]
    data = {"fact_key": key, "answer": normalise(TYPED_WRONG)}
    learner = next(n for n in LEARNERS if not example.marks[n][example.typed_position])
    review_path = f"/attempts/{example.first_attempts[learner]}"
    right_before = _text(client.get(review_path)).count('class="verdict right"')
    refused = client.post(_base(example) + "/accept", data=data)
    assert refused.status_code == 400
    with app.app_context():
        assert not db.session.scalars(db.select(RegradeLog)).all()
    response = client.post(_base(example) + "/accept", data={**data, "csrf_token": token})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(_base(example) + "/misses")
    after = _text(client.get(response.headers["Location"]))
    assert f"“{TYPED_WRONG}” is marked right." in after
    assert "3 answers regraded in 3 attempts." in after
    with app.app_context():
        assert (
            db.session.scalar(
                db.select(db.func.count(Response.id)).where(
                    Response.normalised == normalise(TYPED_WRONG), Response.correct.is_(True)
                )
            )
            == 3
        )
    report = _text(client.get(_base(example)))
    assert "this assignment only" in report and f'<th scope="row">{TYPED_WRONG}</th>' in report
    # The learner's review (read by the teacher) shows the answer right now.
    review = _text(client.get(review_path))
    assert review.count('class="verdict right"') == right_before + 1
    again = client.post(_base(example) + "/accept", data={**data, "csrf_token": token})
    assert "was accepted already: nothing changed." in _text(client.get(again.headers["Location"]))


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"fact_key": "x" * 500, "answer": "a"},
        {"fact_key": "k", "answer": "x" * 5000},
        {"fact_key": "k", "answer": "a\x00b"},
    ],
)
def test_a_bad_mark_right_form_is_a_400(app, example, data):
    client = _log_in(app, "profe")
    token = csrf_token(client.get(_base(example) + "/misses").get_data(as_text=True))
    response = client.post(_base(example) + "/accept", data={**data, "csrf_token": token})
    assert response.status_code == 400


def test_an_answer_that_cannot_be_accepted_is_refused_with_the_reason(app, example):
    client = _log_in(app, "profe")
    token = csrf_token(client.get(_base(example) + "/misses").get_data(as_text=True))
    data = {"fact_key": "q:7", "answer": "anything", "csrf_token": token}
    response = client.post(_base(example) + "/accept", data=data)
    assert response.status_code == 302
    assert "hand-written question" in _text(client.get(response.headers["Location"]))


def test_the_item_analysis_page(app, example):
    client = _log_in(app, "coprofe")
    page = _text(client.get(_base(example) + "/items"))
    assert "Every learner got the same questions" in page
    for label in (
        "Facility index",
        "Discrimination index",
        "Discriminative efficiency",
        "Random guess score",
        "Coefficient of internal consistency (Cronbach's alpha)",
        "Error ratio",
        "Standard error",
        "Skewness",
        "Kurtosis",
    ):
        assert label in page
    assert "Options picked" in page and "right answer" in page
    for position, question in example.questions.items():
        assert question["stem"][:60] in page  # the table shortens long ones
        if question["type"] == "mcq":
            assert f'id="options-{position}"' in page
    with app.app_context():
        analysis = item_statistics.item_analysis(
            db.session.get(User, example.ids["profe"]), example.assignment_id
        )
    names = {
        "low_efficiency": "discriminates poorly",
        "too_hard": "too hard",
        "too_easy": "too easy",
    }
    flagged = [(row, flag) for row in analysis.items for flag in row.stats.flags]
    assert flagged  # the example has questions worth a look
    for _row, flag in flagged:
        assert f'<span aria-hidden="true">⚑</span> {names[flag]}' in page
    every = _text(client.get(_base(example) + "/items?attempts=all&attempts=x"))
    assert "<dt>Attempts</dt><dd>6</dd>" in every


def test_learners_get_403_and_outsiders_404(app, example):
    base = _base(example)
    for name, status in (("ana", 403), ("otra", 404), ("fay", 403)):
        client = _log_in(app, name)
        for path in (base, f"{base}/misses", f"{base}/items"):
            assert client.get(path).status_code == status, (name, path)
    assert app.test_client().get(base).status_code == 302  # to the login page


def test_the_reports_in_spanish(app, example):
    with app.app_context():
        db.session.get(User, example.ids["profe"]).locale = "es"
        db.session.commit()
    client = _log_in(app, "profe")
    report = _text(client.get(_base(example)))
    assert "Quién ha respondido" in report and "Media" in report and "Mediana" in report
    misses = _text(client.get(_base(example) + "/misses"))
    assert "Lo que falla la clase" in misses and "Respuestas escritas más a menudo" in misses
    items = _text(client.get(_base(example) + "/items"))
    assert "Índice de facilidad" in items and "Eficiencia discriminativa" in items
    assert re.search(r"\d+,\d\s%", items)  # decimals in Spanish
