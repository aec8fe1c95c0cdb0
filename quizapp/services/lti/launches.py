"""A launch from start to finish: validated (services.lti.tool), then the LMS user's account,
the course's class, and where the user lands.

- a **resource link** launch by a learner: joins the class, starts (or resumes) the attempt at
  the link's assignment, and lands on its first question; when the assignment refuses (closed,
  no attempt left) on the assignment's page, which says why;
- by a teacher: becomes a teacher of the class, the roster is synced from the LMS (a failure
  is said on the page, the launch goes on), and lands on the assignment's report;
- a **deep-linking** launch (teachers only): links the course to a class and lands on the page
  where the teacher picks a bank or an assignment (services.lti.deep_linking).
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass

from quizapp.core.lti_claims import DEEP_LINKING_REQUEST, RESOURCE_LINK_REQUEST, read_launch
from quizapp.extensions import db
from quizapp.models import User
from quizapp.services import assignments
from quizapp.services.assignments import AssignmentError
from quizapp.services.lti import launch_values, tool
from quizapp.services.lti.accounts import link_course, link_resource, user_for
from quizapp.services.lti.errors import LaunchRefused
from quizapp.services.lti.roster import RosterError, sync_context

log = logging.getLogger(__name__)

DEEP_LINK_SECONDS = 3600
LEARNER, TEACHER, DEEP_LINK = "learner", "teacher", "deep_link"


@dataclass(frozen=True)
class LaunchResult:
    """Where a launch lands: `kind` (learner, teacher, deep_link), the user to sign in, the
    assignment, the attempt started, the deep-linking selection's id, and notes for the page
    (a refusal to start, a roster that could not be synced)."""

    kind: str
    user: User
    assignment_id: int | None = None
    attempt_id: int | None = None
    selection_id: str | None = None
    note: str | None = None


def handle_launch() -> LaunchResult:
    """Validate the POSTed launch and do what it asks (commits). LaunchRefused."""
    launch = tool.validate_launch()
    claims = read_launch(launch.get_launch_data())
    platform = launch.platform
    assert platform is not None
    if not claims.subject:
        raise LaunchRefused("message", "anonymous launch")
    if claims.message_type == DEEP_LINKING_REQUEST:
        if not claims.teaching:
            raise LaunchRefused("teachers_only")
        settings = launch.get_launch_data().get(
            "https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings"
        )
        if not isinstance(settings, dict) or not settings.get("deep_link_return_url"):
            raise LaunchRefused("message", "no deep linking settings")
        user = user_for(platform.issuer, claims.subject, claims.name, teaching=True)
        context = link_course(platform, claims, user)
        db.session.commit()
        selection_id = secrets.token_urlsafe(24)
        launch_values.put(
            "selection:" + selection_id,
            {
                "platform_id": platform.id,
                "deployment_id": claims.deployment_id,
                "settings": settings,
                "user_id": user.id,
                "context_id": context.id,
                "class_id": context.class_id,
            },
            DEEP_LINK_SECONDS,
        )
        return LaunchResult(DEEP_LINK, user, selection_id=selection_id)
    if claims.message_type != RESOURCE_LINK_REQUEST:
        raise LaunchRefused("message", claims.message_type)
    user = user_for(platform.issuer, claims.subject, claims.name, claims.teaching)
    context = link_course(platform, claims, user)
    link = link_resource(context, claims)
    assignment_id = link.assignment_id
    db.session.commit()
    if claims.teaching:
        note = None
        if context.memberships_url:
            try:
                sync_context(context)
                db.session.commit()
            except RosterError as error:
                db.session.rollback()
                note = str(error)
        return LaunchResult(TEACHER, user, assignment_id=assignment_id, note=note)
    try:
        attempt = assignments.start_attempt(user, assignment_id)
    except AssignmentError as error:
        db.session.rollback()
        return LaunchResult(LEARNER, user, assignment_id=assignment_id, note=str(error))
    attempt_id = attempt.id
    db.session.commit()
    return LaunchResult(LEARNER, user, assignment_id=assignment_id, attempt_id=attempt_id)
