"""The teachers' reports on an assignment (issue 11, points 4 to 6), on a worked example.

A class of five learners answers an assignment of six questions (the same for everyone) with a
known pattern of right and wrong answers; one learner takes a second attempt, one only starts,
one never does. The report's figures, what the class misses and the item analysis are then
checked against values computed here, independently, from the plain score matrix with the
standard library's `statistics` (never through the core's distributions and sums). Then the
regrade: marking a typed answer right updates the responses, the scores, the frozen questions
and the log, and doing it again changes nothing.
"""

from __future__ import annotations

import math
import statistics

import pytest

from quizapp.core.values import normalise
from quizapp.extensions import db
from quizapp.models import (
    Assignment,
    Attempt,
    AttemptItem,
    Bank,
    Fact,
    RegradeLog,
    Response,
)
from quizapp.services import (
    assignment_reports,
    item_statistics,
    missed_facts,
    permissions,
    regrade,
)
from tests.report_example import (
    LEARNERS,
    TYPED_WRONG,
    Example,
    assign,
    build_example,
    school,
    take,
    user,
    wrong_answer,
)


@pytest.fixture
def example(app) -> Example:
    """The worked example of tests/report_example.py."""
    return build_example(app)


# ---------------------------------------------------------------------------------------------
# Point 4: the report


def test_the_report_counts_learners_by_status_and_grades_them(app, example):
    with app.app_context():
        report = assignment_reports.assignment_report(
            user("co", example.ids), example.assignment_id
        )
        assert report.counts == {"not_started": 1, "in_progress": 1, "finished": 5}
        by_name = {row.name: row for row in report.learners}
        assert [row.name for row in report.learners] == sorted(by_name)
        assert by_name["fay"].status == "not_started" and by_name["fay"].grade is None
        assert by_name["gus"].status == "in_progress" and by_name["gus"].open_attempt_id
        assert by_name["gus"].review_attempt_id == by_name["gus"].open_attempt_id
        # Highest grade (the default): eva's second attempt, all right.
        totals = {name: sum(example.marks[name].values()) for name in LEARNERS}
        expected = {name: 100 * totals[name] / 6 for name in LEARNERS}
        expected["eva"] = 100.0
        for name in LEARNERS:
            assert by_name[name].grade == pytest.approx(expected[name])
            assert by_name[name].finished == (2 if name == "eva" else 1)
        assert by_name["eva"].graded_attempt_id == example.second_attempt
        assert by_name["ana"].graded_attempt_id == example.first_attempts["ana"]
        grades = list(expected.values())
        distribution = report.distribution
        assert distribution.count == 5
        assert distribution.mean == pytest.approx(statistics.mean(grades))
        assert distribution.median == pytest.approx(statistics.median(grades))
        assert distribution.sd == pytest.approx(statistics.stdev(grades))
        bands = {b.low: b.count for b in distribution.bins}
        # 100, 66.7, 66.7, 50, 100: two in the last band, two in [60, 70), one in [50, 60)
        assert (bands[90.0], bands[60.0], bands[50.0], sum(bands.values())) == (2, 2, 1, 5)


@pytest.mark.parametrize(
    ("method", "eva", "graded"),
    [("highest", 100.0, "second"), ("first", 100 / 6, "first"), ("last", 100.0, "second")],
)
def test_each_grading_method_grades_in_sql(app, example, method, eva, graded):
    with app.app_context():
        db.session.get(Assignment, example.assignment_id).grading_method = method
        db.session.commit()
        report = assignment_reports.assignment_report(
            user("profe", example.ids), example.assignment_id
        )
        row = next(r for r in report.learners if r.name == "eva")
        assert row.grade == pytest.approx(eva)
        want = example.second_attempt if graded == "second" else example.first_attempts["eva"]
        assert row.graded_attempt_id == want


