"""Accounts: learners, teachers and admins."""

from __future__ import annotations

import datetime as dt

from flask_login import UserMixin
from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from quizapp.extensions import db
from quizapp.models.timestamps import utcnow

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
    # Practice (issue 12): the probability of recall FSRS schedules reviews for (0.80 .. 0.97,
    # services.memory), and how many facts never seen a practice session may start a day.
    desired_retention: Mapped[float] = mapped_column(default=0.9, server_default="0.9")
    daily_new_facts: Mapped[int] = mapped_column(default=20, server_default="20")

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
