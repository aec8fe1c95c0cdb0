"""Reading a launch's claims (core.lti_claims): roles, names, the assignment parameter."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from quizapp.core.lti_claims import (
    is_learner,
    is_teaching,
    read_launch,
    user_name_base,
    user_name_candidates,
)
from quizapp.services.users import NAME_PATTERN

VOCAB = "http://purl.imsglobal.org/vocab/lis/v2/"


def test_roles():
    assert is_teaching([VOCAB + "membership#Instructor"])
    assert is_teaching([VOCAB + "membership/Instructor#TeachingAssistant"])
    assert is_teaching(["Instructor"])
    assert is_teaching([VOCAB + "institution/person#Administrator"])
    assert not is_teaching([VOCAB + "membership#Learner", VOCAB + "institution/person#Student"])
    assert not is_teaching([VOCAB + "membership#Mentor"])
    assert is_learner([VOCAB + "membership#Learner"]) and is_learner(["Learner"])
    assert not is_learner([VOCAB + "institution/person#Learner"])


def test_read_launch_reads_what_is_there_and_survives_what_is_not():
    launch = read_launch(
        {
            "iss": "https://lms",
            "sub": "42",
            "given_name": "Ana",
            "family_name": "García",
            "https://purl.imsglobal.org/spec/lti/claim/roles": [VOCAB + "membership#Learner", 3],
            "https://purl.imsglobal.org/spec/lti/claim/custom": {"quizapp_assignment": "17"},
            "https://purl.imsglobal.org/spec/lti/claim/context": {"id": "c1", "label": "HIS"},
        }
    )
    assert launch.name == "Ana García" and launch.context_title == "HIS"
    assert launch.assignment_id == 17 and not launch.teaching
    empty = read_launch({"https://purl.imsglobal.org/spec/lti/claim/context": "not a dict"})
    assert empty.context_id == "" and empty.roles == () and empty.assignment_id is None
    for bad in ("x", "-1", "1e3", "٣", "9" * 20):
        custom = {"https://purl.imsglobal.org/spec/lti/claim/custom": {"quizapp_assignment": bad}}
        assert read_launch(custom).assignment_id is None


def test_user_names():
    assert user_name_base("Ana García") == "Ana.García"
    assert user_name_base("  ") == "lms-user"
    assert user_name_base("Li") == "lms-user"
    names = user_name_candidates("José M. O'Neil")
    assert [next(names) for _ in range(3)] == ["José.M.ONeil", "José.M.ONeil-2", "José.M.ONeil-3"]


@given(st.text(max_size=200))
def test_every_user_name_base_is_a_valid_user_name(name):
    base = user_name_base(name)
    assert NAME_PATTERN.match(base)
    assert NAME_PATTERN.match(base + "-99")
