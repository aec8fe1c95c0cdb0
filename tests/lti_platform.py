"""A simulated LTI 1.3 platform (an LMS) for the test suite, with no network.

It has its own RSA key pair and key set, signs id tokens as a platform does, and serves, as a
small WSGI app reached through a `requests` adapter (`session()`, given to quizapp as
`LTI_HTTP_SESSION`): its key set, an OAuth2 token endpoint (client credentials with a JWT
assertion, checked against quizapp's /lti/jwks), a line item's score endpoint (AGS) that
records every score it receives, and a course's memberships (NRPS). `fail` makes an endpoint
answer 503, to test what quizapp does when the LMS is down.
"""

from __future__ import annotations

import json
import re
import secrets
import time
import uuid
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlsplit

import jwt
import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from jwcrypto.jwk import JWK
from requests.adapters import BaseAdapter
from werkzeug.test import Client
from werkzeug.wrappers import Request, Response

ISSUER = "https://lms.test"
CLIENT_ID = "quizapp-client"
DEPLOYMENT_ID = "deployment-1"
BASE = "https://lms.test"
LTI = "https://purl.imsglobal.org/spec/lti/claim/"
INSTRUCTOR = "http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor"
LEARNER = "http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"
SCORE_SCOPE = "https://purl.imsglobal.org/spec/lti-ags/scope/score"
LINEITEM_SCOPE = "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem"
NRPS_SCOPE = "https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly"


