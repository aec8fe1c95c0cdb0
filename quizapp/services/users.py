"""Accounts: create users, check passwords, make sure a first admin exists; roles and resets."""

from __future__ import annotations

import functools
import re
import secrets

from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError
from werkzeug.security import check_password_hash, generate_password_hash

from quizapp.database import begin_write
from quizapp.extensions import db
from quizapp.models import ROLES, TEACHING_ROLES, User
from quizapp.services.permissions import Actor, require_admin

NAME_PATTERN = re.compile(r"^[\w.\-]{3,64}$")
MIN_PASSWORD = 8


class AccountError(ValueError):
    """A refused account change; the message is meant for the user."""


def find_user(name: str) -> User | None:
    """The user with this name (names are compared case-insensitively)."""
    return db.session.scalar(db.select(User).where(db.func.lower(User.name) == name.lower()))


def create_user(name: str, password: str, role: str = "student") -> User:
    """Add a user with a hashed password (the caller commits)."""
    name = name.strip()
    if not NAME_PATTERN.match(name):
        raise AccountError(
            _("A user name has 3 to 64 letters, digits, dots, hyphens or underscores.")
        )
    if role not in ROLES:
        raise AccountError(_("The role must be one of: %(roles)s.", roles=", ".join(ROLES)))
    if len(password) < MIN_PASSWORD:
        raise AccountError(_("The password needs at least %(n)d characters.", n=MIN_PASSWORD))
    # Hash before taking the write lock: it is the slow part.
    password_hash = generate_password_hash(password)
    begin_write()
    if find_user(name) is not None:
        raise AccountError(_("That user name is taken."))
    user = User(name=name, role=role, password_hash=password_hash)
    db.session.add(user)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        raise AccountError(_("That user name is taken.")) from None
    return user


def authenticate(name: str, password: str) -> User | None:
    """The user if the password is right, else None (same answer for unknown names)."""
    user = find_user(name.strip())
    if user is None:
        # Hash anyway so that unknown names take as long as wrong passwords.
        check_password_hash(_dummy_hash(), password)
        return None
    return user if check_password_hash(user.password_hash, password) else None


def change_password(user: User, new_password: str) -> None:
    """Set a new password and clear the one-time flag (the caller commits)."""
    if len(new_password) < MIN_PASSWORD:
        raise AccountError(_("The password needs at least %(n)d characters.", n=MIN_PASSWORD))
    user.password_hash = generate_password_hash(new_password)
    user.must_change_password = False


def ensure_teacher(name: str = "teacher") -> tuple[User, str] | None:
    """Create a first teacher, who is also admin, with a one-time password if there is no
    teacher yet."""
    if db.session.scalar(db.select(User.id).where(User.role.in_(TEACHING_ROLES)).limit(1)):
        return None
    while find_user(name) is not None:
        name = f"{name}{secrets.randbelow(1000)}"
    password = secrets.token_urlsafe(12)
    user = create_user(name, password, role="admin")
    user.must_change_password = True
    return user, password


@functools.cache
def _dummy_hash() -> str:
    return generate_password_hash("not a real password")


# ---------------------------------------------------------------------------------------------
# Admin: roles and password resets (an admin in the browser, or the command-line operator)


def list_users(actor: Actor) -> list[User]:
    """Every account, by name (admins only)."""
    require_admin(actor)
    return list(db.session.scalars(db.select(User).order_by(db.func.lower(User.name))))


def set_role(actor: Actor, user: User, role: str) -> None:
    """Give a user another role (the caller commits).

    Refused when it would leave the site without an admin, so the last admin cannot demote
    themself (AccountError). The admins are counted under a write lock, so that two admins
    demoting each other at once cannot both pass the count.
    """
    require_admin(actor)
    if role not in ROLES:
        raise AccountError(_("The role must be one of: %(roles)s.", roles=", ".join(ROLES)))
    if user.role == role:
        return
    begin_write()
    db.session.refresh(user)
    if user.role == "admin" and role != "admin":
        # FOR UPDATE (PostgreSQL) makes a concurrent demotion wait and then see this one;
        # SQLite's BEGIN IMMEDIATE above already serialises writers.
        admins = db.session.scalars(
            db.select(User.id).where(User.role == "admin").with_for_update()
        ).all()
        if not [admin for admin in admins if admin != user.id]:
            raise AccountError(
                _("%(name)s is the last admin: make another admin first.", name=user.name)
            )
    user.role = role


def reset_password(actor: Actor, user: User) -> str:
    """Give a user a new one-time password, which must be changed at the next login.

    Returns the password, to be shown once and never stored in clear (the caller commits).
    """
    require_admin(actor)
    password = secrets.token_urlsafe(12)
    user.password_hash = generate_password_hash(password)
    user.must_change_password = True
    return password
