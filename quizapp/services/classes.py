"""Classes: a teacher's class with its join code, its co-teachers and its learners (the
listings are in `services.class_lists`).

Who may do what (enforced here, whatever the view did first):
- Any teacher account creates a class and becomes its **owner** (one per class).
- The class's **teachers** (the owner and the co-teachers) see it, rename it, rotate its join
  code, see and remove its learners. Only the **owner** adds or removes co-teachers and archives
  or restores the class: the same split as a bank's owner and co-editors. A co-teacher may leave;
  the owner may not (archive the class instead), so a class always has its owner.
- Any logged-in user joins a class as a **learner** with its code, and may leave it.
- Teaching rights need a teacher account too, re-read on each request: a co-teacher demoted to
  student loses them at once. An admin is a teacher like any other here.
- Everyone else does not see the class at all: `NotFound` (404) for a user who is not a member
  (a student, a teacher of another class, an admin), so a class's name is not given away;
  `Forbidden` (403, with the reason) for a member without the right (a learner, a co-teacher
  doing an owner's action). `ClassError` is a refusal to show as a message (a bad name, an
  unknown code, no such teacher, ...). Services flush; the caller commits.

Join codes: JOIN_CODE_LENGTH characters from JOIN_CODE_ALPHABET, which leaves out the
characters people confuse (0/O, 1/I/L, and U/V), drawn with `secrets` (about 6.6 × 10^11
codes; a code is unique among all classes). Typed codes are read case-insensitively, with
spaces, hyphens and dashes ignored and full-width letters folded (NFKC).
"""

from __future__ import annotations

import secrets
import unicodedata
from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased

from quizapp.database import upgrade_to_write
from quizapp.extensions import db
from quizapp.models import (
    CLASS_TEACHING_ROLES,
    ClassMembership,
    SchoolClass,
    User,
)
from quizapp.services import permissions
from quizapp.services.permissions import Forbidden, NotFound
from quizapp.services.users import find_user

# No 0/O, 1/I/L, nor U (read as V): 30 characters, so 30^8 ≈ 6.6 × 10^11 codes of 8.
JOIN_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
JOIN_CODE_LENGTH = 8
# Typed codes longer than this are not read at all (a code with a space or hyphen per letter
# is still shorter).
MAX_TYPED_CODE = 64
NAME_MAX = 120
# Tries at drawing an unused code before giving up (each collides with probability
# classes / 6.6 × 10^11: never in practice).
_CODE_TRIES = 10
LEARNER, TEACHER, OWNER = "learner", "teacher", "owner"


class ClassError(Exception):
    """A refusal to show the user as a message: what was wrong and what to do instead."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# ---------------------------------------------------------------------------------------------
# Join codes


def _random_code() -> str:
    return "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(JOIN_CODE_LENGTH))


def new_join_code() -> str:
    """A random join code no class has (checked in the database; the unique constraint on
    `school_class.join_code` stands behind the check).

    Raises RuntimeError when _CODE_TRIES draws all collide (which would take billions of
    classes)."""
    for _try in range(_CODE_TRIES):
        code = _random_code()
        taken = db.session.scalar(db.select(SchoolClass.id).where(SchoolClass.join_code == code))
        if taken is None:
            return code
    raise RuntimeError("no unused join code found")


def normalise_code(typed: str) -> str | None:
    """A typed join code as stored: full-width forms folded (NFKC), spaces and dashes of any
    kind dropped, upper case. None when what is left is not a code of the alphabet's
    characters and the right length (or the text is longer than MAX_TYPED_CODE)."""
    if not isinstance(typed, str) or len(typed) > MAX_TYPED_CODE:
        return None
    folded = unicodedata.normalize("NFKC", typed)
    code = "".join(
        ch for ch in folded if not ch.isspace() and unicodedata.category(ch) != "Pd"
    ).upper()
    if len(code) != JOIN_CODE_LENGTH or any(ch not in JOIN_CODE_ALPHABET for ch in code):
        return None
    return code


def format_code(code: str) -> str:
    """A join code as shown to people: two groups of four, "ABCD-EFGH"."""
    half = len(code) // 2
    return f"{code[:half]}-{code[half:]}"


def find_by_code(typed: str) -> SchoolClass | None:
    """The class whose join code this is (typed in any case, with spaces or hyphens), archived
    or not; None when the text is not a code or no class has it."""
    code = normalise_code(typed)
    if code is None:
        return None
    return db.session.scalar(db.select(SchoolClass).where(SchoolClass.join_code == code))


# ---------------------------------------------------------------------------------------------
# Rights


def membership(user: User, school_class: SchoolClass) -> ClassMembership | None:
    """The user's membership of the class (any role), or None."""
    return db.session.scalar(
        db.select(ClassMembership).where(
            ClassMembership.class_id == school_class.id, ClassMembership.user_id == user.id
        )
    )


