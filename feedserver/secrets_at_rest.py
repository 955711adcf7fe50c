"""Column types that keep integration secrets encrypted in the database (Fernet, from SECRET_KEY).

Signing secrets must be stored recoverably (an HMAC needs the secret itself), so they are
encrypted with a key derived from SECRET_KEY: a copy of the database alone reveals nothing.
Rotating SECRET_KEY therefore needs the integrations' secrets rotated too.
"""

import base64
import json
from functools import lru_cache
from typing import Any

import sqlalchemy as sa
from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app
from sqlalchemy.types import TypeDecorator

PREFIX = "fernet:"


@lru_cache(maxsize=8)
def _fernet(secret_key: str) -> Fernet:
    key = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=b"feedserver secrets at rest"
    ).derive(secret_key.encode())
    return Fernet(base64.urlsafe_b64encode(key))


def encrypt(plaintext: str) -> str:
    return PREFIX + _fernet(current_app.config["SECRET_KEY"]).encrypt(plaintext.encode()).decode()


def decrypt(stored: str) -> str:
    if not stored.startswith(PREFIX):
        return stored  # written before encryption existed
    try:
        token = stored[len(PREFIX) :].encode()
        return _fernet(current_app.config["SECRET_KEY"]).decrypt(token).decode()
    except InvalidToken as exc:
        raise RuntimeError("cannot decrypt a stored secret: was SECRET_KEY changed?") from exc


class EncryptedText(TypeDecorator):
    """A string encrypted at rest; reads and writes see the plaintext."""

    impl = sa.Text
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect) -> str | None:
        return None if value is None else encrypt(value)

    def process_result_value(self, value: str | None, dialect) -> str | None:
        return None if value is None else decrypt(value)


class EncryptedJSON(TypeDecorator):
    """A JSON document encrypted at rest (vendor credentials)."""

    impl = sa.Text
    cache_ok = True

    def process_bind_param(self, value: Any, dialect) -> str | None:
        return None if value is None else encrypt(json.dumps(value))

    def process_result_value(self, value: str | None, dialect) -> Any:
        return None if value is None else json.loads(decrypt(value))
