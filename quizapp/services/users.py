"""Accounts: create users, check and change passwords, end sessions, roles and resets.

Every session and remember-me cookie carries the user's `session_version` (see
`User.get_id`); raising it ends them all at once. Logout, a password change and a reset do so.
The first teacher that `flask setup` makes is an admin.
"""

from __future__ import annotations

import functools
import re
import secrets

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError
from werkzeug.security import check_password_hash, generate_password_hash

from quizapp.database import WRITE_OPTION, begin_write, upgrade_to_write
from quizapp.extensions import db
from quizapp.models import ROLES, TEACHING_ROLES, User
from quizapp.services.passwords import MIN_LENGTH, one_time_password, password_problem
from quizapp.services.permissions import Actor, require_admin

NAME_PATTERN = re.compile(r"^[\w.\-]{3,64}$")
MIN_PASSWORD = MIN_LENGTH
# Werkzeug's default (scrypt, n=2**15, r=8, p=1), named so that a test can check it is used.
DEFAULT_HASH_METHOD = "scrypt"


class AccountError(ValueError):
    """A refused account change; the message is meant for the user."""


class WrongPasswordError(AccountError):
    """The current password given to confirm a change is wrong."""


def find_user(name: str) -> User | None:
    """The user with this name (names are compared case-insensitively)."""
    return db.session.scalar(db.select(User).where(db.func.lower(User.name) == name.lower()))


def create_user(name: str, password: str, role: str = "student") -> User:
    """Add a user with a hashed password (the caller commits).

    Raises AccountError for a bad or taken name, an unknown role, or a short or guessable
    password (see `check_password_strength`).
    """
    name = name.strip()
    if not NAME_PATTERN.match(name):
        raise AccountError(
            _("A user name has 3 to 64 letters, digits, dots, hyphens or underscores.")
        )
    if role not in ROLES:
        raise AccountError(_("The role must be one of: %(roles)s.", roles=", ".join(ROLES)))
    check_password_strength(password, name)
    # Hash before taking the write lock: it is the slow part.
    password_hash = hash_password(password)
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
        check_password_hash(_dummy_hash(_hash_method()), password)
        return None
    return user if check_password_hash(user.password_hash, password) else None


def check_password_strength(password: str, name: str) -> None:
    """Refuse a short or guessable password (the user's name counts as guessable).

    Raises AccountError with a translated message that says why.
    """
    problem = password_problem(password, user_inputs=[name, *re.split(r"[._\-]+", name)])
    if problem:
        raise AccountError(problem)


def change_password(user: User, current_password: str, new_password: str) -> None:
    """Replace the password after checking the current one (a one-time password too).

    Clears the one-time flag and ends every session and remember-me cookie of the user; the
    caller commits and, to stay logged in on this device, logs the user in again.
    Raises WrongPasswordError when the current password is wrong, AccountError when the new one
    equals it or is too weak.
    """
    if not check_password_hash(user.password_hash, current_password):
        raise WrongPasswordError(_("The current password is wrong."))
    if new_password == current_password:
        raise AccountError(_("The new password must differ from the current one."))
    check_password_strength(new_password, user.name)
    password_hash = hash_password(new_password)
    begin_write()
    user.password_hash = password_hash
    user.must_change_password = False
    end_all_sessions(user)


def end_all_sessions(user: User) -> None:
    """End every session and remember-me cookie of `user` (the caller commits).

    Raises the session version in SQL (`+ 1` in the UPDATE), so that two requests doing it at
    once both count; the attribute is reloaded on next access. Takes the write lock first
    unless the caller already holds it (a request that has only read so far, such as logout).
    """
    _hold_write_lock()
    user.session_version = User.session_version + 1
    db.session.flush()


def _hold_write_lock() -> None:
    session = db.session()
    if session.in_transaction() and session.connection().get_execution_options().get(WRITE_OPTION):
        return
    upgrade_to_write()


def ensure_teacher(name: str = "teacher") -> tuple[User, str] | None:
    """Create a first teacher, who is also admin, with a one-time password if there is no
    teacher yet."""
    if db.session.scalar(db.select(User.id).where(User.role.in_(TEACHING_ROLES)).limit(1)):
        return None
    while find_user(name) is not None:
        name = f"{name}{secrets.randbelow(1000)}"
    password = one_time_password()
    user = create_user(name, password, role="admin")
    user.must_change_password = True
    return user, password


def hash_password(password: str) -> str:
    """The stored form of a password: Werkzeug's salted hash with its default method (scrypt).

    Only an app with TESTING on may choose a cheaper method (PASSWORD_HASH_METHOD, e.g.
    "pbkdf2:sha256:1000"): the test suite creates and logs in thousands of users, and scrypt
    costs tens of milliseconds of CPU each time by design. Production ignores the setting.
    """
    return generate_password_hash(password, method=_hash_method())


def _hash_method() -> str:
    config = current_app.config
    if config.get("TESTING") and config.get("PASSWORD_HASH_METHOD"):
        return config["PASSWORD_HASH_METHOD"]
    return DEFAULT_HASH_METHOD


@functools.cache
def _dummy_hash(method: str) -> str:
    # Same method as real hashes, so that unknown names cost what wrong passwords cost.
    return generate_password_hash("not a real password", method=method)


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
    # Sessions carry what the role allowed: the user signs in again under the new role.
    end_all_sessions(user)


def reset_password(actor: Actor, user: User) -> str:
    """Give a user a new one-time password, which must be changed at the next login.

    Returns the password, to be shown once and never stored in clear (the caller commits).
    Ends every session and remember-me cookie of the user.
    """
    require_admin(actor)
    password = one_time_password()
    password_hash = hash_password(password)
    begin_write()
    user.password_hash = password_hash
    user.must_change_password = True
    end_all_sessions(user)
    return password
