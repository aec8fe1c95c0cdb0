"""Listings of classes, every count and aggregate in SQL: the classes a teacher teaches, the
classes a learner is in, a class's teachers, its learners page by page with their results per
bank. The rights are those of `services.classes` (which see)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import contains_eager

from quizapp.extensions import db
from quizapp.models import (
    CLASS_TEACHING_ROLES,
    Attempt,
    Bank,
    ClassMembership,
    SchoolClass,
    User,
)
from quizapp.services import permissions
from quizapp.services.attempt_modes import quiz_clause
from quizapp.services.classes import (
    LEARNER,
    OWNER,
    learner_id_select,
    require_member,
    require_teaching,
)


@dataclass(frozen=True)
class TaughtClass:
    """A class in its teacher's list: the class, the teacher's role in it, its learner count."""

    school_class: SchoolClass
    role: str
    learners: int


@dataclass(frozen=True)
class JoinedClass:
    """A class in a learner's list, with its teachers' names (owner first) and when they
    joined."""

    school_class: SchoolClass
    joined_at: dt.datetime
    teachers: list[str]


def taught_classes(user: User) -> list[TaughtClass]:
    """The classes `user` teaches (owns or co-teaches), open ones first, then by name, with
    their numbers of learners (counted in SQL). Forbidden for a student account."""
    permissions.require_teacher(user)
    learners = (
        db.select(db.func.count(ClassMembership.id))
        .where(ClassMembership.class_id == SchoolClass.id, ClassMembership.role == LEARNER)
        .correlate(SchoolClass)
        .scalar_subquery()
    )
    rows = db.session.execute(
        db.select(SchoolClass, ClassMembership.role, learners)
        .join(ClassMembership, ClassMembership.class_id == SchoolClass.id)
        .where(
            ClassMembership.user_id == user.id,
            ClassMembership.role.in_(CLASS_TEACHING_ROLES),
        )
        .order_by(SchoolClass.archived, db.func.lower(SchoolClass.name), SchoolClass.id)
    ).all()
    return [TaughtClass(school_class, role, count) for school_class, role, count in rows]


def _teacher_names(class_ids: list[int]) -> dict[int, list[str]]:
    """The teachers' names of each class (owner first, then by name), in one query."""
    if not class_ids:
        return {}
    rows = db.session.execute(
        db.select(ClassMembership.class_id, User.name)
        .join(User, User.id == ClassMembership.user_id)
        .where(
            ClassMembership.class_id.in_(class_ids),
            ClassMembership.role.in_(CLASS_TEACHING_ROLES),
        )
        .order_by(
            ClassMembership.class_id,
            sa.case((ClassMembership.role == OWNER, 0), else_=1),
            db.func.lower(User.name),
        )
    ).all()
    names: dict[int, list[str]] = {class_id: [] for class_id in class_ids}
    for class_id, name in rows:
        names[class_id].append(name)
    return names


def teacher_names(school_class: SchoolClass) -> list[str]:
    """The names of the class's teachers, owner first: what a join link shows whoever holds
    the code, before they join."""
    return _teacher_names([school_class.id])[school_class.id]


def joined_classes(user: User) -> list[JoinedClass]:
    """The open (not archived) classes `user` is a learner in, by name, with their teachers.
    Two queries, whatever the number of classes."""
    rows = db.session.execute(
        db.select(SchoolClass, ClassMembership.joined_at)
        .join(ClassMembership, ClassMembership.class_id == SchoolClass.id)
        .where(
            ClassMembership.user_id == user.id,
            ClassMembership.role == LEARNER,
            SchoolClass.archived.is_(False),
        )
        .order_by(db.func.lower(SchoolClass.name), SchoolClass.id)
    ).all()
    teachers = _teacher_names([school_class.id for school_class, _joined in rows])
    return [
        JoinedClass(school_class, joined_at, teachers[school_class.id])
        for school_class, joined_at in rows
    ]


def class_teachers(user: User, school_class: SchoolClass) -> list[ClassMembership]:
    """The class's owner and co-teachers (owner first, then by name), with their users loaded.
    For any member of the class (learners see who teaches them)."""
    require_member(user, school_class)
    return list(
        db.session.scalars(
            db.select(ClassMembership)
            .join(ClassMembership.user)
            .options(contains_eager(ClassMembership.user))
            .where(
                ClassMembership.class_id == school_class.id,
                ClassMembership.role.in_(CLASS_TEACHING_ROLES),
            )
            .order_by(
                sa.case((ClassMembership.role == OWNER, 0), else_=1), db.func.lower(User.name)
            )
        )
    )


def learners_page(user: User, school_class: SchoolClass, page: int, per_page: int):
    """A page of the class's learners by name: a Flask-SQLAlchemy Pagination of
    ClassMembership rows with `.user` loaded (the class's teachers only)."""
    require_teaching(user, school_class)
    query = (
        db.select(ClassMembership)
        .join(ClassMembership.user)
        .options(contains_eager(ClassMembership.user))
        .where(ClassMembership.class_id == school_class.id, ClassMembership.role == LEARNER)
        .order_by(db.func.lower(User.name), User.id)
    )
    return db.paginate(query, page=page, per_page=per_page, error_out=False)


@dataclass(frozen=True)
class BankResult:
    """A learner's finished attempts on one bank: how many, average and best percentage."""

    bank_id: int
    titles: dict[str, str]
    attempts: int
    average: float
    best: float

    def title(self, language: str) -> str:
        """The bank's title in a language, falling back to any title it has."""
        return self.titles.get(language) or next(iter(self.titles.values()), "?")


def learner_results(
    user: User, school_class: SchoolClass, learner_ids: list[int]
) -> dict[int, list[BankResult]]:
    """Per learner (of the given ids, such as one page of the class), their finished attempts
    per bank: count, average and best percentage (score / max score × 100), in one grouped SQL
    query. Every quiz counts, in or out of the class; spaced-practice sessions do not
    (`attempt_modes`);
    banks the teacher may not see are left out. The class's teachers only; ids that are not
    learners of the class are ignored."""
    require_teaching(user, school_class)
    if not learner_ids:
        return {}
    percentage = 100.0 * Attempt.score / db.func.nullif(Attempt.max_score, 0)
    totals = (
        db.select(
            Attempt.user_id.label("user_id"),
            Attempt.bank_id.label("bank_id"),
            db.func.count(Attempt.id).label("attempts"),
            db.func.avg(percentage).label("average"),
            db.func.max(percentage).label("best"),
        )
        .where(
            Attempt.user_id.in_(learner_ids),
            Attempt.user_id.in_(learner_id_select(school_class.id)),
            Attempt.finished_at.is_not(None),
            quiz_clause(),
        )
        .group_by(Attempt.user_id, Attempt.bank_id)
        .subquery()
    )
    # Grouped first, joined to the banks after: PostgreSQL cannot group by a JSON column.
    rows = db.session.execute(
        db.select(
            totals.c.user_id,
            Bank.id,
            Bank.titles,
            totals.c.attempts,
            totals.c.average,
            totals.c.best,
        )
        .select_from(Bank)
        .join(totals, totals.c.bank_id == Bank.id)
        .where(permissions.viewable_clause(user))
        .order_by(totals.c.user_id, Bank.slug)
    ).all()
    results: dict[int, list[BankResult]] = {}
    for user_id, bank_id, titles, count, average, best in rows:
        results.setdefault(user_id, []).append(
            BankResult(bank_id, titles, count, float(average or 0), float(best or 0))
        )
    return results
