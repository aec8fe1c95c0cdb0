"""Classes, through the service: join codes, joining, rotation, learners, co-teachers, listings
and who may do what (`quizapp.services.classes`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from sqlalchemy.exc import IntegrityError

from quizapp.extensions import db
from quizapp.models import Attempt, Bank, ClassMembership, SchoolClass, User
from quizapp.services import class_lists, classes
from quizapp.services.classes import (
    JOIN_CODE_ALPHABET,
    JOIN_CODE_LENGTH,
    ClassError,
    format_code,
    normalise_code,
)
from quizapp.services.permissions import Forbidden, NotFound
from tests.conftest import make_user

AMBIGUOUS = "0O1IlLU"


# ---------------------------------------------------------------------------------------------
# Join codes (no database)


def test_the_alphabet_leaves_out_every_ambiguous_character():
    assert not set(AMBIGUOUS) & set(JOIN_CODE_ALPHABET)
    assert len(set(JOIN_CODE_ALPHABET)) == len(JOIN_CODE_ALPHABET) == 30
    assert JOIN_CODE_ALPHABET.upper() == JOIN_CODE_ALPHABET


def test_random_codes_use_only_the_alphabet_and_do_not_repeat():
    codes = [classes._random_code() for _ in range(3000)]
    assert all(len(code) == JOIN_CODE_LENGTH == 8 for code in codes)
    assert set("".join(codes)) == set(JOIN_CODE_ALPHABET)  # every character is used
    assert len(set(codes)) == len(codes)


@pytest.mark.parametrize(
    "typed",
    [
        "ABCD-EFGH",
        "abcdefgh",
        "abcd efgh",
        " AbCd-eFgH ",
        "ab cd - ef gh",
        "ABCD\u2013EFGH",  # an en dash, as a phone's keyboard may turn the hyphen into
        "ABCD\u2011EFGH",  # a non-breaking hyphen, as copied from a page
        "ＡＢＣＤ－ＥＦＧＨ",  # full-width letters and hyphen
        "abcd\tefgh\n",
    ],
)
def test_a_typed_code_is_read_in_any_case_with_spaces_and_hyphens(typed):
    assert normalise_code(typed) == "ABCDEFGH"


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "ABCDEFG",
        "ABCDEFGHJ",
        "ABCD0FGH",
        "ABCDOFGH",
        "ABCD1FGH",
        "abcdlfgh",
        "ABCD_EFGH",
        "ABCD.EFGH",
        "ÀBCDEFGH",
        "A" * 65,
        "-" * 60 + "ABCDEFGH",
    ],
)
def test_anything_else_is_not_a_code(typed):
    assert normalise_code(typed) is None


def test_codes_are_shown_in_two_groups():
    assert format_code("ABCDEFGH") == "ABCD-EFGH"
    assert normalise_code(format_code("ABCDEFGH")) == "ABCDEFGH"


# ---------------------------------------------------------------------------------------------
# A small world


NAMES = {
    "owner": ("duena", "teacher"),
    "coteacher": ("coprofe", "teacher"),
    "outsider": ("ajena", "teacher"),
    "admin": ("jefa", "admin"),
    "learner": ("miembro", "student"),
    "student": ("ana", "student"),
    "spare": ("tomas", "student"),
}


@dataclass
class World:
    """A class owned by `owner`, co-taught by `coteacher`, with `learner` in it; `outsider`
    owns another class."""

    users: dict[str, User]
    school_class: SchoolClass
    other_class: SchoolClass

    def __getattr__(self, who: str) -> User:
        return self.users[who]


@pytest.fixture
def world(app):
    ids = {who: make_user(app, name, role) for who, (name, role) in NAMES.items()}
    with app.app_context():
        users = {who: db.session.get(User, user_id) for who, user_id in ids.items()}
        school_class = classes.create_class(users["owner"], "3º B")
        classes.add_teacher(users["owner"], school_class, "coprofe")
        classes.join_class(users["learner"], school_class.join_code)
        other = classes.create_class(users["outsider"], "4º A")
        db.session.commit()
        yield World(users, school_class, other)


def test_a_teacher_creates_a_class_and_owns_it(world):
    school_class = classes.create_class(world.owner, "  Historia   1º  ")
    assert school_class.name == "Historia 1º"
    assert normalise_code(school_class.join_code) == school_class.join_code
    assert classes.membership(world.owner, school_class).role == "owner"
    assert classes.teaches(world.owner, school_class)
    with pytest.raises(Forbidden):
        classes.create_class(world.student, "Mine")
    for bad in ("", "   ", "x" * 121):
        with pytest.raises(ClassError):
            classes.create_class(world.owner, bad)
    classes.create_class(world.admin, "An admin's class")  # an admin is a teacher too


def test_new_codes_are_unique_even_when_the_draw_collides(world, monkeypatch):
    taken = world.school_class.join_code
    draws = iter([taken, world.other_class.join_code, "ZZZZZZZZ"])
    monkeypatch.setattr(classes, "_random_code", lambda: next(draws))
    assert classes.new_join_code() == "ZZZZZZZZ"
    monkeypatch.setattr(classes, "_random_code", lambda: taken)
    with pytest.raises(RuntimeError):
        classes.new_join_code()


def test_the_database_keeps_codes_unique_and_one_owner_per_class(world):
    db.session.add(SchoolClass(name="Copy", join_code=world.school_class.join_code))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()
    db.session.add(
        ClassMembership(class_id=world.school_class.id, user_id=world.spare.id, role="owner")
    )
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()
    db.session.add(
        ClassMembership(class_id=world.school_class.id, user_id=world.learner.id, role="learner")
    )
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()
    db.session.add(
        ClassMembership(class_id=world.other_class.id, user_id=world.spare.id, role="guest")
    )
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


# ---------------------------------------------------------------------------------------------
# Joining


def test_a_student_joins_with_the_code_typed_any_way(world):
    code = world.school_class.join_code
    typed = f" {code[:4].lower()} - {code[4:]} "
    outcome = classes.join_class(world.student, typed)
    db.session.commit()
    assert outcome.joined and outcome.role == "learner"
    assert outcome.school_class.id == world.school_class.id
    assert classes.membership(world.student, world.school_class).role == "learner"


def test_joining_twice_changes_nothing_and_says_so(world):
    code = world.school_class.join_code
    again = classes.join_class(world.learner, code)
    assert not again.joined and again.role == "learner"
    for who, role in (("owner", "owner"), ("coteacher", "teacher")):
        outcome = classes.join_class(world.users[who], code)
        assert not outcome.joined and outcome.role == role
    db.session.commit()
    count = db.session.scalar(
        db.select(db.func.count(ClassMembership.id)).where(
            ClassMembership.class_id == world.school_class.id
        )
    )
    assert count == 3


def test_a_join_that_loses_a_race_is_one_join(world, monkeypatch):
    """Two requests check at once, both find no membership; the unique pair keeps one."""
    real = classes.membership
    calls = []

    def stale(user, school_class):
        calls.append(user.id)
        return None if len(calls) == 1 else real(user, school_class)

    monkeypatch.setattr(classes, "membership", stale)
    outcome = classes.join_class(world.learner, world.school_class.join_code)
    assert not outcome.joined and outcome.role == "learner"
    db.session.commit()  # the savepoint was rolled back, the session is still usable
    assert real(world.learner, world.school_class) is not None


def test_unknown_and_archived_codes_are_refused_with_a_message(world):
    with pytest.raises(ClassError, match="No class has the code ZZZZ-ZZZZ"):
        classes.join_class(world.student, "ZZZZ-ZZZZ")
    with pytest.raises(ClassError, match="No class has the code"):
        classes.join_class(world.student, "not a code at all")
    classes.set_archived(world.owner, world.school_class, True)
    with pytest.raises(ClassError, match="archived"):
        classes.join_class(world.student, world.school_class.join_code)
    classes.set_archived(world.owner, world.school_class, False)
    assert classes.join_class(world.student, world.school_class.join_code).joined


def test_rotating_the_code_stops_the_old_one_and_keeps_the_learners(world):
    old = world.school_class.join_code
    new = classes.rotate_code(world.coteacher, world.school_class)
    db.session.commit()
    assert new != old and world.school_class.join_code == new
    with pytest.raises(ClassError):
        classes.join_class(world.student, old)
    assert classes.find_by_code(old) is None
    assert classes.join_class(world.student, new.lower()).joined
    assert classes.membership(world.learner, world.school_class) is not None
    with pytest.raises(Forbidden):
        classes.rotate_code(world.learner, world.school_class)
    with pytest.raises(NotFound):
        classes.rotate_code(world.outsider, world.school_class)
    assert world.school_class.join_code == new


# ---------------------------------------------------------------------------------------------
# Learners and teachers


def test_a_class_teacher_removes_a_learner_and_no_one_else_does(world):
    learner_id = world.learner.id
    with pytest.raises(Forbidden):
        classes.remove_learner(world.learner, world.school_class, learner_id)
    for who in ("student", "outsider", "admin"):
        with pytest.raises(NotFound):
            classes.remove_learner(world.users[who], world.school_class, learner_id)
    with pytest.raises(NotFound):  # a teacher is not removed as a learner
        classes.remove_learner(world.owner, world.school_class, world.coteacher.id)
    assert classes.remove_learner(world.coteacher, world.school_class, learner_id).name == "miembro"
    db.session.commit()
    assert classes.membership(world.learner, world.school_class) is None
    with pytest.raises(NotFound):
        classes.get_class(world.learner, world.school_class.id, "member")
    with pytest.raises(NotFound):
        classes.remove_learner(world.owner, world.school_class, learner_id)


def test_only_the_owner_adds_and_removes_co_teachers(world):
    school_class = world.school_class
    with pytest.raises(Forbidden, match="owner"):
        classes.add_teacher(world.coteacher, school_class, "ajena")
    with pytest.raises(Forbidden):
        classes.add_teacher(world.learner, school_class, "ajena")
    with pytest.raises(NotFound):
        classes.add_teacher(world.outsider, school_class, "ajena")
    refusals = {
        "nadie": "There is no teacher called nadie.",
        "ana": "There is no teacher called ana.",  # a student account
        "COPROFE": "coprofe teaches this class already.",
        "duena": "duena owns this class already.",
        "": "There is no teacher called .",
    }
    for name, message in refusals.items():
        with pytest.raises(ClassError) as refused:
            classes.add_teacher(world.owner, school_class, name)
        assert refused.value.message == message
    world.spare.role = "teacher"  # a teacher account that joined as a learner
    classes.join_class(world.spare, school_class.join_code)
    with pytest.raises(ClassError, match="remove them as a learner first"):
        classes.add_teacher(world.owner, school_class, "tomas")
    assert classes.add_teacher(world.owner, school_class, " AJENA ").name == "ajena"
    db.session.commit()
    assert classes.teaches(world.outsider, school_class)
    with pytest.raises(Forbidden):
        classes.remove_teacher(world.coteacher, school_class, world.outsider.id)
    with pytest.raises(NotFound):  # neither the owner nor a learner is a co-teacher
        classes.remove_teacher(world.owner, school_class, world.owner.id)
    with pytest.raises(NotFound):
        classes.remove_teacher(world.owner, school_class, world.learner.id)
    classes.remove_teacher(world.owner, school_class, world.outsider.id)
    db.session.commit()
    with pytest.raises(NotFound):
        classes.get_class(world.outsider, school_class.id, "teach")


def test_what_a_co_teacher_may_do(world):
    school_class = world.school_class
    classes.rename_class(world.coteacher, school_class, "3º B (tarde)")
    assert school_class.name == "3º B (tarde)"
    assert class_lists.learners_page(world.coteacher, school_class, 1, 10).total == 1
    for owner_only in (
        lambda: classes.set_archived(world.coteacher, school_class, True),
        lambda: classes.add_teacher(world.coteacher, school_class, "ajena"),
        lambda: classes.remove_teacher(world.coteacher, school_class, world.coteacher.id),
    ):
        with pytest.raises(Forbidden):
            owner_only()
    assert classes.leave_class(world.coteacher, school_class) == "teacher"
    db.session.commit()
    with pytest.raises(NotFound):
        classes.get_class(world.coteacher, school_class.id, "member")


def test_the_owner_cannot_leave_and_a_learner_can(world):
    with pytest.raises(ClassError, match="archive it"):
        classes.leave_class(world.owner, world.school_class)
    assert classes.leave_class(world.learner, world.school_class) == "learner"
    with pytest.raises(NotFound):
        classes.leave_class(world.student, world.school_class)


def test_a_co_teacher_demoted_to_student_loses_the_class_at_once(world):
    world.coteacher.role = "student"
    db.session.commit()
    assert not classes.teaches(world.coteacher, world.school_class)
    with pytest.raises(Forbidden):
        classes.get_class(world.coteacher, world.school_class.id, "teach")
    with pytest.raises(Forbidden):
        class_lists.taught_classes(world.coteacher)
    classes.get_class(world.coteacher, world.school_class.id, "member")  # may still leave


def test_teachers_of_another_class_and_students_see_nothing_of_it(world):
    school_class = world.school_class
    calls = {
        "get_class": lambda u: classes.get_class(u, school_class.id, "member"),
        "rename": lambda u: classes.rename_class(u, school_class, "Mine now"),
        "rotate": lambda u: classes.rotate_code(u, school_class),
        "archive": lambda u: classes.set_archived(u, school_class, True),
        "remove_learner": lambda u: classes.remove_learner(u, school_class, world.learner.id),
        "add_teacher": lambda u: classes.add_teacher(u, school_class, "jefa"),
        "remove_teacher": lambda u: classes.remove_teacher(u, school_class, world.coteacher.id),
        "teachers": lambda u: class_lists.class_teachers(u, school_class),
        "learners": lambda u: class_lists.learners_page(u, school_class, 1, 10),
        "results": lambda u: class_lists.learner_results(u, school_class, [world.learner.id]),
        "leave": lambda u: classes.leave_class(u, school_class),
    }
    for who in ("outsider", "admin", "student"):
        for name, call in calls.items():
            with pytest.raises(NotFound):
                call(world.users[who])
                pytest.fail(f"{name} let {who} through")
    db.session.rollback()
    assert school_class.name == "3º B" and not school_class.archived
    with pytest.raises(NotFound):
        classes.get_class(world.owner, 2_000_000_000, "member")


# ---------------------------------------------------------------------------------------------
# Listings


def test_each_teacher_lists_only_their_classes(world):
    classes.join_class(world.student, world.school_class.join_code)
    archived = classes.create_class(world.owner, "Old class")
    classes.set_archived(world.owner, archived, True)
    db.session.commit()
    mine = class_lists.taught_classes(world.owner)
    assert [(row.school_class.name, row.role, row.learners) for row in mine] == [
        ("3º B", "owner", 2),
        ("Old class", "owner", 0),
    ]
    assert [(r.school_class.name, r.role) for r in class_lists.taught_classes(world.coteacher)] == [
        ("3º B", "teacher")
    ]
    assert [row.school_class.name for row in class_lists.taught_classes(world.outsider)] == ["4º A"]
    assert class_lists.taught_classes(world.admin) == []
    with pytest.raises(Forbidden):
        class_lists.taught_classes(world.student)
    taught = set(
        db.session.scalars(db.select(SchoolClass.id).where(classes.taught_clause(world.coteacher)))
    )
    assert taught == {world.school_class.id}
    assert not list(
        db.session.scalars(db.select(SchoolClass.id).where(classes.taught_clause(world.learner)))
    )


def test_a_learner_lists_their_open_classes_with_their_teachers(world):
    classes.join_class(world.learner, world.other_class.join_code)
    db.session.commit()
    rows = class_lists.joined_classes(world.learner)
    assert [(row.school_class.name, row.teachers) for row in rows] == [
        ("3º B", ["duena", "coprofe"]),
        ("4º A", ["ajena"]),
    ]
    assert class_lists.teacher_names(world.school_class) == ["duena", "coprofe"]
    classes.set_archived(world.outsider, world.other_class, True)
    assert [row.school_class.name for row in class_lists.joined_classes(world.learner)] == ["3º B"]
    assert class_lists.joined_classes(world.student) == []
    assert class_lists.joined_classes(world.owner) == []  # teaching is not being in a class
    assert [m.user.name for m in class_lists.class_teachers(world.learner, world.school_class)] == [
        "duena",
        "coprofe",
    ]


def test_the_learners_page_and_their_results_per_bank(world):
    classes.join_class(world.student, world.school_class.join_code)
    bank = db.session.scalar(db.select(Bank).where(Bank.slug == "romania-ww2"))
    private = Bank(
        slug="private",
        titles={"en": "Private"},
        descriptions={},
        languages=["en"],
        managed_in="browser",
        owner_id=world.outsider.id,
    )
    db.session.add(private)
    db.session.flush()
    now = dt.datetime(2026, 12, 1, 10, 0)
    rows = [
        (world.learner, bank, 3, 5, now),
        (world.learner, bank, 5, 5, now),
        (world.learner, bank, 1, 5, None),  # unfinished: not counted
        (world.learner, private, 5, 5, now),  # a bank the teacher may not see: left out
        (world.student, bank, 2, 4, now),
        (world.spare, bank, 4, 4, now),  # not in the class
    ]
    for user, which, score, max_score, finished in rows:
        db.session.add(
            Attempt(
                user_id=user.id,
                bank_id=which.id,
                language="en",
                score=score,
                max_score=max_score,
                finished_at=finished,
            )
        )
    db.session.commit()
    page = class_lists.learners_page(world.owner, world.school_class, 1, 10)
    assert [row.user.name for row in page.items] == ["ana", "miembro"]
    ids = [row.user_id for row in page.items] + [world.spare.id]
    results = class_lists.learner_results(world.owner, world.school_class, ids)
    assert set(results) == {world.learner.id, world.student.id}
    (learner,) = results[world.learner.id]
    assert (learner.bank_id, learner.attempts) == (bank.id, 2)
    assert learner.average == pytest.approx(80.0) and learner.best == pytest.approx(100.0)
    assert learner.title("en") == bank.titles["en"]
    (student,) = results[world.student.id]
    assert student.average == pytest.approx(50.0)
    # The private bank's owner teaches the learner too: they see it.
    classes.add_teacher(world.owner, world.school_class, "ajena")
    seen = class_lists.learner_results(world.outsider, world.school_class, [world.learner.id])
    assert {r.bank_id for r in seen[world.learner.id]} == {bank.id, private.id}
    assert class_lists.learner_results(world.owner, world.school_class, []) == {}


def test_learner_id_select_lists_only_learners(world):
    classes.join_class(world.student, world.school_class.join_code)
    ids = set(db.session.scalars(classes.learner_id_select(world.school_class.id)))
    assert ids == {world.learner.id, world.student.id}


def test_deleting_a_class_deletes_its_memberships(world):
    class_id = world.school_class.id
    db.session.delete(world.school_class)
    db.session.commit()
    left = db.session.scalar(
        db.select(db.func.count(ClassMembership.id)).where(ClassMembership.class_id == class_id)
    )
    assert left == 0
