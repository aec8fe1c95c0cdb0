"""View tests: history pages, the chart, pagination, who may see whose history (the teachers
of a class the learner is in: see also test_history_assignments.py)."""

from __future__ import annotations

import re

from tests.conftest import log_in, make_user
from tests.quiz_helpers import frozen, right_answer_form, start, wrong_answer_form


def _finish_quiz(app, client, right: int, count: int = 5) -> int:
    attempt_id = start(client, count=count, types=["short"])
    for position, question in frozen(app, attempt_id).items():
        form = right_answer_form(question) if position <= right else wrong_answer_form(question)
        client.post(f"/attempts/{attempt_id}/q/{position}", data=form)
    client.post(f"/attempts/{attempt_id}/finish")
    return attempt_id


def test_history_shows_best_average_and_a_chart(app, student_client):
    _finish_quiz(app, student_client, right=5)
    _finish_quiz(app, student_client, right=2)
    page = student_client.get("/history").get_data(as_text=True)
    assert "Your history" in page
    row = '<span class="quiz-language">English</span></th><td>2</td><td>100%</td><td>70%</td>'
    assert row in page
    assert page.count("<circle") == 3 and "<polyline" in page  # two attempts, one legend key
    assert "Score of each finished attempt, oldest to newest" in page
    # The data table behind the chart lists both attempts, for screen readers and on demand.
    table = page.split('<details class="chart-data">', 1)[1].split("</details>", 1)[0]
    assert table.count("<tr>") == 3 and "100%" in table and "40%" in table
    assert '<th scope="col"></th>' not in page  # no empty header


def test_same_day_attempts_each_get_a_marker_and_one_date_label(app, student_client):
    for right in (1, 3, 5):
        _finish_quiz(app, student_client, right=right)
    page = student_client.get("/history").get_data(as_text=True)
    svg = page.split("<svg", 1)[1].split("</svg>", 1)[0]
    xs = re.findall(r'<circle class="marker series-0" cx="([\d.]+)"', svg)
    assert len(set(xs)) == 3
    labels = re.findall(r'<text class="tick"[^>]*>([^<]+)</text>', svg)
    dates = [label for label in labels if not label.endswith("%")]
    assert len(dates) == 1


def test_history_is_filtered_by_bank_and_language(app, student_client):
    _finish_quiz(app, student_client, right=5)
    es_attempt = start(student_client, language="es", count=5, types=["short"])
    student_client.post(f"/attempts/{es_attempt}/finish")
    page = student_client.get("/history").get_data(as_text=True)
    assert "(English)" in page and "(Spanish)" in page  # one series per bank and language
    assert '<option value="es">Spanish</option>' in page
    spanish = student_client.get("/history?language=es").get_data(as_text=True)
    assert f"/attempts/{es_attempt}" in spanish
    assert "(English)</span>" not in spanish and '<option value="es" selected>' in spanish
    assert "Show all" in spanish
    # Filters that match nothing the learner has, or are not valid, mean "all".
    assert student_client.get("/history?language=xx&bank=abc").status_code == 200
    assert "(English)</span>" in student_client.get("/history?bank=999").get_data(as_text=True)


def test_history_is_paginated_newest_first(app, student_client):
    ids = [_finish_quiz(app, student_client, right=1) for _ in range(12)]
    first = student_client.get("/history").get_data(as_text=True)
    first = first.split("<h2>Attempts</h2>", 1)[1]  # the chart's data table lists them all
    assert f"/attempts/{ids[-1]}" in first and f'/attempts/{ids[0]}"' not in first
    assert "Page 1 of 2" in first
    second = student_client.get("/history?page=2").get_data(as_text=True)
    assert f"/attempts/{ids[0]}" in second


def test_an_empty_history_invites_a_quiz(student_client):
    page = student_client.get("/history").get_data(as_text=True)
    assert "No attempts yet." in page and "<svg" not in page


def test_a_student_cannot_see_another_learners_history(app, student_client, student):
    other_id = make_user(app, "boris")
    assert student_client.get(f"/history/{other_id}").status_code == 404
    assert student_client.get(f"/history/{student}").status_code == 200
    # The former class view (every learner) is gone: "/class" leads to one's own classes.
    assert student_client.get("/class").headers["Location"].endswith("/classes")
    assert "ana" not in student_client.get("/classes").get_data(as_text=True).split("<main")[1]


def test_a_teacher_sees_the_class_and_its_learners_history(
    app, student_client, student, teacher_client
):
    attempt_id = _finish_quiz(app, student_client, right=3)
    class_page = teacher_client.post("/classes/new", data={"name": "3B"}).headers["Location"]
    code = re.search(r'<code class="nowrap">([^<]+)</code>', teacher_client.get(class_page).text)
    assert student_client.post("/join", data={"code": code.group(1)}).status_code == 302
    page = teacher_client.get(class_page).get_data(as_text=True)
    assert "ana" in page and "60%" in page
    history = teacher_client.get(f"/history/{student}").get_data(as_text=True)
    assert "History of ana" in history and f"/attempts/{attempt_id}" in history
    review = teacher_client.get(f"/attempts/{attempt_id}").get_data(as_text=True)
    assert "Learner: ana" in review and "3 / 5" in review
    # Teachers read; they cannot answer for the learner.
    assert teacher_client.post(f"/attempts/{attempt_id}/q/1", data={}).status_code == 404
    assert teacher_client.get("/history/9999").status_code == 404


def test_the_review_is_reachable_later_from_history(app, student_client):
    attempt_id = _finish_quiz(app, student_client, right=4)
    log_in(app.test_client(), "ana")
    review = student_client.get(f"/attempts/{attempt_id}").get_data(as_text=True)
    assert "4 / 5" in review and "80%" in review
    assert review.count("Right answer") == 5 and review.count("<mark>") == 5