def test_the_average_grading_method(app, example):
    with app.app_context():
        db.session.get(Assignment, example.assignment_id).grading_method = "average"
        db.session.commit()
        report = assignment_reports.assignment_report(
            user("profe", example.ids), example.assignment_id
        )
        row = next(r for r in report.learners if r.name == "eva")
        assert row.grade == pytest.approx((100 / 6 + 100) / 2)
        assert row.graded_attempt_id == example.second_attempt  # the latest one


def test_the_report_filters_by_status_and_pages(app, example):
    with app.app_context():
        teacher = user("profe", example.ids)
        finished = assignment_reports.assignment_report(
            teacher, example.assignment_id, status="finished"
        )
        assert [r.name for r in finished.learners] == LEARNERS
        assert finished.total == 5
        first = assignment_reports.assignment_report(teacher, example.assignment_id, per_page=3)
        second = assignment_reports.assignment_report(
            teacher, example.assignment_id, per_page=3, page=3
        )
        assert len(first.learners) == 3 and len(second.learners) == 1
        assert first.total == 7


def test_only_the_class_teachers_get_the_reports(app, example):
    with app.app_context():
        for service in (
            assignment_reports.assignment_report,
            missed_facts.class_misses,
            item_statistics.item_analysis,
        ):
            with pytest.raises(permissions.Forbidden):
                service(user("ana", example.ids), example.assignment_id)
            with pytest.raises(permissions.NotFound):
                service(user("otra", example.ids), example.assignment_id)
        with pytest.raises(permissions.Forbidden):
            regrade.accept_typed_answer(
                user("ana", example.ids), example.assignment_id, "x", "lake snagov"
            )


# ---------------------------------------------------------------------------------------------
# Point 6: the item analysis


def _skew(values: list[float]) -> float:
    n, mean, sd = len(values), statistics.mean(values), statistics.stdev(values)
    return n / ((n - 1) * (n - 2)) * sum(((v - mean) / sd) ** 3 for v in values)


def _kurt(values: list[float]) -> float:
    n, mean, sd = len(values), statistics.mean(values), statistics.stdev(values)
    return n * (n + 1) / ((n - 1) * (n - 2) * (n - 3)) * sum(
        ((v - mean) / sd) ** 4 for v in values
    ) - 3 * (n - 1) ** 2 / ((n - 2) * (n - 3))


def _covariance(xs: list[float], ys: list[float]) -> float:
    mx, my = statistics.mean(xs), statistics.mean(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True))


def test_the_item_analysis_matches_the_worked_example(app, example):
    rows = [[example.marks[name][p] for p in range(1, 7)] for name in LEARNERS]
    totals = [float(sum(row)) for row in rows]
    with app.app_context():
        analysis = item_statistics.item_analysis(user("profe", example.ids), example.assignment_id)
    assert analysis.by == "position" and analysis.which == "first"
    overall = analysis.overall
    percent = [100 * t / 6 for t in totals]
    assert overall.attempts == 5
    assert overall.mean == pytest.approx(statistics.mean(percent))
    assert overall.median == pytest.approx(statistics.median(percent))
    assert overall.sd == pytest.approx(statistics.stdev(percent))
    assert overall.skewness == pytest.approx(_skew(totals))
    assert overall.kurtosis == pytest.approx(_kurt(totals))
    variances = [statistics.variance([row[i] for row in rows]) for i in range(6)]
    alpha = 6 / 5 * (1 - sum(variances) / statistics.variance(totals))
    assert overall.alpha == pytest.approx(alpha)
    assert overall.error_ratio == pytest.approx(100 * math.sqrt(1 - alpha))
    assert overall.standard_error == pytest.approx(math.sqrt(1 - alpha) * statistics.stdev(percent))
    assert [row.key for row in analysis.items] == [1, 2, 3, 4, 5, 6]
    for index, row in enumerate(analysis.items):
        marks = [float(r[index]) for r in rows]
        rests = [t - m for t, m in zip(totals, marks, strict=True)]
        stats = row.stats
        assert stats.attempts == 5
        assert stats.facility == pytest.approx(100 * statistics.mean(marks))
        assert stats.sd == pytest.approx(100 * statistics.stdev(marks))
        assert stats.discrimination == pytest.approx(100 * statistics.correlation(marks, rests))
        largest = _covariance(sorted(marks), sorted(rests))
        assert stats.efficiency == pytest.approx(100 * _covariance(marks, rests) / largest)
        question = example.questions[index + 1]
        assert row.label == question["stem"]
        assert row.question_type == question["type"]
        if question["type"] == "mcq":
            assert stats.random_guess == pytest.approx(100 / len(question["options"]))
        else:
            assert stats.random_guess == 0
        # Facility 80 % is not flagged; 20 % is not either; 100 % would be.
        assert ("too_easy" in stats.flags) == (stats.facility > 90)


