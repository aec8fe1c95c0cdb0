"""What a validated launch does in quizapp: the LMS user's account, the course's class, the
resource link's assignment.

- **Accounts**: an LMS user is the pair (issuer, subject); the first launch makes a quizapp
  account linked to it (`lti_identities`), named after the LMS name (a free variant when taken)
  with an unusable password: they sign in through the LMS. Never matched by name or e-mail: a
  quizapp user called "ana" and an LMS user called Ana are two people until proven otherwise.
  A teaching launch makes (or promotes to) a teacher account, never demotes.
- **Classes**: an LMS course (platform + context id) is linked to one class
  (`lti_contexts`), made on the first teaching launch, owned by that teacher; later teachers
  of the course become co-teachers, learners become its learners.
- **Links**: a resource link opens the assignment its deep link named (custom parameter
  `quizapp_assignment`), checked to belong to the course's class.
"""

from __future__ import annotations

import functools
import secrets

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from werkzeug.security import generate_password_hash

from quizapp.core.lti_claims import Launch, user_name_candidates
from quizapp.database import upgrade_to_write
from quizapp.extensions import db
from quizapp.models import (
    Assignment,
    ClassMembership,
    LtiContext,
    LtiIdentity,
    LtiPlatform,
    LtiResourceLink,
    SchoolClass,
    User,
)
from quizapp.services import classes
from quizapp.services.lti.errors import LaunchRefused

CLASS_NAME_MAX = 120


@functools.cache
def _unusable_password_hash() -> str:
    """The hash of a random secret this process drew and forgot: nobody knows the password,
    the account signs in through its LMS (an admin may still give it a one-time password).
    A real hash, so that a login tried against it takes as long as any other; made once per
    process, as hashing is deliberately slow."""
    return generate_password_hash(secrets.token_urlsafe(32))


def _free_name(name: str) -> str:
    for candidate in user_name_candidates(name):
        taken = db.session.scalar(
            sa.select(User.id).where(sa.func.lower(User.name) == candidate.lower())
        )
        if taken is None:
            return candidate
    raise AssertionError("unreachable")  # the candidates never end


def user_for(issuer: str, subject: str, name: str, teaching: bool) -> User:
    """The account linked to the LMS user (issuer, subject), made on first sight (the caller
    commits). A teaching launch makes the account a teacher's (an admin stays admin)."""
    upgrade_to_write()
    identity = db.session.scalar(
        sa.select(LtiIdentity).where(LtiIdentity.issuer == issuer, LtiIdentity.subject == subject)
    )
    if identity is not None:
        user = identity.user
    else:
        user = User(
            name=_free_name(name),
            password_hash=_unusable_password_hash(),
            role="teacher" if teaching else "student",
        )
        db.session.add(user)
        db.session.flush()
        try:
            with db.session.begin_nested():
                db.session.add(LtiIdentity(issuer=issuer, subject=subject, user_id=user.id))
        except IntegrityError:  # the same person's other launch made it a moment ago
            db.session.delete(user)
            identity = db.session.scalar(
                sa.select(LtiIdentity).where(
                    LtiIdentity.issuer == issuer, LtiIdentity.subject == subject
                )
            )
            assert identity is not None
            user = identity.user
    if teaching and not user.is_teacher:
        user.role = "teacher"
    db.session.flush()
    return user


def context_for(platform: LtiPlatform, launch: Launch) -> LtiContext | None:
    """The course's link to a class, if it has one."""
    if not launch.context_id:
        return None
    return db.session.scalar(
        sa.select(LtiContext).where(
            LtiContext.platform_id == platform.id, LtiContext.context_id == launch.context_id
        )
    )


def _class_name(launch: Launch) -> str:
    name = " ".join(launch.context_title.split())[:CLASS_NAME_MAX]
    return name or launch.context_id[:CLASS_NAME_MAX]


def link_course(platform: LtiPlatform, launch: Launch, user: User) -> LtiContext:
    """The course's class, joined by `user` in the launch's role (the caller commits).

    A teaching launch links a course seen for the first time to a new class it owns, and
    makes later teachers co-teachers; a learner joins the class as a learner. LaunchRefused
    when the launch names no course, or a learner comes before any teacher linked it.
    """
    if not launch.context_id:
        raise LaunchRefused("no_context")
    context = context_for(platform, launch)
    if context is None:
        if not launch.teaching:
            raise LaunchRefused("not_set_up")
        school_class = classes.create_class(user, _class_name(launch))
        context = LtiContext(
            platform_id=platform.id,
            context_id=launch.context_id,
            class_id=school_class.id,
            title=launch.context_title[:200],
        )
        db.session.add(context)
    if launch.memberships_url:
        context.memberships_url = launch.memberships_url[:1024]
    if launch.context_title:
        context.title = launch.context_title[:200]
    db.session.flush()
    school_class = db.session.get(SchoolClass, context.class_id)
    assert school_class is not None
    join_as(school_class, user, classes.TEACHER if launch.teaching else classes.LEARNER)
    return context


def join_as(school_class: SchoolClass, user: User, role: str) -> bool:
    """Make `user` a member of the class in `role` (learner or co-teacher) unless they are in
    it already (a teacher who is a learner there becomes a co-teacher). True when changed."""
    existing = classes.membership(user, school_class)
    if existing is not None:
        if role == classes.TEACHER and existing.role == classes.LEARNER:
            existing.role = classes.TEACHER
            db.session.flush()
            return True
        return False
    if role == classes.LEARNER and school_class.archived:
        raise LaunchRefused("archived")
    try:
        with db.session.begin_nested():
            db.session.add(ClassMembership(class_id=school_class.id, user_id=user.id, role=role))
    except IntegrityError:  # a second launch joined a moment ago
        return False
    return True


def link_resource(context: LtiContext, launch: Launch) -> LtiResourceLink:
    """The resource link's record with the assignment it opens and the launch's grade-service
    claim (the caller commits). LaunchRefused when the link names no assignment of the
    course's class."""
    link = db.session.scalar(
        sa.select(LtiResourceLink).where(
            LtiResourceLink.context_id == context.id,
            LtiResourceLink.resource_link_id == launch.resource_link_id,
        )
    )
    assignment_id = launch.assignment_id
    if assignment_id is None and link is not None:
        assignment_id = link.assignment_id
    assignment = db.session.get(Assignment, assignment_id) if assignment_id else None
    if assignment is None or assignment.class_id != context.class_id:
        raise LaunchRefused("not_linked")
    if link is None:
        link = LtiResourceLink(
            context_id=context.id,
            resource_link_id=launch.resource_link_id,
            assignment_id=assignment.id,
        )
        db.session.add(link)
    link.assignment_id = assignment.id
    if launch.ags and launch.ags.get("lineitem"):
        link.ags = {
            "lineitem": str(launch.ags["lineitem"]),
            "scope": [s for s in launch.ags.get("scope", []) if isinstance(s, str)],
        }
    db.session.flush()
    return link


def linked_context(school_class: SchoolClass) -> LtiContext | None:
    """The LMS course a class is linked to, if any."""
    return db.session.scalar(
        sa.select(LtiContext).where(LtiContext.class_id == school_class.id).limit(1)
    )
