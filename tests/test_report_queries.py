"""The SQL behind the assignment report, the gradebook and the statistics' choice of attempts,
checked against plain Python on a seeded random class (issue 11, the reports at scale).

The queries read attempts in the order of an index and number them with window functions
over that order (`assignment_reports.learner_summaries`, `gradebook.graded_subquery`), find
each learner's first attempt with a keyed NOT EXISTS (`assignment_reports.chosen_attempts`)
and stream the gradebook's learners from one sorted query. Here every learner's figures are
recomputed from the attempts with `core.grading` and sorting in Python: many learners, up
to five attempts each, finish times that tie, open attempts, maximum scores of 0, and
learners who left the class.
"""

from __future__ import annotations

import datetime as dt
import random

import pytest
import sqlalchemy as sa

from quizapp.core.grading import GRADING_METHODS, GradedAttempt, final_grade
from quizapp.database import for_large_report
from quizapp.extensions import db
from quizapp.models import Assignment, Attempt, Bank, ClassMembership, SchoolClass, User
from quizapp.services import assignment_reports, classes, gradebook
from tests.conftest import make_user

T0 = dt.datetime(2026, 5, 4, 9, 0, 0)
LEARNERS = 31
NAMES = ["ana", "Bea", "cai", "Dan", "eva", "Fay", "gus", "hal"]


def _percentage(score: float, top: float) -> float:
    return 100.0 * score / top if top else 0.0


@pytest.fixture
def random_class(app):
    """A class taught by "profe" with LEARNERS learners (names that differ only in case
    among them), one assignment per grading method, and seeded random attempts: per
    learner and assignment 0 to 5 attempts, finish times drawn from a few minutes (so some
    tie), the last one sometimes still open, some maximum scores 0. Three learners then
    leave the class; their attempts stay.

    Returns {"class": id, "assignments": {method: id}, "learners": [current ids],
    "attempts": {assignment id: [(id, user id, score, max, finished_at or None)]}}."""
    rng = random.Random(11)
    teacher = make_user(app, "profe", "teacher")
    with app.app_context():
        profe = db.session.get(User, teacher)
        school_class = classes.create_class(profe, "Random")
        bank = db.session.scalar(db.select(Bank))
        users = []
        for number in range(LEARNERS):
            learner = User(
                name=f"{NAMES[number % len(NAMES)]}{number // len(NAMES)}",
                role="student",
                password_hash="x",
            )
            db.session.add(learner)
            db.session.flush()
            db.session.add(
                ClassMembership(class_id=school_class.id, user_id=learner.id, role="learner")
            )
            users.append(learner.id)
        made, attempts = {}, {}
        for method in GRADING_METHODS:
            assignment = Assignment(
                class_id=school_class.id,
                bank_id=bank.id,
                title=method,
                language="en",
                types=["mcq"],
                question_count=4,
                grading_method=method,
                attempts_allowed=None,
            )
            db.session.add(assignment)
            db.session.flush()
            made[method] = assignment.id
            rows = attempts.setdefault(assignment.id, [])
            for user_id in users:
                count = rng.choice([0, 1, 1, 2, 3, 5])
                for number in range(count):
                    open_one = number == count - 1 and rng.random() < 0.25
                    top = 0.0 if rng.random() < 0.05 else 4.0
                    attempt = Attempt(
                        user_id=user_id,
                        bank_id=bank.id,
                        language="en",
                        assignment_id=assignment.id,
                        started_at=T0,
                        finished_at=None
                        if open_one
                        else T0 + dt.timedelta(minutes=rng.randrange(4)),
                        score=float(rng.randrange(5)) if top else 0.0,
                        max_score=top,
                    )
                    db.session.add(attempt)
                    db.session.flush()
                    rows.append((attempt.id, user_id, attempt.score, top, attempt.finished_at))
        left = users[:3]
        db.session.execute(db.delete(ClassMembership).where(ClassMembership.user_id.in_(left)))
        db.session.commit()
        return {
            "class": school_class.id,
            "teacher": teacher,
            "assignments": made,
            "learners": users[3:],
            "attempts": attempts,
        }


