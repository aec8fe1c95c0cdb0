"""quizapp as an LTI 1.3 tool against a simulated platform (tests/lti_platform.py): the whole
flow from login initiation to the grade arriving, deep linking, grades kept and retried,
regrades, rosters."""

from __future__ import annotations

import re

import jwt  # noqa: F401
import pytest
import sqlalchemy as sa

from quizapp.extensions import db
from quizapp.models import (
    Assignment,
    Attempt,
    ClassMembership,
    LtiContext,
    LtiGradeSync,
    LtiIdentity,
    SchoolClass,
    User,
)
from quizapp.services.assignments import AssignmentSettings, create_assignment
from quizapp.services.lti import grades
from tests.conftest import log_in, make_user
from tests.lti_helpers import TEACHER_SUB, answer_all, deep_link, registered_platform
from tests.lti_platform import INSTRUCTOR, member
from tests.quiz_helpers import frozen, right_answer_form, wrong_answer_form


@pytest.fixture
def platform(app, client):
    """The simulated LMS, registered in quizapp."""
    return registered_platform(app, client)


def test_the_whole_flow_from_login_to_the_grade_in_the_lms(app, platform):
    teacher = app.test_client()
    assignment_id = deep_link(app, teacher, platform)
    custom = {"quizapp_assignment": str(assignment_id)}

    learner = app.test_client()
    response, _form = platform.launch(learner, subject="lms-ana", name="Ana García", custom=custom)
    assert response.status_code == 303, response.get_data(as_text=True)
    match = re.search(r"/attempts/(\d+)/q/1$", response.headers["Location"])
    assert match, response.headers["Location"]
    attempt_id = int(match.group(1))
    assert learner.get(response.headers["Location"]).status_code == 200
    answer_all(learner, app, attempt_id)
    finished = learner.post(f"/attempts/{attempt_id}/finish")
    assert finished.status_code in (302, 303)

    (score,) = platform.scores
    assert score["userId"] == "lms-ana"
    assert score["scoreGiven"] == 100 and score["scoreMaximum"] == 100
    assert score["activityProgress"] == "Completed"
    assert score["gradingProgress"] == "FullyGraded"
    assert score["_lineitem"] == "/lineitems/1/lineitem"
    assert platform.token_requests and "score" in platform.token_requests[0]["scope"]
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(LtiGradeSync.id))) == 0
        user = db.session.scalar(
            sa.select(User).join(LtiIdentity).where(LtiIdentity.subject == "lms-ana")
        )
        assert user.role == "student" and user.name == "Ana.García"
        attempt = db.session.get(Attempt, attempt_id)
        assert attempt.user_id == user.id and attempt.assignment_id == assignment_id

    # The teacher's launch of the same link lands on the assignment's report.
    platform.members = [member("lms-ana", "Ana García"), member(TEACHER_SUB, "Profe", INSTRUCTOR)]
    response, _form = platform.launch(
        teacher, subject=TEACHER_SUB, roles=(INSTRUCTOR,), custom=custom
    )
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/assignments/{assignment_id}/report")
    assert teacher.get(response.headers["Location"]).status_code == 200
    assert platform.roster_requests == 1


def test_a_learner_keeps_one_account_per_lms_identity_never_matched_by_name(app, platform):
    assignment_id = deep_link(app, app.test_client(), platform)
    make_user(app, "Ana.García")  # a quizapp user of the same name is someone else
    custom = {"quizapp_assignment": str(assignment_id)}
    for _time in range(2):
        response, _form = platform.launch(app.test_client(), subject="lms-ana", custom=custom)
        assert response.status_code == 303
    other, _form = platform.launch(app.test_client(), subject="lms-otra", custom=custom)
    assert other.status_code == 303
    with app.app_context():
        names = sorted(
            db.session.scalars(
                sa.select(User.name).join(LtiIdentity, LtiIdentity.user_id == User.id)
            )
        )
        assert names == ["Ana.García-2", "Ana.García-3", "Profe.Ruiz"]


