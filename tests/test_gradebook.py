"""The gradebook: grades by each grading method computed in SQL, checked against the pure
`core.grading` on a worked example; the page; the CSV downloads (escaping, accents, quoting,
the answers file's columns) and who may read them.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import statistics

import pytest

from quizapp.core.grading import GRADING_METHODS, GradedAttempt, final_grade
from quizapp.core.spreadsheet_csv import BOM, cell, csv_chunks, given_text, neutralise
from quizapp.extensions import db
from quizapp.models import (
    Assignment,
    Attempt,
    AttemptItem,
    Bank,
    Response,
    SchoolClass,
    User,
)
from quizapp.services import classes, gradebook
from tests.conftest import log_in, make_user

T0 = dt.datetime(2026, 3, 2, 9, 0, 0)
MINUTE = dt.timedelta(minutes=1)

# The worked example: per learner, attempts in the order they were made (so ids increase
# down each list) as (score, max score, minutes after T0 it finished, or None if open). Start
# order and finish order differ for ana; two of bea's attempts finish at the same moment (the
# later id is the "last"); one has a maximum of 0 (a grade of 0%); carla has only an open
# attempt and dani none at all.
EXAMPLE = {
    "ana": [(3, 10, 50), (8, 10, 10), (6, 12, 30), (10, 10, None)],
    "bea": [(2, 4, 20), (4, 4, 20), (0, 0, 5)],
    "carla": [(9, 10, None)],
    "dani": [],
}


def _expected(method: str, attempts: list[tuple[float, float, int | None]], ids: list[int]):
    """The grade by `core.grading` (the reference) for one learner's attempts."""
    graded = [
        GradedAttempt(100.0 * score / top if top else 0.0, T0 + minutes * MINUTE, attempt_id)
        for (score, top, minutes), attempt_id in zip(attempts, ids, strict=True)
        if minutes is not None
    ]
    return final_grade(method, graded)


@pytest.fixture
def book(app):
    """A class taught by "profe" (with "cotea" as co-teacher), the example's learners, one
    assignment per grading method each holding the example's attempts, plus noise that must
    not count (an attempt outside assignments, one at another class's assignment).

    Returns {"ids": user ids by name, "class": id, "assignments": {method: id},
    "attempts": {(name, method): [ids]}}."""
    names = ["profe", "cotea", "otra", *EXAMPLE]
    ids = {
        name: make_user(app, name, "teacher" if name in ("profe", "cotea", "otra") else "student")
        for name in names
    }
    with app.app_context():
        profe = db.session.get(User, ids["profe"])
        school_class = classes.create_class(profe, "Historia 3º B")
        classes.add_teacher(profe, school_class, "cotea")
        for name in EXAMPLE:
            classes.join_class(db.session.get(User, ids[name]), school_class.join_code)
        other = classes.create_class(db.session.get(User, ids["otra"]), "Otra clase")
        classes.join_class(db.session.get(User, ids["ana"]), other.join_code)
        bank = db.session.scalar(db.select(Bank))
        made = {}
        for number, method in enumerate(GRADING_METHODS):
            assignment = _assignment(school_class.id, bank.id, f"Semana {number + 1}", method)
            assignment.created_at = T0 + number * MINUTE
            made[method] = assignment
        elsewhere = _assignment(other.id, bank.id, "Elsewhere", "highest")
        db.session.flush()
        attempts: dict[tuple[str, str], list[int]] = {}
        for method, assignment in made.items():
            for name, rows in EXAMPLE.items():
                attempts[(name, method)] = [
                    _attempt(ids[name], bank.id, assignment.id, *row).id for row in rows
                ]
        # Noise: ana's perfect attempts outside this class's assignments.
        _attempt(ids["ana"], bank.id, None, 10, 10, 1)
        _attempt(ids["ana"], bank.id, elsewhere.id, 10, 10, 1)
        db.session.commit()
        return {
            "ids": ids,
            "class": school_class.id,
            "other_class": other.id,
            "assignments": {method: a.id for method, a in made.items()},
            "attempts": attempts,
        }


