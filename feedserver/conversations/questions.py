"""Questions: the asker marks one comment as the best answer."""

from feedserver.conversations.errors import ConversationError, not_found
from feedserver.conversations.live import item_watchers, push
from feedserver.extensions import db
from feedserver.models import BestAnswer, Comment, FeedItem, User
from feedserver.notifications.notify import notify


def mark_best_answer(asker: User, item: FeedItem, comment_id: int) -> BestAnswer:
    """Make `comment_id` the question's best answer (replacing any earlier choice)."""
    if item.verb != "question":
        raise ConversationError("only questions have a best answer", field="item_id")
    if item.actor_id != asker.id:
        raise ConversationError("only the person who asked may pick the best answer", 403)
    comment = db.session.get(Comment, comment_id)
    if comment is None or comment.deleted_at is not None:
        raise not_found("comment", comment_id)
    if comment.item_id != item.id:
        raise ConversationError(
            f"comment {comment_id} does not answer this question", field="comment_id"
        )
    best = db.session.get(BestAnswer, item.id)
    if best is None:
        best = BestAnswer(item_id=item.id, comment_id=comment.id)
        db.session.add(best)
    else:
        best.comment_id = comment.id
    db.session.flush()
    if comment.author_id is not None:
        notify("best_answer", {comment.author_id}, asker, item=item, comment=comment)
    from feedserver.api.presenters import item_payloads

    push("item_updated", {"item": item_payloads([item])[0]}, item_watchers(item))
    return best
