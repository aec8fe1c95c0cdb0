"""A class's roster from its LMS course (LTI Names and Role Provisioning Services).

The course's members are read from the platform's memberships URL (every page of it); each
active member gets their linked account (made on first sight, as at a launch: by issuer and
subject, never by name) and joins the class as a learner or a co-teacher. Learners linked to
this LMS who left the course (missing, or status Inactive/Deleted) leave the class; learners
who joined with the class's code are not the LMS's to remove. Run by a teacher from the class
page and on every teaching launch; a platform that fails is reported, nothing is changed.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import gettext as _

from quizapp.core.lti_claims import is_learner, is_teaching
from quizapp.database import begin_write
from quizapp.extensions import db
from quizapp.models import (
    ClassMembership,
    LtiContext,
    LtiIdentity,
    LtiPlatform,
    SchoolClass,
    User,
    utcnow,
)
from quizapp.services import classes
from quizapp.services.lti.accounts import join_as, linked_context, user_for

log = logging.getLogger(__name__)

MEMBERSHIP_SCOPE = "https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly"
MAX_MEMBERS = 5000


class RosterError(Exception):
    """The roster could not be read; the message is meant for the teacher."""


@dataclass(frozen=True)
class RosterOutcome:
    """What a sync changed: learners added and removed, teachers added, members read."""

    added: int
    removed: int
    teachers: int
    members: int


def fetch_members(platform: LtiPlatform, memberships_url: str) -> list[dict]:
    """Every member the platform lists for the course (all pages). RosterError on failure."""
    from pylti1p3.names_roles import NamesRolesProvisioningService

    from quizapp.services.lti.tool import service_connector

    service = NamesRolesProvisioningService(
        service_connector(platform),
        {"context_memberships_url": memberships_url, "service_versions": ["2.0"]},
    )
    try:
        members = service.get_members()
    except Exception as error:  # the network, the token, the platform: all the LMS's side
        log.warning(
            "LTI roster of %s not read: %s: %s", memberships_url, type(error).__name__, error
        )
        raise RosterError(
            _(
                "The LMS did not give the course's roster. Try again later; an admin can "
                "check the platform's registration."
            )
        ) from None
    return [m for m in members if isinstance(m, dict)][:MAX_MEMBERS]


def sync_context(context: LtiContext) -> RosterOutcome:
    """Bring the class of `context` in line with its course's roster (the caller commits)."""
    platform = db.session.get(LtiPlatform, context.platform_id)
    assert platform is not None
    if not context.memberships_url:
        raise RosterError(_("The LMS does not offer this course's roster to quizapp."))
    members = fetch_members(platform, context.memberships_url)
    school_class = db.session.get(SchoolClass, context.class_id)
    assert school_class is not None
    begin_write()
    added = teachers = 0
    active_learners: set[int] = set()
    for member in members:
        subject = str(member.get("user_id") or "").strip()
        roles = [r for r in member.get("roles") or [] if isinstance(r, str)]
        if not subject or str(member.get("status") or "Active") != "Active":
            continue
        teaching = is_teaching(roles)
        if not teaching and not is_learner(roles):
            continue  # observers, mentors: not the class's
        name = (
            str(member.get("name") or "").strip()
            or " ".join(
                str(member.get(k) or "").strip() for k in ("given_name", "family_name")
            ).strip()
        )
        user = user_for(platform.issuer, subject, name, teaching)
        if teaching:
            teachers += join_as(school_class, user, classes.TEACHER)
        else:
            active_learners.add(user.id)
            if not school_class.archived:
                added += join_as(school_class, user, classes.LEARNER)
    # Learners of this LMS in the class who are no longer active members of the course.
    leaving = db.session.scalars(
        sa.select(ClassMembership)
        .join(LtiIdentity, LtiIdentity.user_id == ClassMembership.user_id)
        .where(
            ClassMembership.class_id == school_class.id,
            ClassMembership.role == classes.LEARNER,
            LtiIdentity.issuer == platform.issuer,
        )
    ).all()
    removed = 0
    for membership in leaving:
        if membership.user_id not in active_learners:
            db.session.delete(membership)
            removed += 1
    context.roster_synced_at = utcnow()
    db.session.flush()
    return RosterOutcome(added=added, removed=removed, teachers=teachers, members=len(members))


def sync_roster(user: User, school_class: SchoolClass) -> RosterOutcome:
    """A teacher's "sync the roster from the LMS" (the caller commits). NotFound/Forbidden as
    `classes.require_teaching`; RosterError when the class is not linked to a course or the
    LMS fails."""
    classes.require_teaching(user, school_class)
    context = linked_context(school_class)
    if context is None:
        raise RosterError(_("This class is not linked to an LMS course."))
    return sync_context(context)
