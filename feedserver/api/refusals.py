"""Turn a conversation service's refusal into the API's one error shape, undoing the request."""

from contextlib import contextmanager

from flask_smorest import abort

from feedserver.conversations.errors import ConversationError
from feedserver.extensions import db


@contextmanager
def refusals():
    """Run service calls; a ConversationError rolls back and answers its status and field."""
    try:
        yield
    except ConversationError as exc:
        db.session.rollback()
        errors = {exc.field: [exc.message]} if exc.field else None
        abort(exc.status, message=exc.message, errors=errors)