def _assignment(class_id: int, bank_id: int, title: str, method: str) -> Assignment:
    assignment = Assignment(
        class_id=class_id,
        bank_id=bank_id,
        title=title,
        language="en",
        types=["mcq"],
        question_count=5,
        grading_method=method,
        attempts_allowed=None,
    )
    db.session.add(assignment)
    db.session.flush()
    return assignment


def _attempt(user_id, bank_id, assignment_id, score, top, minutes) -> Attempt:
    finished = None if minutes is None else T0 + minutes * MINUTE
    attempt = Attempt(
        user_id=user_id,
        bank_id=bank_id,
        language="en",
        assignment_id=assignment_id,
        started_at=T0 - dt.timedelta(hours=1),
        finished_at=finished,
        score=float(score),
        max_score=float(top),
    )
    db.session.add(attempt)
    db.session.flush()
    return attempt


def _user(name: str) -> User:
    return db.session.scalar(db.select(User).where(User.name == name))


def test_grades_by_each_method_match_the_core_reference(app, book):
    with app.app_context():
        school_class = db.session.get(SchoolClass, book["class"])
        page = gradebook.gradebook_page(_user("profe"), school_class, 1)
        assert [c.grading_method for c in page.columns] == list(GRADING_METHODS)
        assert [row.name for row in page.rows] == ["ana", "bea", "carla", "dani"]
        for row in page.rows:
            for column, grade in zip(page.columns, row.grades, strict=True):
                method = column.grading_method
                want = _expected(method, EXAMPLE[row.name], book["attempts"][(row.name, method)])
                assert grade == pytest.approx(want) if want is not None else grade is None, (
                    row.name,
                    method,
                    grade,
                    want,
                )
        grades = {
            row.name: dict(zip(GRADING_METHODS, row.grades, strict=True)) for row in page.rows
        }
    # The worked example by hand: ana finished 30%, 80%, 50% (in that id order, finishing at
    # 50, 10 and 30 minutes); bea 50% and 100% at the same minute, then 0% (maximum 0).
    assert grades["ana"] == pytest.approx(
        {"highest": 80.0, "average": 160 / 3, "first": 80.0, "last": 30.0}
    )
    assert grades["bea"] == pytest.approx(
        {"highest": 100.0, "average": 50.0, "first": 0.0, "last": 100.0}
    )
    assert set(grades["carla"].values()) == {None} and set(grades["dani"].values()) == {None}


def test_class_means_count_only_learners_with_a_grade(app, book):
    with app.app_context():
        school_class = db.session.get(SchoolClass, book["class"])
        columns = gradebook.columns(_user("cotea"), school_class)
    for column in columns:
        method = column.grading_method
        grades = [
            _expected(method, EXAMPLE[name], book["attempts"][(name, method)])
            for name in ("ana", "bea")
        ]
        assert column.graded == 2
        assert column.mean == pytest.approx(statistics.fmean(grades))


def test_only_the_class_teachers_read_the_gradebook(app, book):
    with app.app_context():
        school_class = db.session.get(SchoolClass, book["class"])
        assignment = db.session.get(Assignment, book["assignments"]["last"])
        for name, error in (("otra", classes.NotFound), ("ana", classes.Forbidden)):
            with pytest.raises(error):
                gradebook.gradebook_page(_user(name), school_class, 1)
            with pytest.raises(error):
                gradebook.gradebook_rows(_user(name), school_class)
            with pytest.raises(error):
                gradebook.answer_rows(_user(name), assignment)


def test_the_gradebook_page_is_paginated_by_learner(app, book, monkeypatch):
    monkeypatch.setattr(gradebook, "LEARNERS_PER_PAGE", 3)
    client = log_in(app.test_client(), "profe")
    url = f"/classes/{book['class']}/gradebook"
    first = client.get(url).get_data(as_text=True)
    assert "Gradebook of Historia 3º B" in first and 'class="table-scroll"' in first
    assert ">ana</a>" in first and ">carla</a>" in first and ">dani</a>" not in first
    # ana's highest is 80%, bea's last 100%; the class mean row and the downloads.
    assert "<td>80%</td>" in first and "<td>100%</td>" in first
    assert "Class mean" in first and "Page 1 of 2" in first
    assert f"/classes/{book['class']}/gradebook.csv" in first
    for assignment_id in book["assignments"].values():
        assert f"/assignments/{assignment_id}/answers.csv" in first
    second = client.get(url + "?page=2").get_data(as_text=True)
    assert ">dani</a>" in second and "no grade yet" in second
    assert client.get(url + "?page=3").status_code == 404
    # The class page leads to it.
    assert f'href="{url}"' in client.get(f"/classes/{book['class']}").get_data(as_text=True)


