"""Database tables (SQLAlchemy 2.0 style), one module per concept; every name is re-exported
here, so `from quizapp.models import X` is the one way to import them. Schema changes go
through migrations/."""

from quizapp.models.attempts import Attempt, AttemptItem, Response
from quizapp.models.banks import (
    AuthoredQuestion,
    Bank,
    Fact,
    Passage,
    PendingImport,
    RejectedSuggestion,
    Source,
    bank_editors,
)
from quizapp.models.classes import (
    CLASS_ROLES,
    CLASS_TEACHING_ROLES,
    Assignment,
    AssignmentOverride,
    ClassMembership,
    RegradeLog,
    SchoolClass,
)
from quizapp.models.live import LiveAnswer, LiveEvent, LiveGame, LivePlayer
from quizapp.models.lti import (
    LtiContext,
    LtiDeployment,
    LtiGradeSync,
    LtiIdentity,
    LtiLaunchValue,
    LtiPlatform,
    LtiResourceLink,
    LtiToolKey,
)
from quizapp.models.memory import FactCard, FactReview
from quizapp.models.rate_limits import RateLimitCounter
from quizapp.models.timestamps import utcnow
from quizapp.models.tokens import TOKEN_SCOPES, ApiToken
from quizapp.models.users import ROLES, TEACHING_ROLES, User

__all__ = [
    "CLASS_ROLES",
    "CLASS_TEACHING_ROLES",
    "ROLES",
    "TEACHING_ROLES",
    "TOKEN_SCOPES",
    "ApiToken",
    "Assignment",
    "AssignmentOverride",
    "Attempt",
    "AttemptItem",
    "AuthoredQuestion",
    "Bank",
    "ClassMembership",
    "Fact",
    "FactCard",
    "FactReview",
    "LiveAnswer",
    "LiveEvent",
    "LiveGame",
    "LivePlayer",
    "LtiContext",
    "LtiDeployment",
    "LtiGradeSync",
    "LtiIdentity",
    "LtiLaunchValue",
    "LtiPlatform",
    "LtiResourceLink",
    "LtiToolKey",
    "Passage",
    "PendingImport",
    "RateLimitCounter",
    "RegradeLog",
    "RejectedSuggestion",
    "Response",
    "SchoolClass",
    "Source",
    "User",
    "bank_editors",
    "utcnow",
]