def test_a_grade_the_lms_refuses_is_kept_and_sent_later(app, platform):
    assignment_id = deep_link(app, app.test_client(), platform)
    learner = app.test_client()
    response, _form = platform.launch(
        learner, subject="lms-ana", custom={"quizapp_assignment": str(assignment_id)}
    )
    attempt_id = int(re.search(r"/attempts/(\d+)/", response.headers["Location"]).group(1))
    answer_all(learner, app, attempt_id, right=False)
    platform.fail.add("lineitems")
    finished = learner.post(f"/attempts/{attempt_id}/finish")
    assert finished.status_code in (302, 303)  # the learner's page is not broken
    assert learner.get(finished.headers["Location"]).status_code == 200
    assert platform.scores == []
    with app.app_context():
        (row,) = db.session.scalars(sa.select(LtiGradeSync)).all()
        assert row.tries == 1 and "503" in (row.last_error or "")
        assert db.session.get(Attempt, attempt_id).finished_at is not None
        # Not due yet: nothing is tried.
        assert grades.deliver_due().failed == 0
        platform.fail.clear()
        outcome = grades.deliver_due(now=row.due_at)
        assert outcome.sent == 1
    (score,) = platform.scores
    assert score["scoreGiven"] == 0 and score["userId"] == "lms-ana"


def test_a_regrade_sends_the_new_grade(app, platform):
    from quizapp.services import regrade

    teacher = app.test_client()
    response, _form = platform.launch(
        teacher,
        subject=TEACHER_SUB,
        roles=(INSTRUCTOR,),
        message_type="LtiDeepLinkingRequest",
    )
    with app.app_context():
        context = db.session.scalars(sa.select(LtiContext)).one()
        owner = db.session.scalar(
            sa.select(User).join(LtiIdentity).where(LtiIdentity.subject == TEACHER_SUB)
        )
        bank_id = db.session.scalar(sa.text("SELECT id FROM banks LIMIT 1"))
        assignment = create_assignment(
            owner,
            db.session.get(SchoolClass, context.class_id),
            AssignmentSettings(
                title="Typed",
                bank_id=bank_id,
                language="en",
                types=["short"],
                count=5,
                attempts_allowed=None,
            ),
        )
        db.session.commit()
        assignment_id = assignment.id
    learner = app.test_client()
    response, _form = platform.launch(
        learner, subject="lms-ana", custom={"quizapp_assignment": str(assignment_id)}
    )
    attempt_id = int(re.search(r"/attempts/(\d+)/", response.headers["Location"]).group(1))
    questions = frozen(app, attempt_id)
    # The one answered wrongly asks for a name (a number or a date could not take the text).
    wrong = next(p for p, q in sorted(questions.items()) if not any(c.isdigit() for c in q["key"]))
    for position, question in sorted(questions.items()):
        form = wrong_answer_form(question) if position == wrong else right_answer_form(question)
        learner.post(f"/attempts/{attempt_id}/q/{position}", data=form)
    learner.post(f"/attempts/{attempt_id}/finish")
    assert [s["scoreGiven"] for s in platform.scores] == [80]
    with app.test_request_context():
        owner = db.session.scalar(
            sa.select(User).join(LtiIdentity).where(LtiIdentity.subject == TEACHER_SUB)
        )
        from quizapp.core.values import normalise

        outcome = regrade.accept_typed_answer(
            owner, assignment_id, questions[wrong]["fact_id"], normalise("Nobody at all")
        )
        assert outcome.attempts_changed == 1
        db.session.commit()
        assert grades.deliver_due().sent == 1
    assert [s["scoreGiven"] for s in platform.scores] == [80, 100]


def test_the_roster_is_synced_from_the_lms(app, platform):
    teacher = app.test_client()
    deep_link(app, teacher, platform)
    make_user(app, "codigo")
    with app.app_context():
        context = db.session.scalars(sa.select(LtiContext)).one()
        class_id = context.class_id
        # A learner who joined with the class's code is not the LMS's to remove.
        from quizapp.services import classes

        school_class = db.session.get(SchoolClass, class_id)
        classes.join_class(
            db.session.scalar(sa.select(User).where(User.name == "codigo")), school_class.join_code
        )
        db.session.commit()
    platform.members = [
        member("lms-ana", "Ana García"),
        member("lms-luis", "Luis Pérez"),
        member("lms-gone", "Gone Away", status="Inactive"),
        member(TEACHER_SUB, "Profe Ruiz", INSTRUCTOR),
        member("lms-mentor", "Mentor", "http://purl.imsglobal.org/vocab/lis/v2/membership#Mentor"),
    ]
    class_page = teacher.get(f"/classes/{class_id}").get_data(as_text=True)
    assert "Linked to the LMS course Historia 2B." in class_page
    assert f'action="/lti/classes/{class_id}/roster"' in class_page
    response = teacher.post(f"/lti/classes/{class_id}/roster")
    assert response.status_code == 302
    page = teacher.get(response.headers["Location"]).get_data(as_text=True)
    assert "Learners added: 2; removed: 0." in page

    def learners() -> list[str]:
        with app.app_context():
            return sorted(
                db.session.scalars(
                    sa.select(User.name)
                    .join(ClassMembership, ClassMembership.user_id == User.id)
                    .where(ClassMembership.class_id == class_id, ClassMembership.role == "learner")
                )
            )

    assert learners() == ["Ana.García", "Luis.Pérez", "codigo"]
    platform.members = [member("lms-luis", "Luis Pérez"), member(TEACHER_SUB, "Profe", INSTRUCTOR)]
    teacher.post(f"/lti/classes/{class_id}/roster")
    assert learners() == ["Luis.Pérez", "codigo"]
    # The LMS down: said on the page, nothing changed.
    platform.fail.add("memberships")
    response = teacher.post(f"/lti/classes/{class_id}/roster")
    page = teacher.get(response.headers["Location"]).get_data(as_text=True)
    assert "did not give the course" in page
    assert learners() == ["Luis.Pérez", "codigo"]
    # Only the class's teachers sync it.
    student = app.test_client()
    log_in(student, "codigo")
    assert student.post(f"/lti/classes/{class_id}/roster").status_code == 403