def teaches(user: User, school_class: SchoolClass) -> bool:
    """Whether the user is one of the class's teachers (owner or co-teacher, teacher account)."""
    found = membership(user, school_class)
    return found is not None and found.teaches and user.is_teacher


def require_member(user: User, school_class: SchoolClass) -> ClassMembership:
    """The user's membership; NotFound when they are not in the class at all."""
    found = membership(user, school_class)
    if found is None:
        raise NotFound(str(school_class.id))
    return found


def require_teaching(user: User, school_class: SchoolClass) -> ClassMembership:
    """As `require_member`, then Forbidden unless the user teaches the class."""
    found = require_member(user, school_class)
    if not found.teaches:
        raise Forbidden(_("Only the class's teachers may do this."))
    permissions.require_teacher(user)
    return found


def require_owner(user: User, school_class: SchoolClass) -> ClassMembership:
    """As `require_teaching`, then Forbidden unless the user owns the class."""
    found = require_teaching(user, school_class)
    if found.role != OWNER:
        raise Forbidden(_("Only the class's owner may do this."))
    return found


def get_class(user: User, class_id: int, need: str = "teach") -> SchoolClass:
    """The class with this id if `user` has the right `need`: "member" (any role), "teach"
    (owner or co-teacher) or "owner". NotFound when there is no such class."""
    school_class = db.session.get(SchoolClass, class_id)
    if school_class is None:
        raise NotFound(str(class_id))
    REQUIREMENTS[need](user, school_class)
    return school_class


REQUIREMENTS = {"member": require_member, "teach": require_teaching, "owner": require_owner}


def taught_clause(user: User) -> sa.ColumnElement[bool]:
    """A SQL condition on SchoolClass: the classes `user` teaches (for later listings, such as
    a teacher's assignments; false for a student account)."""
    if not user.is_teacher:
        return sa.false()
    return SchoolClass.id.in_(
        db.select(ClassMembership.class_id).where(
            ClassMembership.user_id == user.id, ClassMembership.role.in_(CLASS_TEACHING_ROLES)
        )
    )


def teaches_learner(user: User, learner_id: int) -> bool:
    """Whether `user` may read the learner's history and attempts as their teacher: a teacher
    account (admins included) that owns or co-teaches a class, archived or not, in which
    `learner_id` is a learner. One EXISTS on class_membership; False for anyone else (a
    teacher of other classes only, a student)."""
    if not user.is_teacher:
        return False
    taught = aliased(ClassMembership)
    learned = aliased(ClassMembership)
    return bool(
        db.session.scalar(
            db.select(
                sa.exists().where(
                    taught.user_id == user.id,
                    taught.role.in_(CLASS_TEACHING_ROLES),
                    learned.class_id == taught.class_id,
                    learned.user_id == learner_id,
                    learned.role == LEARNER,
                )
            )
        )
    )


def learner_id_select(class_id: int) -> sa.Select:
    """A SELECT of the user ids of the class's learners (for IN clauses and joins in SQL)."""
    return db.select(ClassMembership.user_id).where(
        ClassMembership.class_id == class_id, ClassMembership.role == LEARNER
    )


# ---------------------------------------------------------------------------------------------
# Teachers' changes


def _clean_name(name: str) -> str:
    cleaned = " ".join((name or "").split())
    if not cleaned:
        raise ClassError(_("Give the class a name."))
    if len(cleaned) > NAME_MAX:
        raise ClassError(_("A class name has at most %(max)d characters.", max=NAME_MAX))
    return cleaned


def create_class(user: User, name: str) -> SchoolClass:
    """A new class named `name` (spaces collapsed, 1 to NAME_MAX characters) with a fresh join
    code, owned by `user`. Forbidden for a student; ClassError for a bad name."""
    permissions.require_teacher(user)
    school_class = SchoolClass(name=_clean_name(name), join_code=new_join_code())
    db.session.add(school_class)
    db.session.flush()
    db.session.add(ClassMembership(class_id=school_class.id, user_id=user.id, role=OWNER))
    db.session.flush()
    return school_class


def rename_class(user: User, school_class: SchoolClass, name: str) -> None:
    """Give the class another name (its teachers)."""
    require_teaching(user, school_class)
    school_class.name = _clean_name(name)
    db.session.flush()


def rotate_code(user: User, school_class: SchoolClass) -> str:
    """Give the class a new join code (its teachers); the old one stops working at once.
    Returns the new code. Learners who joined stay."""
    require_teaching(user, school_class)
    school_class.join_code = new_join_code()
    db.session.flush()
    return school_class.join_code