def _reference(method: str, rows) -> dict[int, dict]:
    """Per learner with an attempt: status, counts, open attempt, grade and graded attempt,
    computed in Python (`core.grading` for the grade)."""
    figures: dict[int, dict] = {}
    for user_id in {row[1] for row in rows}:
        mine = [row for row in rows if row[1] == user_id]
        done = sorted((row for row in mine if row[4] is not None), key=lambda r: (r[4], r[0]))
        graded = [GradedAttempt(_percentage(r[2], r[3]), r[4], r[0]) for r in done]
        grade = final_grade(method, graded)
        if not done:
            attempt = None
        elif method == "first":
            attempt = done[0][0]
        elif method == "highest":
            best = max(g.grade for g in graded)
            attempt = next(g.attempt_id for g in graded if g.grade == best)
        else:  # last, and average: the latest finished
            attempt = done[-1][0]
        opened = [row[0] for row in mine if row[4] is None]
        figures[user_id] = {
            "status": "in_progress" if opened else "finished",
            "started": len(mine),
            "finished": len(done),
            "open": max(opened, default=None),
            "grade": grade,
            "graded": attempt,
        }
    return figures


def _order(user_ids):
    """Learners as the report and the gradebook list them: by lower-case name, then id."""
    names = {u.id: u.name for u in db.session.scalars(db.select(User))}
    return sorted(user_ids, key=lambda uid: (names[uid].lower(), uid))


@pytest.mark.parametrize("method", GRADING_METHODS)
def test_the_report_matches_python_for_every_learner(app, random_class, method):
    assignment_id = random_class["assignments"][method]
    current = random_class["learners"]
    with app.app_context():
        teacher = db.session.get(User, random_class["teacher"])
        expected = _reference(method, random_class["attempts"][assignment_id])
        status = {
            uid: expected[uid]["status"] if uid in expected else "not_started" for uid in current
        }
        report = assignment_reports.assignment_report(teacher, assignment_id, per_page=1000)
        assert report.counts == {
            name: sum(1 for uid in current if status[uid] == name)
            for name in assignment_reports.STATUSES
        }
        assert [row.user_id for row in report.learners] == _order(current)
        for row in report.learners:
            want = expected.get(row.user_id)
            assert row.status == status[row.user_id]
            if want is None:
                assert (row.started, row.finished, row.grade, row.graded_attempt_id) == (
                    0,
                    0,
                    None,
                    None,
                )
                continue
            assert (row.started, row.finished) == (want["started"], want["finished"])
            assert row.open_attempt_id == want["open"]
            assert row.graded_attempt_id == want["graded"]
            if want["grade"] is None:
                assert row.grade is None
            else:
                assert row.grade == pytest.approx(want["grade"])
        grades = [expected[uid]["grade"] for uid in current if uid in expected]
        grades = [g for g in grades if g is not None]
        assert report.distribution.count == len(grades)
        assert report.distribution.mean == pytest.approx(sum(grades) / len(grades))
        # Pages and status filters, a seek per learner, list the same learners in order.
        for name in assignment_reports.STATUSES:
            listed, page = [], 1
            while True:
                part = assignment_reports.assignment_report(
                    teacher, assignment_id, status=name, page=page, per_page=4
                )
                if not part.learners:
                    break
                assert part.total == report.counts[name]
                listed += [row.user_id for row in part.learners]
                page += 1
            assert listed == _order([uid for uid in current if status[uid] == name])


