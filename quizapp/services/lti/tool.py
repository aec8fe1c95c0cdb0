"""quizapp as an LTI 1.3 tool on pylti1p3 (the `pylti1p3next` fork), through its Flask adapter.

The library gives the protocol: reading the id token, the registration and deployment lookups
through a tool configuration (`DatabaseToolConf`, platforms from the database), the platform's
key set, the message validators of each launch type, the deep-linking response and the
service clients (grades, rosters). quizapp replaces three steps, to say why a launch is refused
in words a teacher understands (`LaunchRefused`) and to keep launch state on the server:

- **state and nonce**: the login keeps `state -> nonce` in `launch_values` (database, or Redis)
  for ten minutes; the launch *takes* the state (once: a replay finds nothing) and the id
  token's nonce must be the one stored with it. No cookie is needed, so launches work inside
  an LMS's iframe whose browser blocks third-party cookies, and on several servers.
- **registration and audience**: the token's `aud` must hold the client id of a platform
  registered for its issuer (and `azp` name it when `aud` holds several), else "audience".
- **signature and expiry**: the platform's key (its key set, fetched with a timeout, or the
  static public key an admin pasted) verifies the RS256 signature; PyJWT checks `exp`, `iat`
  and `nbf`, an expired token being refused as such.
"""

from __future__ import annotations

import hmac
import logging
import secrets
from typing import Any
from urllib.parse import urlencode

import jwt
import sqlalchemy as sa
from pylti1p3.contrib.flask import FlaskMessageLaunch, FlaskRequest
from pylti1p3.deployment import Deployment
from pylti1p3.exception import LtiException
from pylti1p3.registration import Registration
from pylti1p3.service_connector import ServiceConnector
from pylti1p3.tool_config.abstract import ToolConfAbstract

from quizapp.extensions import db
from quizapp.models import LtiDeployment, LtiPlatform
from quizapp.services.lti import http, keys, launch_values
from quizapp.services.lti.errors import LaunchRefused

log = logging.getLogger(__name__)

STATE_SECONDS = 600
# An LMS whose clock is a little ahead or behind still launches (iat, nbf, exp).
CLOCK_SKEW_SECONDS = 60
# A platform's access token is reused until this long before it expires.
TOKEN_MARGIN_SECONDS = 60


def registration_of(platform: LtiPlatform) -> Registration:
    """The library's registration for a platform, holding quizapp's signing key."""
    key = keys.signing_key()
    registration = Registration()
    registration.set_issuer(platform.issuer)
    registration.set_client_id(platform.client_id)
    registration.set_auth_login_url(platform.auth_login_url)
    registration.set_auth_token_url(platform.auth_token_url)
    if platform.key_set_url:
        registration.set_key_set_url(platform.key_set_url)
    registration.set_tool_private_key(key.private_pem)
    registration.set_tool_public_key(key.public_pem)
    return registration


def platforms_of(issuer: str) -> list[LtiPlatform]:
    """The platforms registered for an issuer (one per client id), oldest first."""
    return list(
        db.session.scalars(
            sa.select(LtiPlatform).where(LtiPlatform.issuer == issuer).order_by(LtiPlatform.id)
        )
    )


def find_platform(issuer: str, client_id: str | None) -> LtiPlatform | None:
    """The platform of an issuer and client id; without a client id (older platforms do not
    send one at login), the issuer's only platform."""
    candidates = platforms_of(issuer)
    if client_id:
        return next((p for p in candidates if p.client_id == client_id), None)
    return candidates[0] if len(candidates) == 1 else None


