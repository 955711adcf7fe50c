"""Visits and radars as plain dicts, for the JSON API and the radar page alike."""

from feedserver.models import Visit
from feedserver.radar.board import Radar


def visit_dict(visit: Visit) -> dict:
    """One visit: who, where, when, why, and the deal it relates to."""
    record = visit.record
    fields = record.fields or {}
    return {
        "id": record.id,
        "rep": record.owner,
        "account": record.account,
        "deal": visit.deal,
        "visibility": visit.visibility,
        "status": fields.get("status"),
        "purpose": fields.get("purpose"),
        "notes": fields.get("notes"),
        "outcome": fields.get("outcome"),
        "contacts": list(fields.get("contacts") or []),
        "visited_at": visit.visited_at,
        "checked_in_at": visit.checked_in_at,
        "checked_out_at": visit.checked_out_at,
        "place": visit.place,
    }


def radar_dict(board: Radar) -> dict:
    """The whole radar, in the shape of api.schemas.radar.RadarSchema."""
    return {
        "team": board.team,
        "stale_days": board.stale_days,
        "now": board.now,
        "week_start": board.week_start,
        "visits": [visit_dict(v) for v in board.visits],
        "counts": [
            {"rep": c.rep, "this_week": c.this_week, "last_week": c.last_week} for c in board.counts
        ],
        "visited_today": [
            {
                "account": a.account,
                "visits": a.visits,
                "reps": a.reps,
                "last_visit_at": a.last_visit_at,
            }
            for a in board.visited_today
        ],
        "stale_accounts": [
            {"account": s.account, "last_visit_at": s.last_visit_at, "days_since": s.days_since}
            for s in board.stale_accounts
        ],
    }