def set_archived(user: User, school_class: SchoolClass, archived: bool) -> None:
    """Archive the class (it takes no new learners and leaves its learners' lists) or restore
    it (the owner only)."""
    require_owner(user, school_class)
    school_class.archived = archived
    db.session.flush()


def remove_learner(user: User, school_class: SchoolClass, learner_id: int) -> User:
    """Take a learner out of the class (its teachers). NotFound when `learner_id` is not a
    learner of this class. Their attempts stay in their history. Returns the learner."""
    require_teaching(user, school_class)
    found = db.session.scalar(
        db.select(ClassMembership).where(
            ClassMembership.class_id == school_class.id,
            ClassMembership.user_id == learner_id,
            ClassMembership.role == LEARNER,
        )
    )
    if found is None:
        raise NotFound(str(learner_id))
    learner = found.user
    db.session.delete(found)
    db.session.flush()
    return learner


def add_teacher(user: User, school_class: SchoolClass, name: str) -> User:
    """Make another teacher, named by user name (any case), a co-teacher of the class (the
    owner only). ClassError when there is no teacher account of that name, or they teach the
    class already, or they are one of its learners (remove them as a learner first)."""
    require_owner(user, school_class)
    name = (name or "").strip()
    teacher = find_user(name) if name else None
    if teacher is None or not teacher.is_teacher:
        raise ClassError(_("There is no teacher called %(name)s.", name=name))
    existing = membership(teacher, school_class)
    if existing is not None and existing.role == OWNER:
        raise ClassError(_("%(name)s owns this class already.", name=teacher.name))
    if existing is not None and existing.role == TEACHER:
        raise ClassError(_("%(name)s teaches this class already.", name=teacher.name))
    if existing is not None:
        raise ClassError(
            _(
                "%(name)s is a learner in this class: remove them as a learner first.",
                name=teacher.name,
            )
        )
    db.session.add(ClassMembership(class_id=school_class.id, user_id=teacher.id, role=TEACHER))
    db.session.flush()
    return teacher


def remove_teacher(user: User, school_class: SchoolClass, teacher_id: int) -> None:
    """Take a co-teacher off the class (the owner only; a co-teacher leaves with
    `leave_class`). NotFound when `teacher_id` is not a co-teacher of the class."""
    require_owner(user, school_class)
    found = db.session.scalar(
        db.select(ClassMembership).where(
            ClassMembership.class_id == school_class.id,
            ClassMembership.user_id == teacher_id,
            ClassMembership.role == TEACHER,
        )
    )
    if found is None:
        raise NotFound(str(teacher_id))
    db.session.delete(found)
    db.session.flush()


def leave_class(user: User, school_class: SchoolClass) -> str:
    """Leave the class (a learner or a co-teacher). Returns the role the user had.

    NotFound when the user is not in the class; ClassError for the owner, who archives the
    class instead (a class never loses its owner)."""
    found = require_member(user, school_class)
    if found.role == OWNER:
        raise ClassError(
            _("You own this class, so you cannot leave it; archive it when it is over.")
        )
    role = found.role
    db.session.delete(found)
    db.session.flush()
    return role


# ---------------------------------------------------------------------------------------------
# Joining


@dataclass(frozen=True)
class JoinOutcome:
    """What joining with a code did: `joined` is False when the user was in the class already
    (then `role` is the role they have there: joining twice changes nothing)."""

    school_class: SchoolClass
    joined: bool
    role: str


def class_to_join(typed: str) -> SchoolClass:
    """The class a typed code opens, for the confirmation page. ClassError when no class has
    this code (or it was rotated away), or the class is archived."""
    school_class = find_by_code(typed)
    if school_class is None:
        raise ClassError(
            _(
                "No class has the code %(code)s. Check it with your teacher.",
                code=typed.strip()[:MAX_TYPED_CODE],
            )
        )
    if school_class.archived:
        raise ClassError(
            _("The class %(name)s is archived: it takes no new learners.", name=school_class.name)
        )
    return school_class


def join_class(user: User, typed: str) -> JoinOutcome:
    """Join the class of this code as a learner (any logged-in user).

    ClassError as `class_to_join`. Joining a class one is in already (as a learner or one of
    its teachers) changes nothing and says so in the outcome; two requests racing to join are
    one join (the unique (class, user) pair decides)."""
    school_class = class_to_join(typed)
    # SQLite: take the write lock before the check, so the check and the insert are one step.
    upgrade_to_write()
    existing = membership(user, school_class)
    if existing is not None:
        return JoinOutcome(school_class, False, existing.role)
    try:
        with db.session.begin_nested():
            db.session.add(ClassMembership(class_id=school_class.id, user_id=user.id, role=LEARNER))
    except IntegrityError:
        existing = membership(user, school_class)
        return JoinOutcome(school_class, False, existing.role if existing else LEARNER)
    return JoinOutcome(school_class, True, LEARNER)
