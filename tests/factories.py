"""Build test data through the services, returning plain values (no live ORM objects)."""

from types import SimpleNamespace

from feedserver.auth.tokens import issue_token
from feedserver.auth.users import create_user, find_user_by_email
from feedserver.extensions import db
from feedserver.feed.follows import follow
from feedserver.models import Record, User
from feedserver.records.apply import apply_change
from feedserver.records.changes import RecordChange


class Factory:
    """Creates users, records and follows in their own short app context."""

    def __init__(self, app):
        self.app = app

    def user(self, email, name=None, *, password="secret", manager=None, admin=False, token=True):
        with self.app.app_context():
            manager_user = find_user_by_email(manager.email) if manager else None
            user = create_user(
                email,
                name or email.split("@")[0].title(),
                password,
                manager=manager_user,
                is_admin=admin,
            )
            plaintext = issue_token(user, "test")[1] if token else None
            db.session.commit()
            return SimpleNamespace(id=user.id, email=user.email, name=user.name, token=plaintext)

    def record(self, record_type, name, *, owner=None, account=None, actor=None, **fields):
        with self.app.app_context():
            result = apply_change(
                RecordChange(
                    action="create",
                    record_type=record_type,
                    actor_id=actor.id if actor else None,
                    name=name,
                    owner_id=owner.id if owner else None,
                    account_id=account.id if account else None,
                    fields=fields,
                )
            )
            db.session.commit()
            return SimpleNamespace(id=result.record.id, name=name, type=record_type)

    def follow(self, follower, subject):
        kind = "record" if hasattr(subject, "type") else "user"
        with self.app.app_context():
            follow(db.session.get(User, follower.id), kind, subject.id)
            db.session.commit()

    def get_record(self, record_id):
        with self.app.app_context():
            record = db.session.get(Record, record_id)
            return SimpleNamespace(
                name=record.name,
                fields=dict(record.fields),
                version=record.version,
                deleted=record.is_deleted,
            )
