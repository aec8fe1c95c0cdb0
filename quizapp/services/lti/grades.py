"""Grades back to the LMS (LTI Assignment and Grade Services): the one hook the attempt
services call, and the delivery.

`queue_grades(attempt_ids)` is called where scores change, inside their write transaction:
when an attempt finishes (`attempts.closing.close_attempt`) and when a regrade changes
finished attempts (`regrade.accept_typed_answer`). It records (resource link, learner) in
`lti_grade_sync` for each attempt of an assignment placed in an LMS course by a learner linked
to that LMS, so the learner's result is never lost: it is in quizapp, and the pending row says
the LMS still has to hear of it. After the request has committed, `deliver_due` sends what is
due: the learner's current grade on the assignment by its grading method, as a percentage
(scoreGiven out of scoreMaximum 100, activity Completed, grading FullyGraded) to the link's
line item. A failure (LMS down, token refused, timeout) is logged and the row is tried again
later with back-off (1, 2, 4 ... minutes, at most a day); nothing of it reaches the learner's
page. `flask lti send-grades` sends what is due from the command line (a cron job), and every
later delivery pass picks up what is due too.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

import sqlalchemy as sa
from flask import g, has_request_context

from quizapp.core.grading import GradedAttempt, final_grade
from quizapp.database import begin_write
from quizapp.extensions import db
from quizapp.models import (
    Assignment,
    Attempt,
    LtiContext,
    LtiGradeSync,
    LtiIdentity,
    LtiPlatform,
    LtiResourceLink,
    utcnow,
)

log = logging.getLogger(__name__)

SCORE_SCOPE = "https://purl.imsglobal.org/spec/lti-ags/scope/score"
MAX_BACKOFF = dt.timedelta(days=1)
BATCH = 20


def _insert(connection_name: str):
    if connection_name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert


def queue_grades(attempt_ids: list[int]) -> int:
    """Mark the LMS grades touched by these attempts as to be sent, in the caller's write
    transaction; returns how many (link, learner) pairs. Only finished attempts of
    assignments placed in an LMS course, by learners linked to that LMS, count."""
    if not attempt_ids:
        return 0
    pairs = db.session.execute(
        sa.select(LtiResourceLink.id, Attempt.user_id)
        .join(Attempt, Attempt.assignment_id == LtiResourceLink.assignment_id)
        .join(LtiContext, LtiContext.id == LtiResourceLink.context_id)
        .join(LtiPlatform, LtiPlatform.id == LtiContext.platform_id)
        .join(
            LtiIdentity,
            sa.and_(
                LtiIdentity.user_id == Attempt.user_id, LtiIdentity.issuer == LtiPlatform.issuer
            ),
        )
        .where(Attempt.id.in_(attempt_ids), Attempt.finished_at.is_not(None))
        .distinct()
    ).all()
    if not pairs:
        return 0
    insert = _insert(db.session.get_bind().dialect.name)
    table = LtiGradeSync.__table__
    now = utcnow()
    for link_id, user_id in pairs:
        db.session.execute(
            insert(table)
            .values(link_id=link_id, user_id=user_id, due_at=now, tries=0)
            .on_conflict_do_update(
                index_elements=[table.c.link_id, table.c.user_id],
                set_={"due_at": now, "tries": 0, "last_error": None},
            )
        )
    if has_request_context():
        g.lti_grades_queued = True
    return len(pairs)


def learner_grade(assignment: Assignment, user_id: int) -> float | None:
    """The learner's grade on the assignment by its grading method, in percent; None before
    any finished attempt."""
    attempts = [
        GradedAttempt(
            grade=100.0 * a.score / a.max_score if a.max_score else 0.0,
            finished_at=a.finished_at,
            attempt_id=a.id,
        )
        for a in db.session.scalars(
            sa.select(Attempt).where(
                Attempt.assignment_id == assignment.id,
                Attempt.user_id == user_id,
                Attempt.finished_at.is_not(None),
            )
        )
    ]
    return final_grade(assignment.grading_method, attempts)


@dataclass(frozen=True)
class Delivery:
    """What a delivery pass did: grades sent, failed (kept for later), dropped (nothing to
    send: no line item, no finished attempt)."""

    sent: int = 0
    failed: int = 0
    dropped: int = 0


def _send(row: LtiGradeSync) -> bool:
    """Send one learner's grade; False when there is nothing to send. Raises on failure."""
    from pylti1p3.assignments_grades import AssignmentsGradesService
    from pylti1p3.grade import Grade

    from quizapp.services.lti.tool import service_connector

    link = db.session.get(LtiResourceLink, row.link_id)
    if link is None or not link.ags or not link.ags.get("lineitem"):
        return False
    context = db.session.get(LtiContext, link.context_id)
    platform = db.session.get(LtiPlatform, context.platform_id)
    subject = db.session.scalar(
        sa.select(LtiIdentity.subject).where(
            LtiIdentity.user_id == row.user_id, LtiIdentity.issuer == platform.issuer
        )
    )
    assignment = db.session.get(Assignment, link.assignment_id)
    grade_value = learner_grade(assignment, row.user_id) if assignment else None
    if subject is None or grade_value is None:
        return False
    grade = (
        Grade()
        .set_score_given(round(grade_value, 2))
        .set_score_maximum(100)
        .set_timestamp(dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds"))
        .set_activity_progress("Completed")
        .set_grading_progress("FullyGraded")
        .set_user_id(subject)
    )
    scopes = list(link.ags.get("scope") or [])
    if SCORE_SCOPE not in scopes:
        scopes.append(SCORE_SCOPE)
    service = AssignmentsGradesService(
        service_connector(platform), {"lineitem": link.ags["lineitem"], "scope": scopes}
    )
    service.put_grade(grade)
    return True


def backoff(tries: int) -> dt.timedelta:
    """How long to wait after the `tries`-th failure: 1, 2, 4 ... minutes, at most a day."""
    return min(dt.timedelta(minutes=2 ** max(tries - 1, 0)), MAX_BACKOFF)


def deliver_due(limit: int = BATCH, now: dt.datetime | None = None) -> Delivery:
    """Send up to `limit` grades that are due, oldest first, each in its own transaction
    (committed). Never raises for a platform's fault: it is logged and retried later."""
    now = now or utcnow()
    db.session.commit()
    ids = list(
        db.session.scalars(
            sa.select(LtiGradeSync.id)
            .where(LtiGradeSync.due_at <= now)
            .order_by(LtiGradeSync.due_at, LtiGradeSync.id)
            .limit(limit)
        )
    )
    sent = failed = dropped = 0
    for row_id in ids:
        row = db.session.get(LtiGradeSync, row_id)
        if row is None:
            continue
        queued_at = row.due_at
        try:
            delivered = _send(row)
        except Exception as error:  # any fault of the platform or the network
            log.debug("LTI grade delivery failed", exc_info=True)
            db.session.rollback()
            row = db.session.get(LtiGradeSync, row_id)
            if row is None:
                continue
            begin_write()
            row = db.session.get(LtiGradeSync, row_id)
            if row is None:
                db.session.rollback()
                continue
            row.tries += 1
            row.last_error = f"{type(error).__name__}: {error}"[:1000]
            row.due_at = utcnow() + backoff(row.tries)
            log.warning(
                "LTI grade for learner %s on link %s not sent (try %s): %s",
                row.user_id,
                row.link_id,
                row.tries,
                row.last_error,
            )
            db.session.commit()
            failed += 1
            continue
        begin_write()
        # Only if nobody queued it again meanwhile (a newer finish): else it goes again.
        db.session.execute(
            sa.delete(LtiGradeSync).where(
                LtiGradeSync.id == row_id, LtiGradeSync.due_at == queued_at
            )
        )
        db.session.commit()
        if delivered:
            sent += 1
        else:
            dropped += 1
    return Delivery(sent=sent, failed=failed, dropped=dropped)