def test_the_options_picked_mark_the_key(app, example):
    with app.app_context():
        analysis = item_statistics.item_analysis(user("profe", example.ids), example.assignment_id)
    choice = [row for row in analysis.items if row.question_type == "mcq"]
    assert choice
    for row in choice:
        question = example.questions[row.key]
        right = sum(example.marks[name][row.key] for name in LEARNERS)
        wrong_option = wrong_answer(question)
        picked = {row.option_texts.get(o.option, o.option): o for o in row.options}
        assert list(picked) == question["options"]  # every option, in the question's order
        assert picked[question["key"]].key and picked[question["key"]].count == right
        assert picked[wrong_option].count == 5 - right and not picked[wrong_option].key
        assert sum(o.count for o in row.options) == 5


def test_every_attempt_can_be_read_instead_of_the_first(app, example):
    with app.app_context():
        analysis = item_statistics.item_analysis(
            user("profe", example.ids), example.assignment_id, "all"
        )
    assert analysis.overall.attempts == 6
    totals = [sum(example.marks[name].values()) for name in LEARNERS] + [6]
    assert analysis.overall.mean == pytest.approx(100 * statistics.mean(totals) / 6)


def test_a_set_per_learner_is_analysed_per_fact(app):
    ids = school(app)
    assignment_id = assign(app, ids, same_questions=False, types=["mcq"], count=5)
    taken = {}
    for number, name in enumerate(LEARNERS[:3]):
        right = {p: int(p > number) for p in range(1, 6)}
        taken[name] = take(app, ids[name], assignment_id, right)
    with app.app_context():
        marks: dict[str, list[float]] = {}
        for item, response in db.session.execute(
            db.select(AttemptItem, Response)
            .join(Response)
            .join(Attempt)
            .where(Attempt.assignment_id == assignment_id)
        ):
            marks.setdefault(item.fact_key, []).append(response.points)
        analysis = item_statistics.item_analysis(user("profe", ids), assignment_id)
    assert analysis.by == "fact"
    assert analysis.overall.alpha is None  # facts are not in every attempt
    assert {row.key for row in analysis.items} == set(marks)
    for row in analysis.items:
        assert row.stats.attempts == len(marks[row.key])
        assert row.stats.facility == pytest.approx(100 * statistics.mean(marks[row.key]))
        assert sum(o.count for o in row.options) == len(marks[row.key])


# ---------------------------------------------------------------------------------------------
# Point 5: what the class misses, and the regrade


