"""The one error conversation services raise; routes turn it into the API's error shape."""


class ConversationError(ValueError):
    """Why a conversation action was refused, the HTTP status, and the field at fault."""

    def __init__(self, message: str, status: int = 422, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.status = status
        self.field = field


def not_found(kind: str, ref_id: int) -> ConversationError:
    return ConversationError(f"{kind} {ref_id} not found", status=404)
