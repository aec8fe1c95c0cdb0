"""Who may do what with a bank, and with the accounts: the one place these rules are written.

Banks:
- A site bank (loaded from questions/, `managed_in == "folder"`) belongs to the site: every
  teacher may see it, export it and use it for quizzes; nobody edits it in the browser (an admin
  neither): it is edited through its files.
- A browser-made bank belongs to its owner. The owner and the co-editors the owner adds (other
  teachers) edit it; only the owner adds or removes co-editors (a co-editor may leave), publishes
  it, and deletes, archives or restores it.
- A published bank may be seen, exported and used for quizzes by every teacher and is offered to
  learners; an unpublished one exists only for its owner and co-editors (learners are not
  offered it, other teachers get "not found").
- An admin manages accounts and roles; for banks an admin is a teacher like any other.

Errors: `Forbidden` for students (the teachers' area is not theirs) and for a teacher who may see
the bank but not do this; `NotFound` for a teacher who may not even see it, so that the names of
other teachers' unpublished banks are not given away. The web layer turns them into 403 and 404.
"""

from __future__ import annotations

from typing import Protocol

import sqlalchemy as sa
from flask_babel import gettext as _

from quizapp.extensions import db
from quizapp.models import Bank, User, bank_editors


class NotFound(LookupError):
    """The thing does not exist for this user (shown as 404)."""


class Forbidden(PermissionError):
    """The user may not do this (shown as 403); the message says why."""


class Operator:
    """Whoever runs the command line on the server: may manage every account."""

    is_admin = True
    name = "(command line)"


OPERATOR = Operator()


class Actor(Protocol):
    """A user, or the command-line operator, as the account rules see them."""

    is_admin: bool


# ---------------------------------------------------------------------------------------------
# Questions (no exceptions)


def is_site_bank(bank: Bank) -> bool:
    """Whether the bank is loaded from questions/ (its files are its only editor)."""
    return bank.managed_in == "folder"


def is_owner(user: User, bank: Bank) -> bool:
    """Whether the user owns this browser-made bank (and is still a teacher)."""
    return user.is_teacher and not is_site_bank(bank) and bank.owner_id == user.id


def is_editor(user: User, bank: Bank) -> bool:
    """Whether the user owns the bank or is one of its co-editors (and is still a teacher)."""
    if not user.is_teacher or is_site_bank(bank):
        return False
    return bank.owner_id == user.id or any(editor.id == user.id for editor in bank.editors)


def can_view(user: User, bank: Bank) -> bool:
    """Whether the user may see the bank in the teachers' area (and export it)."""
    if not user.is_teacher:
        return False
    return is_site_bank(bank) or is_editor(user, bank) or (bank.published and not bank.archived)


def can_edit(user: User, bank: Bank) -> bool:
    """Whether the user may change the bank's content, import into it and answer suggestions."""
    return is_editor(user, bank)


def can_take(user: User | None, bank: Bank) -> bool:
    """Whether a quiz on this bank may be offered to and started by the user (None: a visitor)."""
    if bank.archived:
        return False
    if is_site_bank(bank) or bank.published:
        return True
    return user is not None and is_editor(user, bank)


def viewable_clause(user: User) -> sa.ColumnElement[bool]:
    """`can_view` as a SQL condition on Bank, for listings (the same rule, tested to agree)."""
    if not user.is_teacher:
        return sa.false()
    return sa.or_(
        Bank.managed_in == "folder",
        Bank.owner_id == user.id,
        Bank.id.in_(db.select(bank_editors.c.bank_id).where(bank_editors.c.user_id == user.id)),
        sa.and_(Bank.published.is_(True), Bank.archived.is_(False)),
    )


def offered_clause(user: User | None) -> sa.ColumnElement[bool]:
    """`can_take` as a SQL condition on Bank, for the quiz list."""
    offered = sa.or_(Bank.managed_in == "folder", Bank.published.is_(True))
    if user is not None and user.is_teacher:
        offered = sa.or_(
            offered,
            Bank.owner_id == user.id,
            Bank.id.in_(db.select(bank_editors.c.bank_id).where(bank_editors.c.user_id == user.id)),
        )
    return sa.and_(Bank.archived.is_(False), offered)


# ---------------------------------------------------------------------------------------------
# Requirements (raise NotFound or Forbidden)


def require_teacher(user: User) -> None:
    """Forbidden unless the user is a teacher (or an admin)."""
    if not user.is_teacher:
        raise Forbidden(_("This page is for teachers."))


def require_view(user: User, bank: Bank) -> None:
    """Forbidden for a student; NotFound for a teacher who may not see the bank."""
    require_teacher(user)
    if not can_view(user, bank):
        raise NotFound(bank.slug)


def require_edit(user: User, bank: Bank) -> None:
    """As `require_view`, then Forbidden when the bank is read-only for this teacher."""
    require_view(user, bank)
    if is_site_bank(bank):
        raise Forbidden(
            _(
                "This bank is kept in the folder questions/%(slug)s: it is edited through its "
                "files, not in the browser.",
                slug=bank.slug,
            )
        )
    if not can_edit(user, bank):
        raise Forbidden(_("Only the bank's owner and co-editors may change it."))


def require_owner(user: User, bank: Bank) -> None:
    """As `require_view`, then Forbidden unless the user owns the bank."""
    require_edit(user, bank)
    if not is_owner(user, bank):
        raise Forbidden(_("Only the bank's owner may do this."))


def require_take(user: User | None, bank: Bank) -> None:
    """NotFound unless a quiz on this bank is offered to the user."""
    if not can_take(user, bank):
        raise NotFound(bank.slug)


def require_admin(actor: Actor) -> None:
    """Forbidden unless the actor is an admin (or the command-line operator)."""
    if not actor.is_admin:
        raise Forbidden(_("Only an admin may manage accounts."))
