"""Polls on posts: 2–10 choices, one changeable vote per person, results pushed live."""

import sqlalchemy as sa

from feedserver.conversations.errors import ConversationError
from feedserver.conversations.live import item_watchers, push
from feedserver.extensions import db
from feedserver.models import FeedItem, PollChoice, PollVote, User

MIN_CHOICES, MAX_CHOICES = 2, 10


def attach_poll(item: FeedItem, labels: list[str]) -> list[PollChoice]:
    """Give a new post its poll choices, in the given order."""
    cleaned = [label.strip() for label in labels]
    if not MIN_CHOICES <= len(cleaned) <= MAX_CHOICES:
        raise ConversationError(
            f"a poll needs {MIN_CHOICES} to {MAX_CHOICES} choices", field="poll.choices"
        )
    if any(not label for label in cleaned):
        raise ConversationError("poll choices must not be empty", field="poll.choices")
    if len({label.lower() for label in cleaned}) != len(cleaned):
        raise ConversationError("poll choices must differ", field="poll.choices")
    choices = [
        PollChoice(item_id=item.id, position=position, label=label)
        for position, label in enumerate(cleaned)
    ]
    db.session.add_all(choices)
    db.session.flush()
    return choices


def vote(voter: User, item: FeedItem, choice_id: int) -> dict:
    """Record (or change) the voter's choice; voting again for the same choice changes nothing."""
    choice = db.session.get(PollChoice, choice_id)
    if not has_poll(item.id):
        raise ConversationError("this item has no poll", status=404, field="item_id")
    if choice is None or choice.item_id != item.id:
        raise ConversationError(
            f"choice {choice_id} is not a choice of this poll", field="choice_id"
        )
    current = db.session.get(PollVote, {"item_id": item.id, "user_id": voter.id})
    if current is None:
        db.session.add(PollVote(item_id=item.id, user_id=voter.id, choice_id=choice.id))
    elif current.choice_id == choice.id:
        return results(item.id)
    else:
        current.choice_id = choice.id
    db.session.flush()
    return _changed(item)


def retract(voter: User, item: FeedItem) -> dict:
    """Take the voter's vote back."""
    deleted = db.session.execute(
        sa.delete(PollVote).where(PollVote.item_id == item.id, PollVote.user_id == voter.id)
    ).rowcount
    if not deleted:
        raise ConversationError("you have not voted in this poll", status=404)
    return _changed(item)


def has_poll(item_id: int) -> bool:
    return (
        db.session.scalar(sa.select(PollChoice.id).where(PollChoice.item_id == item_id).limit(1))
        is not None
    )


def results(item_id: int) -> dict:
    """The poll's choices with their vote counts (JSON-ready)."""
    return results_for([item_id]).get(item_id)


def results_for(item_ids: list[int]) -> dict[int, dict]:
    """Poll results for the items that have polls, by item id."""
    if not item_ids:
        return {}
    votes = sa.func.count(PollVote.user_id)
    rows = db.session.execute(
        sa.select(PollChoice, votes)
        .outerjoin(PollVote, PollVote.choice_id == PollChoice.id)
        .where(PollChoice.item_id.in_(item_ids))
        .group_by(PollChoice.id)
        .order_by(PollChoice.item_id, PollChoice.position)
    ).all()
    polls: dict[int, dict] = {}
    for choice, count in rows:
        poll = polls.setdefault(choice.item_id, {"choices": [], "total_votes": 0})
        poll["choices"].append({"id": choice.id, "label": choice.label, "votes": count})
        poll["total_votes"] += count
    return polls


def my_votes(voter_id: int, item_ids: list[int]) -> dict[int, int]:
    if not item_ids:
        return {}
    rows = db.session.execute(
        sa.select(PollVote.item_id, PollVote.choice_id).where(
            PollVote.user_id == voter_id, PollVote.item_id.in_(item_ids)
        )
    )
    return dict(rows.all())


def _changed(item: FeedItem) -> dict:
    poll = results(item.id)
    push("poll_changed", {"item_id": item.id, "poll": poll}, item_watchers(item))
    return poll
