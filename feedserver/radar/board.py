"""What a team radar shows: recent visits, visits per rep this week and last, accounts visited
today, and key accounts nobody has visited in N days. Times are UTC; weeks start on Monday.

A radar covers a team: a manager and everyone below them (by default the viewer's own). It
shows only visits the viewer may see (feed.visit_visibility), and a rep's visits only while
they share them with their managers (User.share_visits_with_managers), unless the rep is
the viewer.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

import sqlalchemy as sa

from feedserver.extensions import db
from feedserver.feed.teams import team_ids
from feedserver.feed.visit_visibility import visit_visible
from feedserver.models import Record, User, Visit
from feedserver.orm import utcnow

WALL_SIZE = 50
KEY_TIER = "Key"


@dataclass
class RepCount:
    rep: User
    this_week: int = 0
    last_week: int = 0


@dataclass
class AccountToday:
    account: Record
    visits: int
    reps: list[User]
    last_visit_at: datetime


@dataclass
class StaleAccount:
    account: Record
    last_visit_at: datetime | None
    days_since: int | None


@dataclass
class Radar:
    team: User
    stale_days: int
    now: datetime
    week_start: datetime
    visits: list[Visit] = field(default_factory=list)
    counts: list[RepCount] = field(default_factory=list)
    visited_today: list[AccountToday] = field(default_factory=list)
    stale_accounts: list[StaleAccount] = field(default_factory=list)


def week_start(moment: datetime) -> datetime:
    """Monday 00:00 UTC of the week `moment` falls in."""
    day = moment.replace(hour=0, minute=0, second=0, microsecond=0)
    return day - timedelta(days=day.weekday())


def radar(viewer: User, team: User, stale_days: int, now: datetime | None = None) -> Radar:
    """The radar of `team` (a manager and everyone below them) as `viewer` may see it."""
    now = now or utcnow()
    this_week = week_start(now)
    members = _members(viewer, team)
    board = Radar(team=team, stale_days=stale_days, now=now, week_start=this_week)
    shown = _team_visits(viewer, {m.id for m in members}).where(Visit.visited_at <= now)
    board.visits = list(
        db.session.scalars(
            shown.order_by(Visit.visited_at.desc(), Visit.record_id.desc()).limit(WALL_SIZE)
        )
    )
    board.counts = _counts(shown, members, this_week)
    board.visited_today = _visited_today(shown, now)
    board.stale_accounts = _stale(viewer, {m.id for m in members}, stale_days, now)
    return board


def _members(viewer: User, team: User) -> list[User]:
    """The active people of the team whose visits reach a radar, by name."""
    return list(
        db.session.scalars(
            sa.select(User)
            .where(
                User.id.in_(team_ids(team.id)),
                User.active.is_(True),
                User.is_bot.is_(False),
                sa.or_(User.share_visits_with_managers.is_(True), User.id == viewer.id),
            )
            .order_by(User.name, User.id)
        )
    )


def _team_visits(viewer: User, member_ids: set[int]):
    """A SELECT of the live visits by these reps that `viewer` may see."""
    return (
        sa.select(Visit)
        .join(Record, Record.id == Visit.record_id)
        .where(
            Record.owner_id.in_(member_ids),
            Record.deleted_at.is_(None),
            visit_visible(viewer, Visit, Record),
        )
    )


def _counts(shown, members: list[User], this_week: datetime) -> list[RepCount]:
    last_week = this_week - timedelta(days=7)
    visits = shown.where(Visit.visited_at >= last_week).subquery()
    rows = db.session.execute(
        sa.select(
            Record.owner_id,
            sa.func.count().filter(visits.c.visited_at >= this_week),
            sa.func.count().filter(visits.c.visited_at < this_week),
        )
        .join(visits, visits.c.record_id == Record.id)
        .group_by(Record.owner_id)
    ).all()
    by_rep = {rep_id: (this, last) for rep_id, this, last in rows}
    counts = [RepCount(rep, *by_rep.get(rep.id, (0, 0))) for rep in members]
    counts.sort(key=lambda c: (-c.this_week, -c.last_week, c.rep.name))
    return counts


def _visited_today(shown, now: datetime) -> list[AccountToday]:
    today = now.replace(hour=0, minute=0, second=0, microsecond=0)
    visits = db.session.scalars(
        shown.where(Visit.visited_at >= today).order_by(Visit.visited_at.desc())
    ).all()
    accounts: dict[int, AccountToday] = {}
    for visit in visits:
        record = visit.record
        if record.account is None:
            continue
        entry = accounts.get(record.account_id)
        if entry is None:
            entry = accounts[record.account_id] = AccountToday(
                record.account, 0, [], visit.visited_at
            )
        entry.visits += 1
        if record.owner is not None and record.owner not in entry.reps:
            entry.reps.append(record.owner)
    return list(accounts.values())


def _stale(viewer: User, member_ids: set[int], stale_days: int, now: datetime):
    """Key accounts owned in the team whose last visit (that the viewer may see) is too old."""
    last_visit = (
        sa.select(Record.account_id, sa.func.max(Visit.visited_at).label("last_visit_at"))
        .join(Visit, Visit.record_id == Record.id)
        .where(
            Record.type_key == "visit",
            Record.deleted_at.is_(None),
            Visit.visited_at <= now,
            visit_visible(viewer, Visit, Record),
        )
        .group_by(Record.account_id)
        .subquery()
    )
    cutoff = now - timedelta(days=stale_days)
    rows = db.session.execute(
        sa.select(Record, last_visit.c.last_visit_at)
        .outerjoin(last_visit, last_visit.c.account_id == Record.id)
        .where(
            Record.type_key == "account",
            Record.deleted_at.is_(None),
            Record.owner_id.in_(member_ids),
            Record.fields["tier"].as_string() == KEY_TIER,
            sa.or_(last_visit.c.last_visit_at.is_(None), last_visit.c.last_visit_at < cutoff),
        )
    ).all()
    stale = [
        StaleAccount(account, last, (now - last).days if last is not None else None)
        for account, last in rows
    ]
    # Never visited first, then the longest since a visit.
    stale.sort(key=lambda s: (s.last_visit_at is not None, s.last_visit_at or now, s.account.name))
    return stale