def _read_csv(response) -> list[list[str]]:
    assert response.status_code == 200
    assert response.is_streamed
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.headers["Content-Disposition"].startswith("attachment; filename=")
    data = response.get_data()
    assert data.startswith(BOM.encode("utf-8"))
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def test_the_gradebook_csv(app, book):
    client = log_in(app.test_client(), "cotea")
    response = client.get(f"/classes/{book['class']}/gradebook.csv")
    assert 'filename="gradebook-historia-3o-b.csv"' in response.headers["Content-Disposition"]
    rows = _read_csv(response)
    assert rows[0] == [
        "Learner",
        "Semana 1 (Highest grade, %)",
        "Semana 2 (Average grade, %)",
        "Semana 3 (First attempt, %)",
        "Semana 4 (Last attempt, %)",
    ]
    assert rows[1] == ["ana", "80", "53.33", "80", "30"]
    assert rows[2] == ["bea", "100", "50", "0", "100"]
    assert rows[3:] == [["carla", "", "", "", ""], ["dani", "", "", "", ""]]


def test_formulas_are_neutralised_and_text_round_trips_in_the_csv(app, book):
    """A learner named like a formula, an assignment titled like one, accents, commas, quotes
    and line breaks: a spreadsheet reads text, and the csv module reads back what was
    written."""
    make_user(app, "-menos")
    tricky = 'Repaso, "¿qué pasó?"\nen 1944'
    with app.app_context():
        school_class = db.session.get(SchoolClass, book["class"])
        classes.join_class(_user("-menos"), school_class.join_code)
        bank = db.session.scalar(db.select(Bank))
        formula = _assignment(book["class"], bank.id, '=HYPERLINK("http://x","y")', "last")
        formula.created_at = T0 + 10 * MINUTE
        quoted = _assignment(book["class"], bank.id, tricky, "first")
        quoted.created_at = T0 + 11 * MINUTE
        db.session.commit()
    rows = _read_csv(
        log_in(app.test_client(), "profe").get(f"/classes/{book['class']}/gradebook.csv")
    )
    assert rows[0][5] == '\'=HYPERLINK("http://x","y") (Last attempt, %)'
    assert rows[0][6] == tricky + " (First attempt, %)"
    assert rows[1][0] == "'-menos" and rows[1][1:] == [""] * 6


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("=1+1", "'=1+1"),
        ("+34 600", "'+34 600"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("a=1", "a=1"),
        (" =1", " =1"),
        ("'=1", "'=1"),
        ("Ștefan", "Ștefan"),
        ("", ""),
    ],
)
def test_formula_neutralisation(text, written):
    assert neutralise(text) == written
    assert cell(text) == written


def test_numbers_stay_numbers_and_answers_read_as_text():
    assert [cell(v) for v in (None, 3, 2.0, -1.5, float("nan"), True)] == [
        "",
        3,
        2,
        -1.5,
        "",
        1,
    ]
    assert given_text(None) == ""
    assert given_text("Ion Antonescu") == "Ion Antonescu"
    assert given_text(["1940", "1941", "1944"]) == "1940; 1941; 1944"
    assert given_text({"Iași": "1941", "Coup": "1944"}) == "Iași → 1941; Coup → 1944"
    assert given_text(1944) == "1944"


def test_csv_chunks_stream_and_round_trip():
    rows = [['é, "x"\n', 1.5, None, "=cmd"], *([["a", 1]] * 5)]
    chunks = list(csv_chunks(iter(rows), rows_per_chunk=2))
    assert len(chunks) == 3 and chunks[0].startswith(BOM)
    assert not any(chunk.startswith(BOM) for chunk in chunks[1:])
    text = "".join(chunks)
    assert text.endswith("\r\n")
    read = list(csv.reader(io.StringIO(text.encode("utf-8").decode("utf-8-sig"), newline="")))
    assert read[0] == ['é, "x"\n', "1.5", "", "'=cmd"]
    assert read[1:] == [["a", "1"]] * 5
    assert list(csv_chunks(iter([]))) == [BOM]


