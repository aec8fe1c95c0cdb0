"""Deep linking: a teacher, launched from the LMS's content selection, picks what quizapp puts
in the course: an assignment of the course's class, or a bank with a language, question types
and a number of questions (which becomes a new assignment of that class). The answer is a
signed `LtiDeepLinkingResponse` (pylti1p3's DeepLink, signed with quizapp's key) holding one
resource link to /lti/launch whose custom parameter names the assignment and which asks the
LMS for a gradebook column (a line item out of 100), posted back to the LMS by the browser.

A selection lives an hour (launch values) and belongs to the teacher who launched it; sending
the response ends it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pylti1p3.deep_link import DeepLink
from pylti1p3.deep_link_resource import DeepLinkResource
from pylti1p3.lineitem import LineItem

from quizapp.core.lti_claims import ASSIGNMENT_PARAMETER
from quizapp.extensions import db
from quizapp.models import Assignment, LtiPlatform, SchoolClass, User
from quizapp.services import assignments, classes
from quizapp.services.lti import launch_values
from quizapp.services.lti.errors import LaunchRefused
from quizapp.services.lti.tool import registration_of


@dataclass(frozen=True)
class Selection:
    """A deep-linking launch waiting for the teacher's choice."""

    id: str
    platform_id: int
    deployment_id: str
    settings: dict[str, Any]
    user_id: int
    class_id: int


def selection(user: User, selection_id: str) -> Selection:
    """The user's selection; LaunchRefused("no_launch") when it ended, expired or is another
    teacher's."""
    value = launch_values.get("selection:" + selection_id) if selection_id else None
    if not isinstance(value, dict) or value.get("user_id") != user.id:
        raise LaunchRefused("no_launch")
    return Selection(
        id=selection_id,
        platform_id=int(value["platform_id"]),
        deployment_id=str(value["deployment_id"]),
        settings=dict(value["settings"]),
        user_id=int(value["user_id"]),
        class_id=int(value["class_id"]),
    )


def selection_class(user: User, chosen: Selection) -> SchoolClass:
    """The class of the selection's course, which the user must teach."""
    return classes.get_class(user, chosen.class_id, "teach")


def choose_assignment(user: User, chosen: Selection, assignment_id: int) -> Assignment:
    """An assignment of the selection's class (NotFound otherwise)."""
    assignment = assignments.get_assignment(user, assignment_id, "teach")
    if assignment.class_id != chosen.class_id:
        from quizapp.services.permissions import NotFound

        raise NotFound(str(assignment_id))
    return assignment


def response_form(
    user: User, selection_id: str, assignment: Assignment, launch_url: str
) -> tuple[str, str]:
    """(the LMS's return URL, the signed response JWT) placing `assignment`; the selection
    ends (a second response for it is refused)."""
    chosen = selection(user, selection_id)
    platform = db.session.get(LtiPlatform, chosen.platform_id)
    if platform is None:
        raise LaunchRefused("no_launch")
    launch_values.take("selection:" + selection_id)
    line_item = (
        LineItem()
        .set_score_maximum(100)
        .set_label(assignment.title)
        .set_resource_id(f"quizapp-assignment-{assignment.id}")
    )
    resource = (
        DeepLinkResource()
        .set_url(launch_url)
        .set_title(assignment.title)
        .set_custom_params({ASSIGNMENT_PARAMETER: str(assignment.id)})
        .set_lineitem(line_item)
    )
    deep_link = DeepLink(registration_of(platform), chosen.deployment_id, chosen.settings)
    return chosen.settings["deep_link_return_url"], deep_link.get_response_jwt([resource])
