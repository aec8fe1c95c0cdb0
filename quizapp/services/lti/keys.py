"""quizapp's own RSA key pair for LTI: it signs deep-linking responses and the assertions that
ask a platform for a service token; platforms read its public half at /lti/jwks.

Made on first use (2048-bit RSA, as LTI's security framework asks for RS256) and kept in the
database (`lti_tool_keys`), so every server signs with the same key and nothing secret is in
the repository or the instance folder.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass

import sqlalchemy as sa
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from jwcrypto.jwk import JWK

from quizapp.extensions import db
from quizapp.models import LtiToolKey, utcnow

KEY_BITS = 2048


@dataclass(frozen=True)
class ToolKey:
    """The signing key: its id (`kid`), private key and public key, both PEM text."""

    kid: str
    private_pem: str
    public_pem: str


def _new_private_pem() -> str:
    key = rsa.generate_private_key(public_exponent=65537, key_size=KEY_BITS)
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode("ascii")


@functools.lru_cache(maxsize=8)
def _public_pem(private_pem: str) -> str:
    # Loading an RSA private key checks it (milliseconds); a process derives each key's
    # public half once.
    key = serialization.load_pem_private_key(private_pem.encode("ascii"), password=None)
    return (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode("ascii")
    )


def key_id(public_pem: str) -> str:
    """The key's id: its RFC 7638 thumbprint, the `kid` pylti1p3 puts in the headers of what
    it signs with this key (`Registration.get_kid`), so platforms find it in our key set."""
    return JWK.from_pem(public_pem.encode("ascii")).thumbprint()


def _newest() -> LtiToolKey | None:
    return db.session.scalar(sa.select(LtiToolKey).order_by(LtiToolKey.id.desc()).limit(1))


def signing_key() -> ToolKey:
    """The newest key pair, made and stored (on its own connection, committed) when there is
    none yet. Two servers making one at once: both rows are kept (distinct keys, distinct
    thumbprints), the newest signs, and both are published, so either signature verifies."""
    row = _newest()
    if row is not None:
        return ToolKey(row.kid, row.private_key, _public_pem(row.private_key))
    pem = _new_private_pem()
    public = _public_pem(pem)
    kid = key_id(public)
    with db.engine.begin() as connection:
        connection.execute(
            sa.insert(LtiToolKey.__table__).values(kid=kid, private_key=pem, created_at=utcnow())
        )
    return ToolKey(kid, pem, public)


def _public_jwk(kid: str, public_pem: str) -> dict:
    public = json.loads(JWK.from_pem(public_pem.encode("ascii")).export_public())
    public.update({"kid": kid, "alg": "RS256", "use": "sig"})
    return public


def jwks() -> dict:
    """The JSON Web Key Set of every stored key's public half (RFC 7517): `{"keys": [...]}`,
    each with `kid`, `alg` RS256 and `use` sig, the signing key first. Makes the first key
    when there is none."""
    signing = signing_key()
    keys = [_public_jwk(signing.kid, signing.public_pem)]
    # (A key made just now is not in this session's snapshot yet: it is listed above.)
    for row in db.session.scalars(sa.select(LtiToolKey).order_by(LtiToolKey.id.desc())):
        if row.kid != signing.kid:
            keys.append(_public_jwk(row.kid, _public_pem(row.private_key)))
    return {"keys": keys}