def _new_key() -> tuple[str, str]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    public = (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    return private, public


_KEYS: dict[str, tuple[str, str]] = {}


def key_pair(name: str) -> tuple[str, str]:
    """A 2048-bit RSA pair (private PEM, public PEM), made once per test session per name."""
    if name not in _KEYS:
        _KEYS[name] = _new_key()
    return _KEYS[name]


def sign(claims: dict[str, Any], private_pem: str, kid: str) -> str:
    """An RS256 JWT (PyJWT 1.x gives bytes, 2.x text)."""
    token = jwt.encode(claims, private_pem, algorithm="RS256", headers={"kid": kid})
    return token.decode() if isinstance(token, bytes) else token


@dataclass
class Platform:
    """The simulated LMS; `scores`, `token_requests` and `roster_requests` record what it got."""

    issuer: str = ISSUER
    client_id: str = CLIENT_ID
    deployment_id: str = DEPLOYMENT_ID
    kid: str = "platform-key-1"
    tool_jwks: dict | None = None
    members: list[dict] = field(default_factory=list)
    fail: set[str] = field(default_factory=set)
    scores: list[dict] = field(default_factory=list)
    token_requests: list[dict] = field(default_factory=list)
    roster_requests: int = 0
    tokens: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        self.private_pem, self.public_pem = key_pair("platform")

    # -- what an admin registers in quizapp --------------------------------------------
    @property
    def auth_login_url(self) -> str:
        return BASE + "/auth"

    @property
    def auth_token_url(self) -> str:
        return BASE + "/token"

    @property
    def key_set_url(self) -> str:
        return BASE + "/jwks"

    def jwks(self) -> dict:
        """The platform's public key set."""
        public = json.loads(JWK.from_pem(self.public_pem.encode()).export_public())
        public.update({"kid": self.kid, "alg": "RS256", "use": "sig"})
        return {"keys": [public]}

    # -- id tokens -----------------------------------------------------------------------
    def claims(
        self,
        nonce: str,
        subject: str = "lms-user-1",
        roles: tuple[str, ...] = (LEARNER,),
        message_type: str = "LtiResourceLinkRequest",
        context_id: str = "course-7",
        resource_link_id: str = "link-1",
        custom: dict | None = None,
        name: str = "Ana García",
        lineitem: str | None = BASE + "/lineitems/1/lineitem",
        **extra: Any,
    ) -> dict:
        """A launch's claims as a platform sends them (override any by keyword)."""
        now = int(time.time())
        body: dict[str, Any] = {
            "iss": self.issuer,
            "aud": self.client_id,
            "sub": subject,
            "iat": now,
            "exp": now + 300,
            "nonce": nonce,
            "name": name,
            "email": "ana@example.edu",
            LTI + "message_type": message_type,
            LTI + "version": "1.3.0",
            LTI + "deployment_id": self.deployment_id,
            LTI + "roles": list(roles),
            LTI + "target_link_uri": "http://localhost/lti/launch",
            LTI + "context": {"id": context_id, "title": "Historia 2B", "label": "HIS2B"},
            "https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice": {
                "context_memberships_url": BASE + "/memberships",
                "service_versions": ["2.0"],
            },
        }
        if message_type == "LtiResourceLinkRequest":
            body[LTI + "resource_link"] = {"id": resource_link_id, "title": "Quiz"}
            if custom:
                body[LTI + "custom"] = custom
            if lineitem:
                body["https://purl.imsglobal.org/spec/lti-ags/claim/endpoint"] = {
                    "scope": [SCORE_SCOPE, LINEITEM_SCOPE],
                    "lineitem": lineitem,
                    "lineitems": BASE + "/lineitems",
                }
        else:
            body["https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings"] = {
                "deep_link_return_url": BASE + "/deep-link-return",
                "accept_types": ["ltiResourceLink"],
                "accept_presentation_document_targets": ["iframe", "window"],
                "data": "opaque-platform-data",
            }
        body.update(extra)
        return body

    def id_token(self, claims: dict, private_pem: str | None = None, kid: str | None = None) -> str:
        """The claims signed with the platform's key (or another, for a bad signature)."""
        return sign(claims, private_pem or self.private_pem, kid or self.kid)

    # -- the browser's side of a launch ---------------------------------------------------
    def login(self, client, **params: str) -> dict[str, str]:
        """Start a launch at quizapp's /lti/login as the LMS does; the query of the
        authentication request quizapp redirects to (state, nonce, redirect_uri...)."""
        query = {
            "iss": self.issuer,
            "login_hint": "hint-1",
            "target_link_uri": "http://localhost/lti/launch",
            "lti_message_hint": "message-hint-1",
            "client_id": self.client_id,
            "lti_deployment_id": self.deployment_id,
        }
        query.update(params)
        response = client.post("/lti/login", data=query)
        assert response.status_code == 302, response.get_data(as_text=True)
        location = response.headers["Location"]
        assert location.startswith(self.auth_login_url + "?"), location
        return {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}

    def launch(self, client, token: str | None = None, state: str | None = None, **claims: Any):
        """A whole launch: login initiation, then the id token posted to /lti/launch.
        Returns (response, the posted form) so a test can post the same form again."""
        auth = self.login(client)
        if token is None:
            token = self.id_token(self.claims(auth["nonce"], **claims))
        form = {"id_token": token, "state": state or auth["state"]}
        return client.post("/lti/launch", data=form), form

    # -- the LMS's services ---------------------------------------------------------------
    def _tool_key(self, kid: str) -> str:
        assert self.tool_jwks, "give the platform quizapp's /lti/jwks first"
        for key in self.tool_jwks["keys"]:
            if key["kid"] == kid:
                return JWK(**key).export_to_pem().decode()
        raise AssertionError(f"no tool key {kid}")

    def wsgi(self, environ, start_response):
        """The platform's HTTP endpoints."""
        request = Request(environ)
        path = request.path
        for name in self.fail:
            if path.startswith("/" + name):
                return Response("down", status=503)(environ, start_response)
        if path == "/jwks":
            response = Response(json.dumps(self.jwks()), mimetype="application/json")
        elif path == "/token" and request.method == "POST":
            response = self._token(request)
        elif re.fullmatch(r"/lineitems/\d+/lineitem/scores", path) and request.method == "POST":
            response = self._score(request)
        elif path == "/memberships":
            response = self._memberships(request)
        else:
            response = Response("not found", status=404)
        return response(environ, start_response)

    def _token(self, request: Request) -> Response:
        assertion = request.form.get("client_assertion", "")
        header = jwt.get_unverified_header(assertion)
        claims = jwt.decode(
            assertion,
            self._tool_key(header["kid"]),
            algorithms=["RS256"],
            audience=self.auth_token_url,
        )
        assert claims["iss"] == claims["sub"] == self.client_id
        assert request.form.get("grant_type") == "client_credentials"
        token = secrets.token_urlsafe(16)
        self.tokens.add(token)
        self.token_requests.append({"scope": request.form.get("scope", ""), "claims": claims})
        body = {"access_token": token, "token_type": "Bearer", "expires_in": 3600}
        return Response(json.dumps(body), mimetype="application/json")

    def _authorised(self, request: Request) -> bool:
        auth = request.headers.get("Authorization", "")
        return auth.startswith("Bearer ") and auth[7:] in self.tokens

    def _score(self, request: Request) -> Response:
        if not self._authorised(request):
            return Response("unauthorised", status=401)
        assert request.mimetype == "application/vnd.ims.lis.v1.score+json"
        score = json.loads(request.get_data(as_text=True))
        score["_lineitem"] = request.path.rsplit("/scores", 1)[0]
        self.scores.append(score)
        return Response("", status=204)

    def _memberships(self, request: Request) -> Response:
        if not self._authorised(request):
            return Response("unauthorised", status=401)
        self.roster_requests += 1
        body = {
            "id": BASE + "/memberships",
            "context": {"id": "course-7", "title": "Historia 2B"},
            "members": self.members,
        }
        return Response(
            json.dumps(body),
            mimetype="application/vnd.ims.lti-nrps.v2.membershipcontainer+json",
        )

    def session(self) -> requests.Session:
        """A `requests` session whose calls to the platform are answered here (and any other
        address fails, as there is no network in tests)."""
        client = requests.Session()
        client.mount(BASE + "/", _WsgiAdapter(self.wsgi))
        client.mount("http://", _Refuse())
        client.mount("https://", _Refuse())
        client.mount(BASE + "/", _WsgiAdapter(self.wsgi))
        return client


class _Refuse(BaseAdapter):
    def send(self, request, **kwargs):
        raise requests.ConnectionError(f"no network in tests: {request.url}")

    def close(self):
        pass


class _WsgiAdapter(BaseAdapter):
    """A requests transport that hands each request to a WSGI app in process."""

    def __init__(self, app) -> None:
        super().__init__()
        self.client = Client(app)

    def send(self, request, **kwargs):
        parts = urlsplit(request.url)
        body = request.body
        if isinstance(body, str):
            body = body.encode()
        answer = self.client.open(
            parts.path,
            method=request.method,
            query_string=parts.query,
            headers=dict(request.headers),
            data=body or b"",
            base_url=f"{parts.scheme}://{parts.netloc}",
        )
        response = requests.Response()
        response.status_code = answer.status_code
        response.headers.update(dict(answer.headers))
        response._content = answer.get_data()
        response.url = request.url
        response.request = request
        response.encoding = "utf-8"
        return response

    def close(self):
        pass


def member(subject: str, name: str, role: str = LEARNER, status: str = "Active") -> dict:
    """One member as NRPS lists them."""
    return {"user_id": subject, "name": name, "roles": [role], "status": status}


def new_nonce() -> str:
    """A nonce no login issued."""
    return uuid.uuid4().hex
