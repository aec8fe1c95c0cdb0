"""A learner's history lists their assignments (due dates, states, grades by the grading
method); a teacher's view of a learner lists the assignments of the classes that teacher
teaches; and only the teachers of a class the learner is in read their history and attempts.
"""

from __future__ import annotations

import datetime as dt

import pytest

from quizapp.extensions import db
from quizapp.models import Assignment, AssignmentOverride, Attempt, Bank, SchoolClass, User, utcnow
from quizapp.services import attempts, classes, history
from quizapp.services.permissions import NotFound
from tests.conftest import log_in, make_class, make_user
from tests.quiz_helpers import frozen, right_answer_form, start

DAY = dt.timedelta(days=1)


def _user(name: str) -> User:
    return db.session.scalar(db.select(User).where(User.name == name))


def _assignment(class_id: int, title: str, method: str = "highest", **times) -> int:
    bank = db.session.scalar(db.select(Bank))
    assignment = Assignment(
        class_id=class_id,
        bank_id=bank.id,
        title=title,
        language="en",
        types=["mcq"],
        question_count=5,
        grading_method=method,
        attempts_allowed=None,
        **times,
    )
    db.session.add(assignment)
    db.session.flush()
    return assignment.id


def _finished(user_id: int, assignment_id: int, score: float, minutes_ago: int) -> None:
    finished = utcnow() - dt.timedelta(minutes=minutes_ago)
    db.session.add(
        Attempt(
            user_id=user_id,
            bank_id=db.session.scalar(db.select(Bank.id)),
            language="en",
            assignment_id=assignment_id,
            started_at=finished - dt.timedelta(minutes=5),
            finished_at=finished,
            score=score,
            max_score=10.0,
        )
    )


@pytest.fixture
def school(app):
    """ana is a learner in three classes: "3B" (profe, with cotea), "Otra" (otra) and "Old"
    (profe, archived). bea is in "Otra" only. jefa is an admin teaching nothing."""
    ids = {
        "profe": make_user(app, "profe", "teacher"),
        "cotea": make_user(app, "cotea", "teacher"),
        "otra": make_user(app, "otra", "teacher"),
        "jefa": make_user(app, "jefa", "admin"),
        "ana": make_user(app, "ana"),
        "bea": make_user(app, "bea"),
    }
    ids["3B"] = make_class(app, "profe", "ana", name="3B")
    ids["Otra"] = make_class(app, "otra", "ana", "bea", name="Otra")
    ids["Old"] = make_class(app, "profe", "ana", name="Old")
    now = utcnow()
    with app.app_context():
        profe = _user("profe")
        classes.add_teacher(profe, db.session.get(SchoolClass, ids["3B"]), "cotea")
        done = _assignment(ids["3B"], "Semana 1", "last", closes_at=now + 2 * DAY)
        _finished(ids["ana"], done, 4.0, 60)
        _finished(ids["ana"], done, 8.0, 30)
        _finished(ids["ana"], done, 6.0, 90)  # finished first: "last" is the 80%
        todo = _assignment(ids["3B"], "Semana 2", closes_at=now + 5 * DAY)
        db.session.add(
            AssignmentOverride(assignment_id=todo, user_id=ids["ana"], closes_at=now + 9 * DAY)
        )
        _assignment(ids["3B"], "Semana 0", closes_at=now - DAY)  # missed
        _assignment(ids["Otra"], "Otra tarea")
        _assignment(ids["Old"], "Archivada", closes_at=now - 30 * DAY)
        classes.set_archived(profe, db.session.get(SchoolClass, ids["Old"]), True)
        db.session.commit()
        ids["todo_close"] = now + 9 * DAY
    return ids


def test_the_learners_own_history_lists_their_assignments(app, school):
    with app.app_context():
        ana = _user("ana")
        rows = history.assignment_standings(ana, ana)
        assert [(r.title, r.class_name, r.state) for r in rows] == [
            ("Semana 2", "3B", "to_do"),
            ("Otra tarea", "Otra", "to_do"),
            ("Semana 1", "3B", "done"),
            ("Semana 0", "3B", "missed"),
        ]
        assert rows[0].closes_at == school["todo_close"]  # her override's close
        assert rows[2].grade == pytest.approx(80.0) and rows[2].finished == 3
        assert rows[0].grade is None and rows[1].closes_at is None
    page = log_in(app.test_client(), "ana").get("/history").get_data(as_text=True)
    section = page.split('<section id="assignments"', 1)[1].split("</section>", 1)[0]
    assert '<h2 id="assignments-title">Assignments</h2>' in section
    assert 'class="table-scroll" role="region"' in section
    assert "Semana 1" in section and "80%" in section and "Last attempt" in section
    assert "Archivada" not in section  # an archived class leaves its learners' lists
    assert "no due date" in section and "to do" in section and "missed" in section
    iso = school["todo_close"].isoformat(timespec="seconds") + "Z"
    assert f'<time datetime="{iso}">' in section
    # Above the attempts list.
    assert page.index('id="assignments"') < page.index("<h2>Attempts</h2>")


