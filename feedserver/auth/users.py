"""Create and look up people."""

import sqlalchemy as sa

from feedserver.auth.passwords import hash_password, verify_password
from feedserver.extensions import db
from feedserver.models import User


class UserError(ValueError):
    def __init__(self, message: str, field: str | None = None, status: int = 422):
        super().__init__(message)
        self.message = message
        self.field = field
        self.status = status


def normalise_email(email: str) -> str:
    return email.strip().lower()


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(sa.select(User).where(User.email == normalise_email(email)))


def create_user(
    email: str,
    name: str,
    password: str | None = None,
    *,
    title: str | None = None,
    department: str | None = None,
    manager: User | None = None,
    is_admin: bool = False,
    is_bot: bool = False,
) -> User:
    email = normalise_email(email)
    if "@" not in email:
        raise UserError("email is not an address", "email")
    if find_user_by_email(email) is not None:
        raise UserError(f"a user with email {email} already exists", "email", status=409)
    user = User(
        email=email,
        name=name.strip() or email,
        title=title,
        department=department,
        manager=manager,
        is_admin=is_admin,
        is_bot=is_bot,
        password_hash=hash_password(password) if password else None,
    )
    db.session.add(user)
    db.session.flush()
    return user


def authenticate(email: str, password: str) -> User | None:
    """The active, human user with this email and password, or None."""
    user = find_user_by_email(email)
    ok = verify_password(user.password_hash if user else None, password)
    if user is None or not ok or not user.active or user.is_bot:
        return None
    return user
