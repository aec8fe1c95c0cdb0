"""LTI 1.3: the platforms (LMSs) an admin registered, quizapp's own key pair, launch state, the
LMS identities linked to accounts, LMS courses linked to classes, resource links placed in a
course, and the grades still to send back (services.lti)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from quizapp.extensions import db
from quizapp.models.timestamps import utcnow

if TYPE_CHECKING:
    from quizapp.models.users import User

URL_LENGTH = 1024
ID_LENGTH = 255


class LtiPlatform(db.Model):
    """One LMS registration: its issuer and the client id it gave quizapp, its endpoints, and
    how its signing keys are found (a key set URL, or a static public key in PEM)."""

    __tablename__ = "lti_platforms"
    __table_args__ = (UniqueConstraint("issuer", "client_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    issuer: Mapped[str] = mapped_column(String(ID_LENGTH))
    client_id: Mapped[str] = mapped_column(String(ID_LENGTH))
    auth_login_url: Mapped[str] = mapped_column(String(URL_LENGTH))
    auth_token_url: Mapped[str] = mapped_column(String(URL_LENGTH))
    key_set_url: Mapped[str | None] = mapped_column(String(URL_LENGTH))
    public_key: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    deployments: Mapped[list[LtiDeployment]] = relationship(
        back_populates="platform",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="LtiDeployment.deployment_id",
    )


class LtiDeployment(db.Model):
    """A deployment id of a platform: launches naming any other are refused."""

    __tablename__ = "lti_deployments"
    __table_args__ = (UniqueConstraint("platform_id", "deployment_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    platform_id: Mapped[int] = mapped_column(ForeignKey("lti_platforms.id", ondelete="CASCADE"))
    deployment_id: Mapped[str] = mapped_column(String(ID_LENGTH))

    platform: Mapped[LtiPlatform] = relationship(back_populates="deployments")


class LtiToolKey(db.Model):
    """quizapp's own RSA key pair (PEM private key), made on first use; its public half is
    served at /lti/jwks under `kid`. The newest row signs."""

    __tablename__ = "lti_tool_keys"

    id: Mapped[int] = mapped_column(primary_key=True)
    kid: Mapped[str] = mapped_column(String(64), unique=True)
    private_key: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class LtiLaunchValue(db.Model):
    """A short-lived value of a launch (an OIDC state and its nonce, a validated launch kept for
    the deep-linking page), when Redis is not configured. Taken once, or expired."""

    __tablename__ = "lti_launch_values"

    key: Mapped[str] = mapped_column(String(ID_LENGTH), primary_key=True)
    value: Mapped[Any] = mapped_column(JSON)
    expires_at: Mapped[dt.datetime] = mapped_column(index=True)


class LtiIdentity(db.Model):
    """An LMS user (issuer + subject) linked to the quizapp account made on their first
    launch. Never matched by name or e-mail: only (issuer, subject)."""

    __tablename__ = "lti_identities"
    __table_args__ = (UniqueConstraint("issuer", "subject"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    issuer: Mapped[str] = mapped_column(String(ID_LENGTH))
    subject: Mapped[str] = mapped_column(String(ID_LENGTH))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship()


class LtiContext(db.Model):
    """An LMS course linked to a quizapp class, with its roster service (NRPS) URL."""

    __tablename__ = "lti_contexts"
    __table_args__ = (UniqueConstraint("platform_id", "context_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    platform_id: Mapped[int] = mapped_column(ForeignKey("lti_platforms.id", ondelete="CASCADE"))
    context_id: Mapped[str] = mapped_column(String(ID_LENGTH))
    class_id: Mapped[int] = mapped_column(
        ForeignKey("school_class.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(200), default="")
    memberships_url: Mapped[str | None] = mapped_column(String(URL_LENGTH))
    roster_synced_at: Mapped[dt.datetime | None]

    platform: Mapped[LtiPlatform] = relationship()


class LtiResourceLink(db.Model):
    """A link placed in an LMS course that opens an assignment, with the platform's grade
    service claim (line item URL and scopes) from its latest launch."""

    __tablename__ = "lti_resource_links"
    __table_args__ = (UniqueConstraint("context_id", "resource_link_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    context_id: Mapped[int] = mapped_column(ForeignKey("lti_contexts.id", ondelete="CASCADE"))
    resource_link_id: Mapped[str] = mapped_column(String(ID_LENGTH))
    assignment_id: Mapped[int] = mapped_column(
        ForeignKey("assignments.id", ondelete="CASCADE"), index=True
    )
    ags: Mapped[dict[str, Any] | None] = mapped_column(JSON)

    context: Mapped[LtiContext] = relationship()


class LtiGradeSync(db.Model):
    """A learner's grade on a resource link still to send to the LMS: queued when an attempt
    finishes or is regraded, deleted once the platform took it, retried with back-off when it
    failed. The grade sent is the one current when it is sent."""

    __tablename__ = "lti_grade_sync"
    __table_args__ = (UniqueConstraint("link_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    link_id: Mapped[int] = mapped_column(ForeignKey("lti_resource_links.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    due_at: Mapped[dt.datetime] = mapped_column(default=utcnow, index=True)
    tries: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
