"""Database tables (SQLAlchemy 2.0 style). Schema changes go through migrations/."""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, WriteOnlyMapped, mapped_column, relationship

from quizapp.extensions import db


def utcnow() -> dt.datetime:
    """The current time in UTC, stored without a zone (every stored time is UTC)."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


# An admin is a teacher who also manages accounts and roles (not other teachers' banks).
ROLES = ("student", "teacher", "admin")
TEACHING_ROLES = ("teacher", "admin")


class User(UserMixin, db.Model):
    """A learner, a teacher or an admin."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(String(256))
    role: Mapped[str] = mapped_column(String(16), default="student")
    locale: Mapped[str | None] = mapped_column(String(8))
    must_change_password: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    # Raised by logout, a password change and a reset: every session and remember-me cookie
    # carries the version it was made with (see get_id) and stops working when it changes.
    session_version: Mapped[int] = mapped_column(default=1, server_default="1")

    @property
    def is_teacher(self) -> bool:
        """Whether this user works in the teachers' area (a learner's history and attempts are
        read only by the teachers of a class they are in: services.classes.teaches_learner)."""
        return self.role in TEACHING_ROLES

    @property
    def is_admin(self) -> bool:
        """Whether this user manages accounts and roles."""
        return self.role == "admin"

    def get_id(self) -> str:
        """`"<id>:<session version>"`: what Flask-Login keeps in the session and signs into the
        remember-me cookie, so that both end when the version is raised."""
        return f"{self.id}:{self.session_version}"


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


class Attempt(db.Model):
    """One sitting of a quiz by one learner; its questions are frozen in its items."""

    __tablename__ = "attempts"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    bank_id: Mapped[int] = mapped_column(ForeignKey("banks.id"), index=True)
    language: Mapped[str] = mapped_column(String(8))
    settings: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    started_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    deadline: Mapped[dt.datetime | None]
    finished_at: Mapped[dt.datetime | None] = mapped_column(index=True)
    score: Mapped[float] = mapped_column(default=0.0)
    max_score: Mapped[float] = mapped_column(default=0.0)
    # The assignment this attempt answers (None: a quiz the learner chose); kept as None if the
    # assignment is deleted, so the learner's history stays.
    assignment_id: Mapped[int | None] = mapped_column(
        ForeignKey("assignments.id", ondelete="SET NULL"), index=True
    )

    user: Mapped[User] = relationship()
    bank: Mapped[Bank] = relationship()
    assignment: Mapped[Assignment | None] = relationship()
    items: Mapped[list[AttemptItem]] = relationship(
        back_populates="attempt", order_by="AttemptItem.position", cascade="all, delete-orphan"
    )

    @property
    def percentage(self) -> float:
        """Score as a percentage of the maximum."""
        return 100.0 * self.score / self.max_score if self.max_score else 0.0