class DatabaseToolConf(ToolConfAbstract):
    """pylti1p3's tool configuration read from the registered platforms."""

    def check_iss_has_one_client(self, iss: str) -> bool:
        """Always look up by issuer and client id (an issuer may hold several)."""
        return False

    def check_iss_has_many_clients(self, iss: str) -> bool:
        """See `check_iss_has_one_client`."""
        return True

    def find_registration_by_issuer(self, iss: str, *args: Any, **kwargs: Any):
        """The issuer's only registration."""
        platform = find_platform(iss, None)
        return registration_of(platform) if platform else None

    def find_registration_by_params(
        self, iss: str, client_id: str | None, *args: Any, **kwargs: Any
    ):
        """The registration of an issuer and client id."""
        platform = find_platform(iss, client_id)
        return registration_of(platform) if platform else None

    def find_deployment(self, iss: str, deployment_id: str):
        """A deployment of the issuer's only platform."""
        return self.find_deployment_by_params(iss, deployment_id, None)

    def find_deployment_by_params(
        self, iss: str, deployment_id: str, client_id: str | None, *args: Any, **kwargs: Any
    ):
        """The deployment if it is registered for this issuer and client id."""
        platform = find_platform(iss, client_id)
        if platform is None:
            return None
        known = db.session.scalar(
            sa.select(LtiDeployment.id).where(
                LtiDeployment.platform_id == platform.id,
                LtiDeployment.deployment_id == deployment_id,
            )
        )
        return Deployment().set_deployment_id(deployment_id) if known else None


def login_redirect(params: dict[str, str], launch_url: str) -> str:
    """The platform's authentication URL to send the browser to, for an OIDC third-party
    login initiation (`params`: the request's iss, login_hint, client_id, lti_message_hint,
    target_link_uri...). Keeps a new state with its nonce. LaunchRefused as "bad_login" or
    "no_platform"."""
    issuer, login_hint = params.get("iss", ""), params.get("login_hint", "")
    if not issuer or not login_hint:
        raise LaunchRefused("bad_login")
    platform = find_platform(issuer, params.get("client_id"))
    if platform is None:
        raise LaunchRefused("no_platform")
    state = "state-" + secrets.token_urlsafe(24)
    nonce = secrets.token_urlsafe(24)
    launch_values.put("state:" + state, {"nonce": nonce, "platform_id": platform.id}, STATE_SECONDS)
    query = {
        "scope": "openid",
        "response_type": "id_token",
        "response_mode": "form_post",
        "prompt": "none",
        "client_id": platform.client_id,
        "redirect_uri": launch_url,
        "state": state,
        "nonce": nonce,
        "login_hint": login_hint,
    }
    if params.get("lti_message_hint"):
        query["lti_message_hint"] = params["lti_message_hint"]
    separator = "&" if "?" in platform.auth_login_url else "?"
    return platform.auth_login_url + separator + urlencode(query)