def test_the_gradebook_matches_python_and_streams_in_batches(app, random_class, monkeypatch):
    monkeypatch.setattr(gradebook, "STREAM_BATCH", 4)
    current = random_class["learners"]
    with app.app_context():
        teacher = db.session.get(User, random_class["teacher"])
        school_class = db.session.get(SchoolClass, random_class["class"])
        expected = {
            method: _reference(method, random_class["attempts"][aid])
            for method, aid in random_class["assignments"].items()
        }
        columns, rows = gradebook.gradebook_rows(teacher, school_class)
        rows = list(rows)
        assert [row.user_id for row in rows] == _order(current)
        assert [col.grading_method for col in columns] == list(GRADING_METHODS)
        for col in columns:
            mine = expected[col.grading_method]
            grades = [mine[uid]["grade"] for uid in current if uid in mine]
            grades = [g for g in grades if g is not None]
            assert col.graded == len(grades)
            assert col.mean == pytest.approx(sum(grades) / len(grades))
        for row in rows:
            for col, grade in zip(columns, row.grades, strict=True):
                want = expected[col.grading_method].get(row.user_id, {}).get("grade")
                assert grade == (None if want is None else pytest.approx(want))
        page = gradebook.gradebook_page(teacher, school_class, 2, per_page=5)
        assert [(r.user_id, r.grades) for r in page.rows] == [
            (r.user_id, r.grades) for r in rows[5:10]
        ]


@pytest.mark.parametrize("which", assignment_reports.ATTEMPT_CHOICES)
def test_the_statistics_read_each_current_learners_first_or_every_finished_attempt(
    app, random_class, which
):
    current = set(random_class["learners"])
    with app.app_context():
        for assignment_id, rows in random_class["attempts"].items():
            done = sorted(
                (row for row in rows if row[4] is not None and row[1] in current),
                key=lambda r: (r[4], r[0]),
            )
            if which == "first":
                firsts: dict[int, int] = {}
                for row in done:
                    firsts.setdefault(row[1], row[0])
                want = set(firsts.values())
            else:
                want = {row[0] for row in done}
            chosen = assignment_reports.chosen_attempts(
                db.session.get(Assignment, assignment_id), which
            )
            assert set(db.session.scalars(db.select(chosen.c.id))) == want


def _work_mem() -> str | None:
    if db.session.get_bind().dialect.name != "postgresql":
        return None
    return db.session.scalar(sa.text("SHOW work_mem"))


def test_large_reports_get_their_work_mem_for_their_transaction_only(app):
    """On PostgreSQL a report's transaction hashes its groupings in REPORT_WORK_MEM (not the
    server's 4 MB, which made a million responses sort through disk); the next transaction
    has the server's setting back. SQLite has no such setting: nothing is sent."""
    with app.app_context():
        before = _work_mem()
        for_large_report()
        inside = _work_mem()
        db.session.rollback()
        after = _work_mem()
    if before is None:
        assert inside is None and after is None
    else:
        assert inside == "128MB"
        assert after == before != "128MB"


@pytest.mark.parametrize("value", ["", "lots", "64", "1; DROP TABLE users", "64TB"])
def test_a_work_mem_that_is_not_a_size_is_refused_with_its_value(app, value):
    app.config["REPORT_WORK_MEM"] = value
    with app.app_context():
        if db.session.get_bind().dialect.name != "postgresql":
            for_large_report()  # SQLite: the setting is never read
            return
        with pytest.raises(ValueError, match="REPORT_WORK_MEM"):
            for_large_report()


def _sort_threads() -> int | None:
    if db.session.get_bind().dialect.name != "sqlite":
        return None
    return db.session.scalar(sa.text("PRAGMA threads"))


def test_large_reports_let_sqlite_sort_with_helper_threads(app):
    """On SQLite a report's connection may sort with REPORT_SORT_THREADS helper threads (its
    groupings are sorts); PostgreSQL has no such pragma and is not sent one."""
    app.config["REPORT_SORT_THREADS"] = 2
    with app.app_context():
        for_large_report()
        threads = _sort_threads()
        db.session.rollback()
    if threads is not None:
        assert threads == 2


@pytest.mark.parametrize("value", [-1, 9, "2", 2.0, True, None])
def test_sort_threads_that_are_not_0_to_8_are_refused_with_their_value(app, value):
    app.config["REPORT_SORT_THREADS"] = value
    with app.app_context():
        if db.session.get_bind().dialect.name != "sqlite":
            for_large_report()  # PostgreSQL: the setting is never read
            return
        with pytest.raises(ValueError, match="REPORT_SORT_THREADS"):
            for_large_report()