class AttemptItem(db.Model):
    """A question of an attempt exactly as the learner saw it (stem, options, source)."""

    __tablename__ = "attempt_items"
    __table_args__ = (UniqueConstraint("attempt_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("attempts.id", ondelete="CASCADE"))
    position: Mapped[int]
    question_type: Mapped[str] = mapped_column(String(16))
    fact_key: Mapped[str] = mapped_column(String(128))
    question: Mapped[dict[str, Any]] = mapped_column(JSON)
    shown_at: Mapped[dt.datetime | None]
    # Flagged by the learner "for review": a mark to come back to, which changes no score.
    flagged: Mapped[bool] = mapped_column(default=False, server_default=sa.false())

    attempt: Mapped[Attempt] = relationship(back_populates="items")
    response: Mapped[Response | None] = relationship(
        back_populates="item", uselist=False, cascade="all, delete-orphan"
    )


class Response(db.Model):
    """The one answer given to an attempt item (unique per item: the first answer wins)."""

    __tablename__ = "responses"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(
        ForeignKey("attempt_items.id", ondelete="CASCADE"), unique=True
    )
    given: Mapped[Any] = mapped_column(JSON)
    normalised: Mapped[str] = mapped_column(Text, default="")
    correct: Mapped[bool] = mapped_column(default=False)
    points: Mapped[float] = mapped_column(default=0.0)
    answered_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    seconds_taken: Mapped[float | None]

    item: Mapped[AttemptItem] = relationship(back_populates="response")


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


# A member of a class is its owner (the teacher who made it: exactly one), a co-teacher the
# owner added, or a learner who joined with the code. Teaching rights also need a teacher
# account (User.is_teacher), re-read on each request, as for banks.
CLASS_ROLES = ("owner", "teacher", "learner")
CLASS_TEACHING_ROLES = ("owner", "teacher")


class SchoolClass(db.Model):
    """A class: teachers and learners, joined with its join code (services.classes)."""

    __tablename__ = "school_class"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    # Stored bare and upper case (services.classes.JOIN_CODE_ALPHABET); shown as "ABCD-EFGH".
    join_code: Mapped[str] = mapped_column(String(16), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    # An archived class takes no new learners and leaves its learners' lists; its teachers
    # still see it (and may restore it).
    archived: Mapped[bool] = mapped_column(default=False, server_default=sa.false())

    # Write-only: a class may hold a thousand learners; read them with a paginated query.
    memberships: WriteOnlyMapped[ClassMembership] = relationship(
        back_populates="school_class", cascade="all, delete-orphan", passive_deletes=True
    )


class ClassMembership(db.Model):
    """One user in one class, with their role there (CLASS_ROLES)."""

    __tablename__ = "class_membership"
    __table_args__ = (
        UniqueConstraint("class_id", "user_id"),
        sa.CheckConstraint("role IN ('owner', 'teacher', 'learner')", name="role"),
        # Exactly one owner per class (a partial unique index, on both databases).
        sa.Index(
            "uq_class_membership_one_owner",
            "class_id",
            unique=True,
            sqlite_where=sa.text("role = 'owner'"),
            postgresql_where=sa.text("role = 'owner'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    class_id: Mapped[int] = mapped_column(ForeignKey("school_class.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(16), default="learner")
    joined_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    school_class: Mapped[SchoolClass] = relationship(back_populates="memberships")
    user: Mapped[User] = relationship()

    @property
    def teaches(self) -> bool:
        """Whether this membership is a teaching one (owner or co-teacher)."""
        return self.role in CLASS_TEACHING_ROLES


class RateLimitCounter(db.Model):
    """One fixed-window rate-limit counter, shared by every worker that uses this database.

    Written only by `quizapp.rate_limits.SqlStorage`; `expires_at` is seconds since the epoch.
    """

    __tablename__ = "rate_limit_counters"

    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    count: Mapped[int] = mapped_column(default=0)
    expires_at: Mapped[float] = mapped_column(sa.Float, index=True)


class Assignment(db.Model):
    """A quiz given to a class with its settings (services.assignments, core.assignment_rules).

    Times are naive UTC; a None bound or attempts_allowed means none / unlimited. With
    same_questions, `questions` holds the one set every learner gets (Question dicts, frozen
    when the assignment was made; each attempt freezes its own copy as usual).
    """

    __tablename__ = "assignments"

    id: Mapped[int] = mapped_column(primary_key=True)
    class_id: Mapped[int] = mapped_column(
        ForeignKey("school_class.id", ondelete="CASCADE"), index=True
    )
    bank_id: Mapped[int] = mapped_column(ForeignKey("banks.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    language: Mapped[str] = mapped_column(String(8))
    types: Mapped[list[str]] = mapped_column(JSON, default=list)
    question_count: Mapped[int]
    time_limit_minutes: Mapped[int | None]
    opens_at: Mapped[dt.datetime | None]
    closes_at: Mapped[dt.datetime | None]
    attempts_allowed: Mapped[int | None]
    grading_method: Mapped[str] = mapped_column(String(16), default="highest")
    same_questions: Mapped[bool] = mapped_column(default=True)
    review: Mapped[str] = mapped_column(String(16), default="after_attempt")
    seed: Mapped[int] = mapped_column(default=0)
    # Deferred: lists of assignments (a learner's home page, a class's list) never parse the
    # frozen set; it is loaded when a start or a report reads it.
    questions: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON, deferred=True)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    bank: Mapped[Bank] = relationship()


class AssignmentOverride(db.Model):
    """One learner's own settings on an assignment (Moodle's user override): a later close,
    extra attempts, another time limit."""

    __tablename__ = "assignment_overrides"
    __table_args__ = (UniqueConstraint("assignment_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(ForeignKey("assignments.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    closes_at: Mapped[dt.datetime | None]
    extra_attempts: Mapped[int] = mapped_column(default=0)
    time_limit_minutes: Mapped[int | None]


class RegradeLog(db.Model):
    """One teacher's "mark this typed answer right" on an assignment and what it changed
    (services.regrade): the answer as learners typed it and its normalised form, whether it
    went into the bank's fact ("bank") or into the assignment's frozen questions only
    ("assignment"), and how many responses and attempts were regraded."""

    __tablename__ = "regrade_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(
        ForeignKey("assignments.id", ondelete="CASCADE"), index=True
    )
    # The teacher; kept as None if their account is deleted, so the log stays.
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    fact_key: Mapped[str] = mapped_column(String(128))
    answer: Mapped[str] = mapped_column(Text)
    normalised: Mapped[str] = mapped_column(Text)
    scope: Mapped[str] = mapped_column(String(16))
    responses_changed: Mapped[int] = mapped_column(default=0)
    attempts_changed: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
