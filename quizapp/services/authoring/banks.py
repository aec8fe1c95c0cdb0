"""Authoring banks: create, update, remove (archive when attempts exist) and restore a bank made
in the browser; `slugify` (the ids made from titles and answers) and `touch` (the version bump
every authoring change makes, so the question pools of all workers rebuild)."""

from __future__ import annotations

import re

from flask_babel import gettext as _

from quizapp.core.values import strip_accents
from quizapp.extensions import db
from quizapp.models import Attempt, Bank, Fact, User
from quizapp.services import permissions
from quizapp.services.authoring.errors import AuthoringError


def slugify(text: str, limit: int = 48) -> str:
    """A lowercase, hyphenated ASCII id made from a text."""
    ascii_text = strip_accents(text).casefold()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")
    return slug[:limit].strip("-") or "item"


def touch(bank: Bank) -> None:
    """Mark the bank changed, so cached question pools are rebuilt everywhere."""
    bank.version = (bank.version or 0) + 1


def create_bank(
    user: User,
    *,
    slug: str,
    titles: dict[str, str],
    descriptions: dict[str, str],
    languages: list[str],
    subject: str,
    licence: str,
) -> Bank:
    """A new, empty, unpublished bank made in the browser, owned by `user` (the caller commits)."""
    permissions.require_teacher(user)
    slug = slugify(slug or titles.get("en") or next(iter(titles.values()), ""))
    if db.session.scalar(db.select(Bank.id).where(Bank.slug == slug)):
        raise AuthoringError([_("A bank with the id %(slug)s exists already.", slug=slug)])
    bank = Bank(
        slug=slug,
        titles=titles,
        descriptions=descriptions,
        languages=languages,
        subject=subject,
        licence=licence,
        pools={},
        managed_in="browser",
        created_by_id=user.id,
        owner_id=user.id,
        published=False,
        version=1,
    )
    db.session.add(bank)
    db.session.flush()
    return bank


def update_bank(
    user: User,
    bank: Bank,
    *,
    titles: dict[str, str],
    descriptions: dict[str, str],
    languages: list[str],
    subject: str,
    licence: str,
) -> None:
    """Change a bank's titles, descriptions and languages (the caller commits)."""
    permissions.require_edit(user, bank)
    used = set(
        db.session.scalars(
            db.select(Fact.language).where(Fact.bank_id == bank.id, Fact.retired.is_(False))
        )
    )
    missing = sorted(used - set(languages))
    if missing:
        raise AuthoringError(
            [
                _(
                    "The bank has facts in %(languages)s: keep those languages.",
                    languages=", ".join(missing),
                )
            ]
        )
    bank.titles = titles
    bank.descriptions = descriptions
    bank.languages = languages
    bank.subject = subject
    bank.licence = licence
    touch(bank)


def remove_bank(user: User, bank: Bank) -> str:
    """Delete a bank, or archive it when learners have attempts on it (history is kept).

    Only the owner may; returns "archived" or "deleted" (the caller commits).
    """
    permissions.require_owner(user, bank)
    has_attempts = db.session.scalar(
        db.select(db.func.count(Attempt.id)).where(Attempt.bank_id == bank.id)
    )
    if has_attempts:
        bank.archived = True
        touch(bank)
        return "archived"
    db.session.delete(bank)
    return "deleted"


def restore_bank(user: User, bank: Bank) -> None:
    """Bring an archived bank back to learners (only its owner may)."""
    permissions.require_owner(user, bank)
    bank.archived = False
    touch(bank)
