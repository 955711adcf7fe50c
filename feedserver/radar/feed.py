"""A team's activity as a feed: what a manager and everyone below them did or own."""

import sqlalchemy as sa

from feedserver.feed.teams import reports_below
from feedserver.feed.visibility import visible_items
from feedserver.models import FeedItem, Record, User


def team_feed(viewer: User, manager_id: int):
    """Items acted by anyone in the team, or about a record one of them owns; newest first."""
    members = sa.union(sa.select(sa.literal(manager_id)), reports_below(manager_id))
    owned = sa.select(Record.id).where(Record.owner_id.in_(members))
    about_team = sa.or_(
        FeedItem.actor_id.in_(members),
        sa.and_(FeedItem.object_kind == "record", FeedItem.object_id.in_(owned)),
    )
    return sa.select(FeedItem).where(about_team, visible_items(viewer)).order_by(FeedItem.id.desc())
