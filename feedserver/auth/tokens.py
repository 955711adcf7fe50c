"""Personal API tokens: shown once, stored as a SHA-256 digest, sent as a Bearer token."""

import hashlib
import secrets

import sqlalchemy as sa

from feedserver.extensions import db
from feedserver.models import ApiToken, User
from feedserver.orm import utcnow

TOKEN_PREFIX = "fs_"


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(user: User, name: str) -> tuple[ApiToken, str]:
    """Create a token for `user`; the plaintext is returned here and never again."""
    plaintext = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user_id=user.id, name=name, token_hash=_digest(plaintext), prefix=plaintext[:10]
    )
    db.session.add(token)
    db.session.flush()
    return token, plaintext


def user_for_token(plaintext: str) -> User | None:
    """The active user a token belongs to, or None for an unknown or revoked token."""
    return db.session.scalar(_USER_FOR_DIGEST, {"digest": _digest(plaintext)})


def user_id_for_token(plaintext: str) -> int | None:
    """The id of the active user a token belongs to, for a Socket.IO handshake (no row loaded)."""
    return db.session.scalar(_USER_ID_FOR_DIGEST, {"digest": _digest(plaintext)})


def _for_digest(*columns) -> sa.Select:
    """`columns` of the active user whose unrevoked token has the digest bound as `digest`."""
    return (
        sa.select(*columns)
        .join(ApiToken, ApiToken.user_id == User.id)
        .where(
            ApiToken.token_hash == sa.bindparam("digest"),
            ApiToken.revoked_at.is_(None),
            User.active.is_(True),
        )
    )


# One statement for every request (built once, so its compiled form is cached): the token and
# its user in one round trip.
_USER_FOR_DIGEST = _for_digest(User)
# A handshake needs only the id; building the ORM row's objects for each of thousands of
# connections leaves their memory scattered between the connections' long-lived objects.
_USER_ID_FOR_DIGEST = _for_digest(User.id)


def revoke_token(token: ApiToken) -> None:
    token.revoked_at = utcnow()


def bearer_token(authorization: str | None) -> str | None:
    if not authorization:
        return None
    scheme, _, value = authorization.partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        return None
    return value.strip()