def test_a_teachers_view_lists_the_assignments_of_the_classes_they_teach(app, school):
    with app.app_context():
        ana = _user("ana")
        for teacher in ("profe", "cotea"):
            titles = [r.title for r in history.assignment_standings(_user(teacher), ana)]
            # Missed ones soonest due first: the archived class's closed a month ago.
            archived = ["Archivada"] if teacher == "profe" else []
            assert titles == ["Semana 2", "Semana 1", *archived, "Semana 0"]
        assert [r.title for r in history.assignment_standings(_user("otra"), ana)] == ["Otra tarea"]
    page = log_in(app.test_client(), "profe").get(f"/history/{school['ana']}").text
    section = page.split('<section id="assignments"', 1)[1].split("</section>", 1)[0]
    assert "History of ana" in page and "The assignments of the classes you teach" in section
    assert "Otra tarea" not in section and "Archivada" in section and "(archived)" in section
    assert "3 attempts" in section and "80%" in section


def test_only_teachers_of_a_class_of_the_learner_read_their_history(app, school, client):
    """Teachers of ana's classes (owner, co-teacher; an archived class counts) read her
    history and her attempts; a teacher of other classes, an admin teaching none of hers and
    another learner get 404, as for a user that does not exist."""
    ana_client = log_in(app.test_client(), "ana")
    attempt_id = start(ana_client, count=5, types=["short"])
    for position, question in frozen(app, attempt_id).items():
        ana_client.post(f"/attempts/{attempt_id}/q/{position}", data=right_answer_form(question))
    ana_client.post(f"/attempts/{attempt_id}/finish")
    with app.app_context():
        bea_class = db.session.get(SchoolClass, school["Otra"])
        classes.leave_class(_user("ana"), bea_class)  # otra now teaches bea only
        db.session.commit()
    urls = [f"/history/{school['ana']}", f"/attempts/{attempt_id}"]
    for name, status in [
        ("profe", 200),
        ("cotea", 200),
        ("otra", 404),
        ("jefa", 404),
        ("bea", 404),
        ("ana", 200),
    ]:
        reader = log_in(app.test_client(), name)
        assert [reader.get(url).status_code for url in urls] == [status] * 2, name
    with app.app_context():
        assert attempts.attempt_for(_user("otra"), attempt_id) is None
        assert attempts.attempt_for(_user("profe"), attempt_id, write=True) is None
        assert attempts.linked_evidence(_user("jefa"), attempt_id, 1) is None
        assert attempts.linked_evidence(_user("cotea"), attempt_id, 1) is not None
        with pytest.raises(NotFound):
            history.learner_for(_user("otra"), school["ana"])
        with pytest.raises(NotFound):
            history.learner_for(_user("profe"), 99999)
    # The source page opened from the review marks the evidence only for readers.
    with app.app_context():
        source = frozen(app, attempt_id)[1]["source"]
    url = f"/sources/{source['document']}?attempt={attempt_id}&q=1"
    assert "<mark>" in log_in(app.test_client(), "cotea").get(url).text
    assert "<mark>" not in log_in(app.test_client(), "otra").get(url).text
    # An admin is a teacher like any other: once teaching a class ana joins, she reads.
    make_class(app, "jefa", "ana", name="Jefa's")
    assert log_in(app.test_client(), "jefa").get(urls[0]).status_code == 200
    # A learner removed from the classes of a teacher is no longer theirs to read: profe
    # teaches 3B and the archived Old; once ana leaves both, profe gets 404.
    with app.app_context():
        for key in ("3B", "Old"):
            classes.remove_learner(
                _user("profe"), db.session.get(SchoolClass, school[key]), school["ana"]
            )
        db.session.commit()
    assert log_in(app.test_client(), "profe").get(urls[1]).status_code == 404
    assert client.get(urls[0]).status_code == 302  # anonymous: to the login page


def test_teaches_learner_is_one_exists_query(app, school):
    with app.app_context():
        assert classes.teaches_learner(_user("profe"), school["ana"])
        assert classes.teaches_learner(_user("otra"), school["bea"])
        assert not classes.teaches_learner(_user("profe"), school["bea"])
        assert not classes.teaches_learner(_user("jefa"), school["ana"])
        # A learner is no teacher of her classmates, whatever her classes.
        assert not classes.teaches_learner(_user("ana"), school["bea"])
        # A co-teacher demoted to student loses the right at once.
        _user("cotea").role = "student"
        assert not classes.teaches_learner(_user("cotea"), school["ana"])
