"""Classes, their members, assignments, overrides and the regrade log."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, WriteOnlyMapped, mapped_column, relationship

from quizapp.extensions import db
from quizapp.models.timestamps import utcnow

if TYPE_CHECKING:
    from quizapp.models.banks import Bank
    from quizapp.models.users import User


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
