"""Per-record inbound URLs: a secret token that lets a simple system post to one record."""

import hashlib
import secrets

import sqlalchemy as sa

from feedserver.auth.users import create_user
from feedserver.extensions import db
from feedserver.models import FeedItem, Record, RecordInboundToken, User
from feedserver.orm import utcnow
from feedserver.webhooks.posts import post_to_record

TOKEN_PREFIX = "fsr_"
SOURCE = "inbound_url"


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_record_token(record: Record, created_by: User, label: str | None = None) -> str:
    """Revoke the record's current token and issue a new one; the plaintext is returned once."""
    revoke_record_tokens(record)
    name = label or f"Inbound URL of {record.name}"
    bot = create_user(f"inbound-{secrets.token_hex(6)}@bots.invalid", name[:255], is_bot=True)
    plaintext = TOKEN_PREFIX + secrets.token_urlsafe(32)
    db.session.add(
        RecordInboundToken(
            record_id=record.id,
            token_hash=_digest(plaintext),
            prefix=plaintext[:10],
            bot_user_id=bot.id,
            created_by_id=created_by.id,
        )
    )
    db.session.flush()
    return plaintext


def revoke_record_tokens(record: Record) -> int:
    """Revoke every live token of the record; returns how many there were."""
    tokens = db.session.scalars(
        sa.select(RecordInboundToken).where(
            RecordInboundToken.record_id == record.id, RecordInboundToken.revoked_at.is_(None)
        )
    ).all()
    for token in tokens:
        token.revoked_at = utcnow()
        token.bot_user.active = False
    return len(tokens)


def record_token(plaintext: str) -> RecordInboundToken | None:
    """The live token for this plaintext, if its record still exists."""
    token = db.session.scalar(
        sa.select(RecordInboundToken).where(
            RecordInboundToken.token_hash == _digest(plaintext),
            RecordInboundToken.revoked_at.is_(None),
        )
    )
    if token is None or token.record.deleted_at is not None:
        return None
    return token


def post_through_token(token: RecordInboundToken, text: str) -> FeedItem:
    """Post `text` on the token's record, as the token's bot."""
    return post_to_record(token.record, token.bot_user_id, text, source=SOURCE)