def test_a_deep_link_can_place_an_existing_assignment(app, platform):
    teacher = app.test_client()
    first = deep_link(app, teacher, platform)
    response, _form = platform.launch(
        teacher, subject=TEACHER_SUB, roles=(INSTRUCTOR,), message_type="LtiDeepLinkingRequest"
    )
    selection = response.headers["Location"].rsplit("/", 1)[1]
    page = teacher.get(response.headers["Location"]).get_data(as_text=True)
    assert "Quiz de historia" in page
    answer = teacher.post(f"/lti/select/{selection}/assignment", data={"assignment": str(first)})
    assert answer.status_code == 200
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Assignment.id))) == 1
    # Another teacher's selection is not theirs.
    make_user(app, "intrusa", role="teacher")
    other = log_in(app.test_client(), "intrusa")
    assert other.get(f"/lti/select/{selection}").status_code == 400


@pytest.mark.settings(WTF_CSRF_ENABLED=True)
def test_the_lms_posts_without_csrf_tokens_and_the_selection_needs_one(app, platform):
    teacher = app.test_client()
    response, _form = platform.launch(
        teacher, subject=TEACHER_SUB, roles=(INSTRUCTOR,), message_type="LtiDeepLinkingRequest"
    )
    assert response.status_code == 303, response.get_data(as_text=True)
    selection = response.headers["Location"].rsplit("/", 1)[1]
    page = teacher.get(response.headers["Location"]).get_data(as_text=True)
    forged = teacher.post(f"/lti/select/{selection}/bank", data={"title": "x"})
    assert forged.status_code == 400 and "expired" in forged.get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    with app.app_context():
        bank_id = db.session.scalar(sa.text("SELECT id FROM banks LIMIT 1"))
    answer = teacher.post(
        f"/lti/select/{selection}/bank",
        data={
            "csrf_token": token,
            "title": "Con CSRF",
            "bank": str(bank_id),
            "language": "es",
            "types": ["mcq"],
            "count": "5",
            "attempts_allowed": "2",
            "grading_method": "last",
        },
    )
    assert answer.status_code == 200, answer.get_data(as_text=True)
    with app.app_context():
        made = db.session.scalars(sa.select(Assignment)).one()
        assert (made.language, made.attempts_allowed, made.grading_method) == ("es", 2, "last")


def test_the_command_line_sends_the_grades_that_wait(app, platform):
    assignment_id = deep_link(app, app.test_client(), platform)
    learner = app.test_client()
    response, _form = platform.launch(
        learner, subject="lms-ana", custom={"quizapp_assignment": str(assignment_id)}
    )
    attempt_id = int(re.search(r"/attempts/(\d+)/", response.headers["Location"]).group(1))
    answer_all(learner, app, attempt_id)
    platform.fail.add("token")
    learner.post(f"/attempts/{attempt_id}/finish")
    assert platform.scores == []
    platform.fail.clear()
    with app.app_context():
        row = db.session.scalars(sa.select(LtiGradeSync)).one()
        row.due_at = row.due_at.replace(year=2000)
        db.session.commit()
    result = app.test_cli_runner().invoke(args=["lti", "send-grades"])
    assert result.exit_code == 0, result.output
    assert "sent 1, failed 0" in result.output
    assert [s["scoreGiven"] for s in platform.scores] == [100]
