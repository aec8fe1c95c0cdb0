"""The LMS platforms an admin registers (issuer, client id, deployment ids, endpoints, keys).

Only admins (`permissions.require_admin`, Forbidden otherwise). Every field is checked here, so
the command line and the pages refuse the same things, each with a sentence the admin can act
on (`PlatformError`).
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

import sqlalchemy as sa
from cryptography.hazmat.primitives.serialization import load_pem_public_key
from flask_babel import gettext as _

from quizapp.database import begin_write
from quizapp.extensions import db
from quizapp.models import LtiContext, LtiDeployment, LtiGradeSync, LtiPlatform, LtiResourceLink
from quizapp.models.lti import ID_LENGTH, URL_LENGTH
from quizapp.services.permissions import Actor, NotFound, require_admin

NAME_MAX = 120
MAX_DEPLOYMENTS = 50
# Plain http is accepted only for a platform on this machine (a local Moodle for trying out).
LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})


class PlatformError(ValueError):
    """A registration the rules refuse; the message is meant for the admin."""


@dataclass(frozen=True)
class PlatformSettings:
    """What an admin types for a platform. `deployment_ids` one per entry; `key_set_url` or
    `public_key` (PEM) or both."""

    name: str
    issuer: str
    client_id: str
    deployment_ids: tuple[str, ...]
    auth_login_url: str
    auth_token_url: str
    key_set_url: str = ""
    public_key: str = ""


def _url(value: str, label: str) -> str:
    value = value.strip()
    parts = urlsplit(value)
    local = parts.scheme == "http" and (parts.hostname or "") in LOCAL_HOSTS
    if not (parts.scheme == "https" or local) or not parts.netloc or len(value) > URL_LENGTH:
        raise PlatformError(
            _(
                "%(field)s must be a full https:// address (for example https://lms.example.edu/...).",
                field=label,
            )
        )
    return value


def _text(value: str, label: str, limit: int = ID_LENGTH) -> str:
    value = value.strip()
    if not value or len(value) > limit:
        raise PlatformError(
            _("%(field)s is required, at most %(n)d characters.", field=label, n=limit)
        )
    return value


def clean(settings: PlatformSettings) -> PlatformSettings:
    """The settings trimmed and checked; PlatformError naming the first field that is wrong."""
    deployments = tuple(dict.fromkeys(d.strip() for d in settings.deployment_ids if d.strip()))
    if not deployments:
        raise PlatformError(_("Give at least one deployment id (one per line)."))
    if len(deployments) > MAX_DEPLOYMENTS:
        raise PlatformError(_("Give at most %(n)d deployment ids.", n=MAX_DEPLOYMENTS))
    if any(len(d) > ID_LENGTH for d in deployments):
        raise PlatformError(_("A deployment id has at most %(n)d characters.", n=ID_LENGTH))
    key_set_url = settings.key_set_url.strip()
    public_key = settings.public_key.strip()
    if not key_set_url and not public_key:
        raise PlatformError(_("Give the platform's key set URL, or its public key."))
    if public_key:
        try:
            load_pem_public_key(public_key.encode("ascii"))
        except (ValueError, TypeError, UnicodeEncodeError):
            raise PlatformError(
                _("The public key must be a PEM block starting with -----BEGIN PUBLIC KEY-----.")
            ) from None
    return PlatformSettings(
        name=_text(settings.name, _("The name"), NAME_MAX),
        issuer=_text(settings.issuer, _("The issuer")),
        client_id=_text(settings.client_id, _("The client id")),
        deployment_ids=deployments,
        auth_login_url=_url(settings.auth_login_url, _("The authentication request URL")),
        auth_token_url=_url(settings.auth_token_url, _("The access token URL")),
        key_set_url=_url(key_set_url, _("The key set URL")) if key_set_url else "",
        public_key=public_key,
    )


def list_platforms(actor: Actor) -> list[LtiPlatform]:
    """Every registered platform, by name."""
    require_admin(actor)
    return list(db.session.scalars(sa.select(LtiPlatform).order_by(LtiPlatform.name)))


def pending_grades(actor: Actor) -> dict[int, int]:
    """Grades waiting to be sent (after a failure), per platform id (one grouped query)."""
    require_admin(actor)
    rows = db.session.execute(
        sa.select(LtiContext.platform_id, sa.func.count(LtiGradeSync.id))
        .join(LtiResourceLink, LtiResourceLink.id == LtiGradeSync.link_id)
        .join(LtiContext, LtiContext.id == LtiResourceLink.context_id)
        .where(LtiGradeSync.tries > 0)
        .group_by(LtiContext.platform_id)
    )
    return {platform_id: count for platform_id, count in rows}


def get_platform(actor: Actor, platform_id: int) -> LtiPlatform:
    """The platform; NotFound when there is none with this id."""
    require_admin(actor)
    platform = db.session.get(LtiPlatform, platform_id)
    if platform is None:
        raise NotFound(str(platform_id))
    return platform


def _apply(platform: LtiPlatform, settings: PlatformSettings) -> None:
    platform.name = settings.name
    platform.issuer = settings.issuer
    platform.client_id = settings.client_id
    platform.auth_login_url = settings.auth_login_url
    platform.auth_token_url = settings.auth_token_url
    platform.key_set_url = settings.key_set_url or None
    platform.public_key = settings.public_key or None
    kept = {d.deployment_id: d for d in platform.deployments}
    platform.deployments = [
        kept.get(d) or LtiDeployment(deployment_id=d) for d in settings.deployment_ids
    ]


def _check_unique(settings: PlatformSettings, platform_id: int | None) -> None:
    clash = db.session.scalar(
        sa.select(LtiPlatform.id).where(
            LtiPlatform.issuer == settings.issuer,
            LtiPlatform.client_id == settings.client_id,
            LtiPlatform.id != (platform_id or 0),
        )
    )
    if clash is not None:
        raise PlatformError(_("A platform with this issuer and client id is already registered."))


def create_platform(actor: Actor, settings: PlatformSettings) -> LtiPlatform:
    """Register a platform (the caller commits)."""
    require_admin(actor)
    settings = clean(settings)
    begin_write()
    _check_unique(settings, None)
    platform = LtiPlatform()
    _apply(platform, settings)
    db.session.add(platform)
    db.session.flush()
    return platform


def update_platform(actor: Actor, platform_id: int, settings: PlatformSettings) -> LtiPlatform:
    """Change a platform's registration (the caller commits). Deployments kept by id keep
    their rows; those left out stop being accepted."""
    require_admin(actor)
    settings = clean(settings)
    begin_write()
    platform = get_platform(actor, platform_id)
    _check_unique(settings, platform.id)
    _apply(platform, settings)
    db.session.flush()
    return platform


def delete_platform(actor: Actor, platform_id: int) -> None:
    """Forget a platform, its deployments, course links and grades still to send (the caller
    commits). The accounts and classes its launches made stay."""
    require_admin(actor)
    begin_write()
    platform = get_platform(actor, platform_id)
    db.session.delete(platform)
    db.session.flush()
