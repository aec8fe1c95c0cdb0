"""Sharing banks: the teachers' bank list by relation, co-editors, publishing, orphaned banks.

The rules themselves are in `services.permissions`; this module changes who is who for a bank.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import gettext as _

from quizapp.extensions import db
from quizapp.models import Attempt, AuthoredQuestion, Bank, Fact, User
from quizapp.services import permissions
from quizapp.services.authoring import AuthoringError, touch
from quizapp.services.users import find_user


@dataclass(frozen=True)
class BankRow:
    """A bank in the teachers' list, with its counts."""

    bank: Bank
    facts: int
    questions: int
    attempts: int


@dataclass
class BankSections:
    """The banks a teacher may see, by their relation to the teacher."""

    mine: list[BankRow] = field(default_factory=list)
    shared: list[BankRow] = field(default_factory=list)
    published: list[BankRow] = field(default_factory=list)
    site: list[BankRow] = field(default_factory=list)

    def all(self) -> list[BankRow]:
        """Every row, section by section."""
        return self.mine + self.shared + self.published + self.site


def bank_sections(user: User) -> BankSections:
    """The banks `user` may see with their numbers of facts, questions and attempts (SQL counts):
    owned, shared with them as co-editor, published by other teachers, and site banks."""
    permissions.require_teacher(user)
    facts = (
        db.select(db.func.count(Fact.id))
        .where(Fact.bank_id == Bank.id, Fact.retired.is_(False))
        .scalar_subquery()
    )
    questions = (
        db.select(db.func.count(AuthoredQuestion.id))
        .where(AuthoredQuestion.bank_id == Bank.id, AuthoredQuestion.retired.is_(False))
        .scalar_subquery()
    )
    attempts = db.select(db.func.count(Attempt.id)).where(Attempt.bank_id == Bank.id)
    rows = db.session.execute(
        db.select(Bank, facts, questions, attempts.scalar_subquery())
        .where(permissions.viewable_clause(user))
        .order_by(Bank.archived, Bank.slug)
    ).all()
    sections = BankSections()
    for row in rows:
        bank_row = BankRow(*row)
        bank = bank_row.bank
        if permissions.is_site_bank(bank):
            sections.site.append(bank_row)
        elif permissions.is_owner(user, bank):
            sections.mine.append(bank_row)
        elif permissions.is_editor(user, bank):
            sections.shared.append(bank_row)
        else:
            sections.published.append(bank_row)
    return sections


def add_editor(user: User, bank: Bank, name: str) -> User:
    """Let another teacher, named by user name, edit the bank (owner only; the caller commits)."""
    permissions.require_owner(user, bank)
    editor = find_user(name.strip())
    if editor is None or not editor.is_teacher:
        raise AuthoringError([_("There is no teacher called %(name)s.", name=name.strip())])
    if editor.id == bank.owner_id:
        raise AuthoringError([_("The owner edits the bank already.")])
    if any(existing.id == editor.id for existing in bank.editors):
        raise AuthoringError([_("%(name)s is a co-editor already.", name=editor.name)])
    bank.editors.append(editor)
    db.session.flush()
    return editor


def remove_editor(user: User, bank: Bank, editor_id: int) -> None:
    """Take a co-editor off the bank: the owner may remove anyone, a co-editor only themself."""
    if editor_id != user.id:
        permissions.require_owner(user, bank)
    else:
        permissions.require_edit(user, bank)
    editor = next((e for e in bank.editors if e.id == editor_id), None)
    if editor is None:
        raise permissions.NotFound(str(editor_id))
    bank.editors.remove(editor)
    db.session.flush()


def set_published(user: User, bank: Bank, published: bool) -> None:
    """Publish a bank (offered to learners, readable by every teacher) or take it back."""
    permissions.require_owner(user, bank)
    bank.published = published
    touch(bank)


def adopt_orphan_banks(admin: User) -> int:
    """Give browser-made banks that have no owner (their owner's account is gone) to an admin.

    Returns how many were adopted (the caller commits).
    """
    if not admin.is_admin:
        raise permissions.Forbidden(_("Only an admin may manage accounts."))
    orphans = db.session.scalars(
        db.select(Bank).where(Bank.managed_in == "browser", Bank.owner_id.is_(None))
    ).all()
    for bank in orphans:
        bank.owner_id = admin.id
    return len(orphans)
