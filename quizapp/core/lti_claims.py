"""Reading an LTI 1.3 launch's claims (IMS LTI Core 1.3, section 5), pure: who launched, in
which role, from which course and link, and which services the platform offers.

The id token's signature, audience, expiry, nonce, state and deployment are checked before
this is called (services.lti.launches); here a validated body becomes plain values.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

LTI = "https://purl.imsglobal.org/spec/lti/claim/"
MESSAGE_TYPE = LTI + "message_type"
DEPLOYMENT_ID = LTI + "deployment_id"
ROLES = LTI + "roles"
CONTEXT = LTI + "context"
RESOURCE_LINK = LTI + "resource_link"
CUSTOM = LTI + "custom"
AGS_ENDPOINT = "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint"
NRPS = "https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice"
DEEP_LINKING_SETTINGS = "https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings"

RESOURCE_LINK_REQUEST = "LtiResourceLinkRequest"
DEEP_LINKING_REQUEST = "LtiDeepLinkingRequest"

# The custom parameter a deep link puts on the resource link: the assignment it opens.
ASSIGNMENT_PARAMETER = "quizapp_assignment"

_VOCAB = "http://purl.imsglobal.org/vocab/lis/v2/"
# Context (membership) roles that teach: Instructor and its sub-roles (teaching assistant...),
# Administrator and ContentDeveloper of the course; and an institution or system administrator.
_TEACHING_CONTEXT_ROLES = ("Instructor", "Administrator", "ContentDeveloper")
_ADMIN_PREFIXES = (
    _VOCAB + "institution/person#Administrator",
    _VOCAB + "system/person#Administrator",
)

USER_NAME_MAX = 64
_NAME_PART = re.compile(r"[^\w.\-]+")


def _context_role(role: str) -> str | None:
    """The principal context role of a role URI or short name ("Learner",
    ".../membership#Instructor", ".../membership/Instructor#TeachingAssistant"); None for
    institution and system roles."""
    if role.startswith(_VOCAB + "membership#"):
        return role.split("#", 1)[1]
    if role.startswith(_VOCAB + "membership/"):
        return role[len(_VOCAB + "membership/") :].split("#", 1)[0]
    if "/" not in role and "#" not in role:  # a short name, as NRPS often sends
        return role
    return None


def is_teaching(roles: list[str] | tuple[str, ...]) -> bool:
    """Whether these LTI roles teach the course (instructor, course administrator or content
    developer, teaching assistant; or an institution or system administrator)."""
    for role in roles:
        if not isinstance(role, str):
            continue
        if _context_role(role) in _TEACHING_CONTEXT_ROLES or role.startswith(_ADMIN_PREFIXES):
            return True
    return False


def is_learner(roles: list[str] | tuple[str, ...]) -> bool:
    """Whether these LTI roles include the course's Learner role (or one of its sub-roles)."""
    return any(isinstance(role, str) and _context_role(role) == "Learner" for role in roles)


@dataclass(frozen=True)
class Launch:
    """A validated launch's claims as plain values (empty strings when a claim is absent)."""

    issuer: str
    subject: str
    deployment_id: str
    message_type: str
    roles: tuple[str, ...]
    name: str = ""
    email: str = ""
    context_id: str = ""
    context_title: str = ""
    resource_link_id: str = ""
    resource_link_title: str = ""
    custom: dict[str, str] = field(default_factory=dict)
    ags: dict[str, Any] | None = None
    memberships_url: str = ""

    @property
    def teaching(self) -> bool:
        """Whether the user launched as a teacher of the course."""
        return is_teaching(self.roles)

    @property
    def assignment_id(self) -> int | None:
        """The assignment a deep link placed on this resource link, when it says one."""
        value = str(self.custom.get(ASSIGNMENT_PARAMETER, "")).strip()
        return int(value) if value.isascii() and value.isdigit() and len(value) < 12 else None


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def read_launch(body: dict[str, Any]) -> Launch:
    """The claims of a validated id token body (a dict as decoded from JSON)."""
    context = _mapping(body.get(CONTEXT))
    link = _mapping(body.get(RESOURCE_LINK))
    roles = body.get(ROLES)
    name = _text(body.get("name")) or " ".join(
        part for part in (_text(body.get("given_name")), _text(body.get("family_name"))) if part
    )
    ags = body.get(AGS_ENDPOINT)
    return Launch(
        issuer=_text(body.get("iss")),
        subject=_text(body.get("sub")),
        deployment_id=_text(body.get(DEPLOYMENT_ID)),
        message_type=_text(body.get(MESSAGE_TYPE)),
        roles=tuple(role for role in roles if isinstance(role, str))
        if isinstance(roles, list)
        else (),
        name=name,
        email=_text(body.get("email")),
        context_id=_text(context.get("id")),
        context_title=_text(context.get("title")) or _text(context.get("label")),
        resource_link_id=_text(link.get("id")),
        resource_link_title=_text(link.get("title")),
        custom={str(k): str(v) for k, v in _mapping(body.get(CUSTOM)).items()},
        ags=ags if isinstance(ags, dict) else None,
        memberships_url=_text(_mapping(body.get(NRPS)).get("context_memberships_url")),
    )


def user_name_base(name: str, fallback: str = "lms-user") -> str:
    """A quizapp user name made from a person's name in the LMS: words joined by dots, only
    letters, digits, dots, hyphens and underscores (services.users.NAME_PATTERN), 3 to 56
    characters (room for a "-NN" suffix when taken); `fallback` when too little is left.

    A user name is a label, never an identity: LMS users are matched by issuer and subject.
    """
    text = unicodedata.normalize("NFKC", name)
    words = [w for w in (_NAME_PART.sub("", word).strip(".-") for word in text.split()) if w]
    base = ".".join(words).strip(".-")[: USER_NAME_MAX - 8].strip(".-")
    return base if len(base) >= 3 else fallback


def user_name_candidates(name: str, fallback: str = "lms-user"):
    """User names to try in order: the base, then the base with -2, -3, ... (endless)."""
    base = user_name_base(name, fallback)
    yield base
    number = 2
    while True:
        yield f"{base}-{number}"
        number += 1