def test_what_the_class_misses_ranks_facts_by_the_share_wrong(app, example):
    with app.app_context():
        misses = missed_facts.class_misses(user("profe", example.ids), example.assignment_id)
        keys = {p: q["fact_id"] for p, q in example.questions.items()}
        wrong = {keys[p]: sum(1 - example.marks[name][p] for name in LEARNERS) for p in keys}
        assert misses.learners == 5
        shares = [fact.share for fact in misses.facts]
        assert shares == sorted(shares, reverse=True)
        assert {f.fact_key: f.missed for f in misses.facts} == {k: n for k, n in wrong.items() if n}
        assert all(f.asked == 5 for f in misses.facts)
        top = misses.facts[0]
        assert top.fact_key == keys[example.typed_position]  # three of five wrong
        assert top.share == pytest.approx(60)
        assert top.question["source"]["passage_text"]
        assert [(a.text, a.responses, a.right) for a in top.typed] == [
            (TYPED_WRONG, 3, 0),
            (example.questions[example.typed_position]["key"], 2, 2),
        ]
        assert top.can_accept
        assert misses.site_bank and not misses.bank_editable
        topics = {
            fact.key: fact.topic
            for fact in db.session.scalars(db.select(Fact).where(Fact.key.in_(keys.values())))
        }
        assert {t.topic for t in misses.topics} <= set(topics.values())
        # "All attempts" counts eva wrong too, though her second attempt was right.
        everything = missed_facts.class_misses(
            user("profe", example.ids), example.assignment_id, "all"
        )
        assert {f.fact_key: f.missed for f in everything.facts} == {
            f.fact_key: f.missed for f in misses.facts
        }


def _regrade_state(app, example) -> dict:
    key = example.questions[example.typed_position]["fact_id"]
    with app.app_context():
        responses = db.session.execute(
            db.select(Response.correct, Response.points, Response.normalised)
            .join(AttemptItem)
            .join(Attempt)
            .where(Attempt.assignment_id == example.assignment_id, AttemptItem.fact_key == key)
        ).all()
        scores = {
            a.id: a.score
            for a in db.session.scalars(
                db.select(Attempt).where(Attempt.assignment_id == example.assignment_id)
            )
        }
        frozen = [
            item.question["accepted"]
            for item in db.session.scalars(
                db.select(AttemptItem)
                .join(Attempt)
                .where(Attempt.assignment_id == example.assignment_id, AttemptItem.fact_key == key)
            )
        ]
        assignment = db.session.get(Assignment, example.assignment_id)
        fact = db.session.scalar(db.select(Fact).where(Fact.key == key))
        logs = db.session.scalars(db.select(RegradeLog)).all()
        bank = db.session.get(Bank, assignment.bank_id)
        return {
            "key": key,
            "responses": sorted(responses, key=lambda r: r.normalised),
            "scores": scores,
            "frozen": frozen,
            "set": assignment.questions[example.typed_position - 1]["accepted"],
            "alternatives": list(fact.alternatives),
            "version": bank.version,
            "logs": [
                (log.answer, log.scope, log.responses_changed, log.attempts_changed) for log in logs
            ],
        }


def test_marking_a_typed_answer_right_regrades_the_assignment(app, example):
    before = _regrade_state(app, example)
    folded = normalise(TYPED_WRONG)
    with app.app_context():
        outcome = regrade.accept_typed_answer(
            user("co", example.ids), example.assignment_id, before["key"], folded
        )
        db.session.commit()
    assert outcome.changed and outcome.scope == regrade.ASSIGNMENT  # a site bank
    assert (outcome.responses_changed, outcome.attempts_changed) == (3, 3)
    after = _regrade_state(app, example)
    assert all(r.correct and r.points == 1.0 for r in after["responses"])
    wrong_learners = [n for n in LEARNERS if not example.marks[n][example.typed_position]]
    for name in LEARNERS:
        attempt_id = example.first_attempts[name]
        bonus = 1.0 if name in wrong_learners else 0.0
        assert after["scores"][attempt_id] == before["scores"][attempt_id] + bonus
    assert after["scores"][example.second_attempt] == 6.0
    # Every frozen copy accepts it (the attempts', and the set later attempts get).
    assert all(TYPED_WRONG in accepted for accepted in after["frozen"])
    assert len(after["frozen"]) == 7  # six finished attempts and gus's open one
    assert TYPED_WRONG in after["set"]
    # The site bank's fact is untouched; the log says what happened.
    assert after["alternatives"] == before["alternatives"]
    assert after["version"] == before["version"]
    assert after["logs"] == [(TYPED_WRONG, "assignment", 3, 3)]
    # The report sees it: everyone got the typed question right now.
    with app.app_context():
        misses = missed_facts.class_misses(user("profe", example.ids), example.assignment_id)
        assert before["key"] not in {f.fact_key for f in misses.facts}
        report = assignment_reports.assignment_report(
            user("profe", example.ids), example.assignment_id
        )
        assert [e.answer for e in report.regrades] == [TYPED_WRONG]

    # The same regrade again changes nothing and logs nothing.
    with app.app_context():
        again = regrade.accept_typed_answer(
            user("profe", example.ids), example.assignment_id, before["key"], folded
        )
        db.session.commit()
    assert not again.changed
    assert _regrade_state(app, example) == after