def _answers_example(app, book) -> int:
    """Answers of ana (two attempts) and bea at the "last" assignment; returns its id."""
    assignment_id = book["assignments"]["last"]
    with app.app_context():
        ana_first, ana_second, _a3, _open = (
            db.session.get(Attempt, i) for i in book["attempts"][("ana", "last")]
        )
        bea_first = db.session.get(Attempt, book["attempts"][("bea", "last")][0])
        answered = T0 + 5 * MINUTE
        plans = [
            (ana_second, 2, "Match the events", {"Iași": "1941", "Coup": "1944"}, False, 0.5),
            (ana_second, 1, "=Who led the coup?", "-King Michael", True, 1.0),
            (ana_first, 1, "Order these, from first", ["1940", "1941", "1944"], True, 1.0),
            (bea_first, 1, 'Was Romania, "neutral"?\nTrue or false', "False", False, 0.0),
        ]
        for attempt, position, stem, given, correct, points in plans:
            item = AttemptItem(
                attempt_id=attempt.id,
                position=position,
                question_type="mcq",
                fact_key="f",
                question={"type": "mcq", "stem": stem, "key": "x", "source": {"p": "long"}},
            )
            db.session.add(item)
            db.session.flush()
            db.session.add(
                Response(
                    item_id=item.id,
                    given=given,
                    correct=correct,
                    points=points,
                    seconds_taken=12.5 if position == 1 else None,
                    answered_at=answered,
                )
            )
        # An unanswered question gives no row.
        db.session.add(
            AttemptItem(
                attempt_id=bea_first.id,
                position=2,
                question_type="mcq",
                fact_key="g",
                question={"stem": "Unanswered"},
            )
        )
        db.session.commit()
    return assignment_id


def test_the_answers_csv_lists_every_answer(app, book):
    assignment_id = _answers_example(app, book)
    response = log_in(app.test_client(), "profe").get(f"/assignments/{assignment_id}/answers.csv")
    assert 'filename="answers-semana-4.csv"' in response.headers["Content-Disposition"]
    rows = _read_csv(response)
    assert rows[0] == [
        "Learner",
        "Attempt",
        "Question",
        "Question text",
        "Answer given",
        "Right",
        "Points",
        "Seconds taken",
        "Answered at (UTC)",
    ]
    when = "2026-03-02 09:05:00"
    assert rows[1:] == [
        ["ana", "1", "1", "Order these, from first", "1940; 1941; 1944", "yes", "1", "12.5", when],
        ["ana", "2", "1", "'=Who led the coup?", "'-King Michael", "yes", "1", "12.5", when],
        ["ana", "2", "2", "Match the events", "Iași → 1941; Coup → 1944", "no", "0.5", "", when],
        [
            "bea",
            "1",
            "1",
            'Was Romania, "neutral"?\nTrue or false',
            "False",
            "no",
            "0",
            "12.5",
            when,
        ],
    ]


def test_answers_are_streamed_from_a_batched_query(app, book):
    assignment_id = _answers_example(app, book)
    with app.app_context():
        assignment = db.session.get(Assignment, assignment_id)
        rows = gradebook.answer_rows(_user("profe"), assignment)
        assert iter(rows) is rows  # an iterator, not a list
        first = next(rows)
        assert (first.learner, first.attempt, first.position) == ("ana", 1, 1)
        assert len(list(rows)) == 3
        columns, learners = gradebook.gradebook_rows(
            _user("profe"), db.session.get(SchoolClass, book["class"])
        )
        assert iter(learners) is learners and len(columns) == 4
        assert [row.name for row in learners] == ["ana", "bea", "carla", "dani"]


def test_learners_who_left_the_class_leave_the_gradebook(app, book):
    with app.app_context():
        school_class = db.session.get(SchoolClass, book["class"])
        classes.remove_learner(_user("profe"), school_class, book["ids"]["bea"])
        db.session.commit()
        page = gradebook.gradebook_page(_user("profe"), school_class, 1)
        assert [row.name for row in page.rows] == ["ana", "carla", "dani"]
        assert all(column.graded == 1 for column in page.columns)