class QuizappLaunch(FlaskMessageLaunch):
    """pylti1p3's Flask launch with quizapp's state, nonce, audience and signature steps."""

    platform: LtiPlatform | None = None
    _expected_nonce: str | None = None
    _state_platform_id: int | None = None

    def validate(self):
        """Every check of the launch; LaunchRefused with the first that fails."""
        try:
            return super().validate()
        except LaunchRefused:
            raise
        except LtiException as error:
            raise LaunchRefused("message", str(error)) from None

    def validate_state(self):
        """The state must be one our login issued, not yet used, within ten minutes."""
        state = self._get_request_param("state")
        if not state or not self._get_request_param("id_token"):
            raise LaunchRefused("bad_request")
        stored = launch_values.take("state:" + state)
        if not isinstance(stored, dict) or not stored.get("nonce"):
            raise LaunchRefused("state")
        self._expected_nonce = str(stored["nonce"])
        self._state_platform_id = stored.get("platform_id")
        return self

    def validate_jwt_format(self):
        """Three base64url parts of JSON."""
        try:
            return super().validate_jwt_format()
        except LtiException as error:
            raise LaunchRefused("format", str(error)) from None

    def validate_nonce(self):
        """The token's nonce must be the one stored with the state."""
        nonce = self._get_jwt_body().get("nonce")
        if (
            not isinstance(nonce, str)
            or self._expected_nonce is None
            or not hmac.compare_digest(nonce.encode(), self._expected_nonce.encode())
        ):
            raise LaunchRefused("nonce")
        return self

    def validate_registration(self):
        """The issuer must be registered and the audience hold its client id."""
        body = self._get_jwt_body()
        issuer = body.get("iss")
        candidates = platforms_of(issuer) if isinstance(issuer, str) and issuer else []
        if not candidates:
            raise LaunchRefused("no_platform")
        aud = body.get("aud")
        audiences = [a for a in (aud if isinstance(aud, list) else [aud]) if isinstance(a, str)]
        matching = [p for p in candidates if p.client_id in audiences]
        if len(audiences) > 1:  # OpenID Connect: the authorised party must be named
            matching = [p for p in matching if p.client_id == body.get("azp")]
        if not matching:
            raise LaunchRefused("audience")
        if self._state_platform_id not in (None, matching[0].id):
            # The state was issued to a login from another platform registration.
            raise LaunchRefused("state", "state of another platform")
        self.platform = matching[0]
        self._registration = registration_of(self.platform)
        return self

    def get_client_id(self) -> str:
        """The client id the launch was validated for (not merely the first audience)."""
        if self.platform is not None:
            return self.platform.client_id
        return super().get_client_id()

    def get_public_key(self):
        """The platform's static public key when an admin gave one, else its key set's key
        named by the token's `kid`."""
        assert self.platform is not None
        if self.platform.public_key:
            return self.platform.public_key, "RS256"
        try:
            return super().get_public_key()
        except LtiException as error:
            code = (
                "keys"
                if "fetching" in str(error) or "Invalid response" in str(error)
                else "signature"
            )
            raise LaunchRefused(code, str(error)) from None

    def validate_jwt_signature(self):
        """RS256 with the platform's key; `exp`, `iat` and `nbf` checked by PyJWT."""
        id_token = self._get_id_token()
        public_key, algorithm = self.get_public_key()
        if algorithm != "RS256":
            raise LaunchRefused("signature", f"algorithm {algorithm}")
        try:
            jwt.decode(
                id_token,
                public_key,
                algorithms=["RS256"],
                options={"verify_aud": False},
                leeway=CLOCK_SKEW_SECONDS,
            )
        except jwt.ExpiredSignatureError as error:
            raise LaunchRefused("expired", str(error)) from None
        except jwt.InvalidTokenError as error:
            raise LaunchRefused("signature", str(error)) from None
        return self

    def validate_deployment(self):
        """The deployment id must be registered for the platform."""
        try:
            return super().validate_deployment()
        except LtiException as error:
            raise LaunchRefused("deployment", str(error)) from None

    def save_launch_data(self):
        """Nothing is kept in a session: what a deep-linking launch needs later is kept by
        `services.lti.launches` (launch values, an hour)."""
        return self


def validate_launch() -> QuizappLaunch:
    """Validate the launch POSTed to /lti/launch (within a request). LaunchRefused."""
    launch = QuizappLaunch(FlaskRequest(), DatabaseToolConf(), requests_session=http.session())
    launch.validate()
    return launch


class StoredTokenConnector(ServiceConnector):
    """pylti1p3's service client, with the platform's access tokens kept in the launch values
    (the database, or Redis) until a minute before they expire, shared by every server;
    the library's Flask connector keeps them in a dict of the process."""

    def __init__(self, platform_id: int, registration: Registration, session: Any) -> None:
        super().__init__(registration, session)
        self._platform_id = platform_id

    def _token_key(self, scope_key: str) -> str:
        return f"token:{self._platform_id}:{scope_key}"

    def _get_cached_access_token(self, scope_key: str) -> str | None:
        token = launch_values.get(self._token_key(scope_key))
        return token if isinstance(token, str) else None

    def _cache_access_token(self, scope_key: str, access_token: str, expires_in: float) -> None:
        lifetime = int(expires_in) - TOKEN_MARGIN_SECONDS
        if lifetime > 0:
            launch_values.put(self._token_key(scope_key), access_token, lifetime)


def service_connector(platform: LtiPlatform) -> ServiceConnector:
    """The library's client for a platform's services (token, grades, rosters)."""
    return StoredTokenConnector(platform.id, registration_of(platform), http.session())