def test_a_teacher_who_may_edit_the_bank_adds_the_answer_to_the_fact(app, example):
    with app.app_context():
        bank = db.session.scalar(db.select(Bank).where(Bank.slug == "romania-ww2"))
        bank.managed_in, bank.owner_id = "browser", example.ids["profe"]
        db.session.commit()
    before = _regrade_state(app, example)
    with app.app_context():
        outcome = regrade.accept_typed_answer(
            user("profe", example.ids),
            example.assignment_id,
            before["key"],
            normalise(TYPED_WRONG),
        )
        db.session.commit()
    assert outcome.scope == regrade.BANK and outcome.fact_changed
    after = _regrade_state(app, example)
    assert after["alternatives"] == [*before["alternatives"], TYPED_WRONG]
    assert after["version"] == before["version"] + 1
    assert after["logs"] == [(TYPED_WRONG, "bank", 3, 3)]


def test_a_co_teacher_who_is_no_editor_changes_only_the_assignment(app, example):
    with app.app_context():
        bank = db.session.scalar(db.select(Bank).where(Bank.slug == "romania-ww2"))
        bank.managed_in, bank.owner_id, bank.published = "browser", example.ids["profe"], True
        db.session.commit()
    before = _regrade_state(app, example)
    with app.app_context():
        outcome = regrade.accept_typed_answer(
            user("co", example.ids), example.assignment_id, before["key"], normalise(TYPED_WRONG)
        )
        db.session.commit()
    assert outcome.scope == regrade.ASSIGNMENT and not outcome.fact_changed
    assert _regrade_state(app, example)["alternatives"] == before["alternatives"]


def test_an_answer_nobody_typed_or_a_hand_written_question_is_refused(app, example):
    key = example.questions[example.typed_position]["fact_id"]
    with app.app_context():
        teacher = user("profe", example.ids)
        with pytest.raises(regrade.RegradeError, match="No learner typed"):
            regrade.accept_typed_answer(teacher, example.assignment_id, key, "never typed")
        with pytest.raises(regrade.RegradeError, match="hand-written"):
            regrade.accept_typed_answer(teacher, example.assignment_id, "q:1", "anything")
        assert not db.session.scalars(db.select(RegradeLog)).all()


def test_a_number_question_refuses_an_answer_that_is_not_a_number(app):
    ids = school(app)
    assignment_id = assign(app, ids, types=["numeric"], count=5)
    take(app, ids["ana"], assignment_id, dict.fromkeys(range(1, 6), 0))
    with app.app_context():
        frozen = db.session.get(Assignment, assignment_id).questions
        question = next(q for q in frozen if q["kind"] in ("year", "number"))
        with pytest.raises(regrade.RegradeError, match="cannot be read"):
            regrade.accept_typed_answer(
                user("profe", ids), assignment_id, question["fact_id"], normalise(TYPED_WRONG)
            )
        # And the report offers no button for it: accepting it could never make it right.
        misses = missed_facts.class_misses(user("profe", ids), assignment_id)
        fact = next(f for f in misses.facts if f.fact_key == question["fact_id"])
        assert fact.typed and all(not answer.can_be_read for answer in fact.typed)
