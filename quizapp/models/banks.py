"""A question bank as stored: sources, passages, facts, hand-written questions, imports."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from quizapp.extensions import db
from quizapp.models.timestamps import utcnow

if TYPE_CHECKING:
    from quizapp.models.users import User


# Co-editors of a browser-made bank: teachers the owner lets edit it (the owner is not listed).
bank_editors = sa.Table(
    "bank_editors",
    db.metadata,
    sa.Column("bank_id", sa.Integer, ForeignKey("banks.id", ondelete="CASCADE"), primary_key=True),
    sa.Column(
        "user_id",
        sa.Integer,
        ForeignKey("users.id", ondelete="CASCADE"),
        primary_key=True,
        index=True,
    ),
)


class Bank(db.Model):
    """A question bank as stored: its manifest; sources and facts hang from it."""

    __tablename__ = "banks"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    titles: Mapped[dict[str, str]] = mapped_column(JSON)
    descriptions: Mapped[dict[str, str]] = mapped_column(JSON)
    languages: Mapped[list[str]] = mapped_column(JSON)
    subject: Mapped[str] = mapped_column(String(64), default="")
    licence: Mapped[str] = mapped_column(Text, default="")
    pools: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    content_hash: Mapped[str] = mapped_column(String(64), default="")
    version: Mapped[int] = mapped_column(default=1)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    # "folder": loaded from questions/<slug>/ (the files win); "browser": made by a teacher.
    managed_in: Mapped[str] = mapped_column(String(16), default="folder", server_default="folder")
    archived: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # A browser-made bank belongs to its owner; site banks (managed_in "folder") have none.
    owner_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    # Published: other teachers may see and export it, and learners are offered it.
    published: Mapped[bool] = mapped_column(default=False, server_default=sa.false())

    owner: Mapped[User | None] = relationship(foreign_keys=[owner_id])
    editors: Mapped[list[User]] = relationship(secondary=bank_editors, order_by="User.name")
    sources: Mapped[list[Source]] = relationship(
        back_populates="bank", order_by="Source.position", cascade="all, delete-orphan"
    )

    def title(self, language: str) -> str:
        """The title in a language, falling back to any title the bank has."""
        return self.titles.get(language) or next(iter(self.titles.values()), self.slug)


class Source(db.Model):
    """A source document of a bank."""

    __tablename__ = "sources"

    id: Mapped[int] = mapped_column(primary_key=True)
    bank_id: Mapped[int] = mapped_column(ForeignKey("banks.id", ondelete="CASCADE"), index=True)
    slug: Mapped[str] = mapped_column(String(128), unique=True)
    title: Mapped[str] = mapped_column(String(256))
    language: Mapped[str] = mapped_column(String(8))
    origin: Mapped[str] = mapped_column(Text)
    licence: Mapped[str] = mapped_column(Text)
    attribution: Mapped[str] = mapped_column(Text)
    cleaning: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(default=0)
    managed_in: Mapped[str] = mapped_column(String(16), default="folder", server_default="folder")

    bank: Mapped[Bank] = relationship(back_populates="sources")
    passages: Mapped[list[Passage]] = relationship(
        back_populates="source", order_by="Passage.position", cascade="all, delete-orphan"
    )


class Passage(db.Model):
    """A passage of a source, by its stable anchor."""

    __tablename__ = "passages"
    __table_args__ = (UniqueConstraint("source_id", "anchor"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id", ondelete="CASCADE"))
    anchor: Mapped[str] = mapped_column(String(64))
    text: Mapped[str] = mapped_column(Text)
    position: Mapped[int] = mapped_column(default=0)

    source: Mapped[Source] = relationship(back_populates="passages")

    @property
    def full_id(self) -> str:
        """`<document>#<anchor>`, as facts and links name it."""
        return f"{self.source.slug}#{self.anchor}"


class Fact(db.Model):
    """A curated fact, anchored to its evidence in one passage."""

    __tablename__ = "facts"
    __table_args__ = (UniqueConstraint("bank_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    bank_id: Mapped[int] = mapped_column(ForeignKey("banks.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(128))
    passage_id: Mapped[int] = mapped_column(ForeignKey("passages.id", ondelete="CASCADE"))
    language: Mapped[str] = mapped_column(String(8), index=True)
    topic: Mapped[str] = mapped_column(String(128))
    kind: Mapped[str] = mapped_column(String(16))
    statement: Mapped[str] = mapped_column(Text)
    answer: Mapped[str] = mapped_column(String(256))
    alternatives: Mapped[list[str]] = mapped_column(JSON, default=list)
    stems: Mapped[list[str]] = mapped_column(JSON, default=list)
    label: Mapped[str | None] = mapped_column(String(256))
    tolerance: Mapped[float] = mapped_column(default=0.0)
    exclude_distractors: Mapped[list[str]] = mapped_column(JSON, default=list)
    evidence_text: Mapped[str] = mapped_column(Text)
    evidence_start: Mapped[int]
    evidence_end: Mapped[int]
    note: Mapped[str | None] = mapped_column(Text)
    source_garbled: Mapped[bool] = mapped_column(default=False)
    retired: Mapped[bool] = mapped_column(default=False)
    managed_in: Mapped[str] = mapped_column(String(16), default="folder", server_default="folder")
    # Set when an edit of its source moved or removed the evidence: a teacher must look again.
    needs_review: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    review_reason: Mapped[str | None] = mapped_column(Text)
    # The answer's fine-grained category under its kind, and its grammar in the statement
    # (docs/bank-format.md): wrong options and true/false swaps come from the same category.
    category: Mapped[str | None] = mapped_column(String(64))
    gender: Mapped[str | None] = mapped_column(String(1))
    number: Mapped[str] = mapped_column(String(16), default="singular", server_default="singular")
    # A date or year that is when an event happened: only these are put in order.
    is_event: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    false_statements: Mapped[list[str]] = mapped_column(JSON, default=list, server_default="[]")
    # Question types a curator chose never to ask this fact as (docs/bank-format.md).
    skip_types: Mapped[list[str]] = mapped_column(JSON, default=list, server_default="[]")

    passage: Mapped[Passage] = relationship()


class AuthoredQuestion(db.Model):
    """A hand-written or imported question (core.authored.AuthoredQuestion as JSON)."""

    __tablename__ = "authored_questions"
    __table_args__ = (UniqueConstraint("bank_id", "fingerprint"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    bank_id: Mapped[int] = mapped_column(ForeignKey("banks.id", ondelete="CASCADE"), index=True)
    question_type: Mapped[str] = mapped_column(String(16))
    stem: Mapped[str] = mapped_column(Text)
    language: Mapped[str] = mapped_column(String(8))
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    fingerprint: Mapped[str] = mapped_column(String(64))
    passage_id: Mapped[int | None] = mapped_column(ForeignKey("passages.id", ondelete="SET NULL"))
    origin: Mapped[str] = mapped_column(String(16), default="browser")
    retired: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    passage: Mapped[Passage | None] = relationship()


class RejectedSuggestion(db.Model):
    """A suggested fact a teacher turned down, so it is not suggested again."""

    __tablename__ = "rejected_suggestions"
    __table_args__ = (UniqueConstraint("source_id", "passage_anchor", "answer"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id", ondelete="CASCADE"))
    passage_anchor: Mapped[str] = mapped_column(String(64))
    answer: Mapped[str] = mapped_column(String(256))


class PendingImport(db.Model):
    """A parsed import waiting for the teacher to confirm it after the preview."""

    __tablename__ = "pending_imports"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    bank_id: Mapped[int] = mapped_column(ForeignKey("banks.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    file_format: Mapped[str] = mapped_column(String(16))
    filename: Mapped[str] = mapped_column(String(256))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
