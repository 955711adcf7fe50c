"""Apply one translated inbound change: resolve people and records, then change the feed.

The caller owns the transaction; a ProcessingError means the event failed and nothing of it
may be kept.
"""

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa

from feedserver.auth.users import find_user_by_email
from feedserver.extensions import db
from feedserver.models import Integration, Record, User
from feedserver.records.apply import ChangeError, apply_change, find_record
from feedserver.records.changes import UNSET, RecordChange
from feedserver.records.visits import VISIT_TYPE, log_visit
from feedserver.webhooks.changes import InboundChange
from feedserver.webhooks.posts import PostError, post_to_record, post_to_user

RECORD_ACTIONS = {
    "record.created": "upsert",  # a vendor may resend a create for a record we already hold
    "record.updated": "update",
    "record.deleted": "delete",
    "record.undeleted": "undelete",
}


class ProcessingError(ValueError):
    """Why an event could not be applied; stored with the event for admins."""


@dataclass
class Outcome:
    """What an event did: "processed" or "ignored", with the record and item it touched."""

    status: str = "processed"
    record_id: int | None = None
    item_id: int | None = None
    created: bool = False
    notes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "record_id": self.record_id,
            "item_id": self.item_id,
            "created": self.created,
            "notes": self.notes,
        }


def process_change(change: InboundChange, integration: Integration, item_key: str) -> Outcome:
    """Apply `change` on behalf of `integration`; `item_key` keeps its feed item unique."""
    if change.kind == "gap":
        return Outcome("ignored", notes=change.warnings or ["the sender reported lost events"])
    if change.kind == "post.created":
        return _post(change, integration, item_key)
    if change.record_type is None:
        reasons = "; ".join(change.warnings) or "the integration's mapping names no record type"
        raise ProcessingError(f"no record type for this event: {reasons}")
    creating = change.kind in ("visit.logged", "record.created")
    if change.record_type == VISIT_TYPE and creating and not _existing(change, integration):
        return _visit(change, integration, item_key)
    return _record(change, integration, item_key)


def _record(change: InboundChange, integration: Integration, item_key: str) -> Outcome:
    if change.kind not in RECORD_ACTIONS and change.kind != "visit.logged":
        raise ProcessingError(f"cannot apply event type {change.kind!r}")
    notes: list[str] = []
    owner_id = _owner_id(change, integration)
    account_id: Any = UNSET
    if change.account_external_id is not UNSET:
        account_id = None
        if change.account_external_id is not None:
            account_id = _account(change.account_external_id, integration).id
    record_change = RecordChange(
        action=RECORD_ACTIONS.get(change.kind, "upsert"),
        record_type=change.record_type,
        actor_id=_actor_id(_named_actor(change, integration, notes), integration),
        source=integration.source,
        external_id=change.external_id,
        name=change.name,
        owner_id=owner_id,
        account_id=account_id,
        fields=dict(change.fields),
        occurred_at=change.occurred_at,
        idempotency_key=item_key,
    )
    existing = find_record(record_change)
    if record_change.action == "delete" and existing is None:
        return Outcome("ignored", notes=[f"{change.record_type} {change.external_id} is unknown"])
    if existing is not None:
        record_change.record_id = existing.id  # apply_change finds it again without a query
    unnamed = record_change.name is UNSET or not record_change.name
    creating = record_change.action in ("upsert", "update") and existing is None
    if creating and unnamed:
        # Vendors often announce a change of a record we never saw, without its name;
        # its id stands in until a later event names it.
        record_change.name = f"{change.record_type} {change.external_id}"
    try:
        result = apply_change(record_change)
    except ChangeError as exc:
        raise ProcessingError(exc.message) from None
    return Outcome(
        record_id=result.record.id,
        item_id=result.item.id if result.item else None,
        created=result.created,
        notes=notes,
    )


def _visit(change: InboundChange, integration: Integration, item_key: str) -> Outcome:
    notes: list[str] = []
    actor = _named_actor(change, integration, notes)
    owner_id = _owner_id(change, integration)
    rep = db.session.get(User, owner_id) if owner_id not in (UNSET, None) else None
    if rep is None and actor is not None and not actor.is_bot:
        rep = actor
    if rep is None:
        raise ProcessingError("a visit needs its rep (owner) as a known person")
    if change.account_external_id in (UNSET, None):
        raise ProcessingError("a visit needs the account it was for")
    account = _account(change.account_external_id, integration)
    extra = change.extra or {}
    contacts = extra.get("contacts") or extra.get("contact_external_ids") or []
    purpose = extra.get("purpose") or change.fields.get("purpose")
    deal = None
    if extra.get("deal_external_id"):
        deal = _record_by_external_id("opportunity", str(extra["deal_external_id"]), integration)
    try:
        result = log_visit(
            account=account,
            rep=rep,
            actor_id=_actor_id(actor, integration),
            visited_at=_moment(extra.get("visited_at")) or change.occurred_at,
            contacts=[str(c) for c in contacts],
            purpose=str(purpose) if purpose else None,
            notes=change.body,
            deal=deal,
            visibility=extra.get("visibility") or "team",
            source=integration.source,
            external_id=change.external_id,
            idempotency_key=item_key,
        )
    except ChangeError as exc:
        raise ProcessingError(exc.message) from None
    return Outcome(record_id=result.record.id, item_id=result.item.id, created=True, notes=notes)


def _post(change: InboundChange, integration: Integration, item_key: str) -> Outcome:
    if not change.body or not change.body.strip():
        raise ProcessingError("a post needs text")
    actor_id = integration.bot_user_id
    target_email = (change.extra or {}).get("target_user_email")
    if target_email:
        user = find_user_by_email(target_email)
        if user is None or not user.active or user.is_bot:
            raise ProcessingError(f"no person with email {target_email}")
        try:
            item = post_to_user(
                user, actor_id, change.body, source=integration.source, idempotency_key=item_key
            )
        except PostError as exc:
            raise ProcessingError(str(exc)) from None
        return Outcome(item_id=item.id)
    record = _record_by_external_id(change.record_type, change.external_id, integration)
    try:
        item = post_to_record(
            record, actor_id, change.body, source=integration.source, idempotency_key=item_key
        )
    except PostError as exc:
        raise ProcessingError(str(exc)) from None
    return Outcome(record_id=record.id, item_id=item.id)


def _existing(change: InboundChange, integration: Integration) -> Record | None:
    if change.external_id is None:
        return None
    return _find(change.record_type, change.external_id, integration)


def _find(record_type: str | None, external_id: str | None, integration: Integration):
    return db.session.scalar(
        sa.select(Record).where(
            Record.source == integration.source,
            Record.type_key == record_type,
            Record.external_id == external_id,
        )
    )


def _record_by_external_id(record_type, external_id, integration: Integration) -> Record:
    record = _find(record_type, external_id, integration)
    if record is None or record.deleted_at is not None:
        raise ProcessingError(f"no {record_type} with external id {external_id!r}")
    return record


def _account(external_id: str, integration: Integration) -> Record:
    account = _find("account", str(external_id), integration)
    if account is None:
        raise ProcessingError(f"no account with external id {external_id!r} (send it first)")
    return account


def _person(email: str | None, external_id: Any, integration: Integration, role: str) -> User:
    """The active person named by email, or by vendor id through the integration's user map."""
    if email is None and external_id is not None:
        email = (integration.user_map or {}).get(str(external_id))
        if email is None:
            raise ProcessingError(
                f"unknown {role}: vendor user {external_id!r} is not in the integration's user_map"
            )
    user = find_user_by_email(email) if email else None
    if user is None or not user.active:
        raise ProcessingError(f"unknown {role}: no active user with email {email}")
    return user


def _owner_id(change: InboundChange, integration: Integration) -> Any:
    external = (change.extra or {}).get("owner_external_id")
    if change.owner_email is UNSET and external is None:
        return UNSET
    if change.owner_email is None and external is None:
        return None
    email = change.owner_email if change.owner_email is not UNSET else None
    return _person(email, external, integration, "owner").id


def _actor_id(person: User | None, integration: Integration) -> int:
    """Who did it: the named person, else the integration's bot (its id alone, not loaded)."""
    return person.id if person is not None else integration.bot_user_id


def _named_actor(change: InboundChange, integration: Integration, notes: list[str]) -> User | None:
    """The person the event names as its actor; None for the bot (nobody named, or unmapped)."""
    if change.actor_email:
        return _person(change.actor_email, None, integration, "actor")
    external = (change.extra or {}).get("actor_external_id")
    if external is not None:
        email = (integration.user_map or {}).get(str(external))
        if email is not None:
            return _person(email, None, integration, "actor")
        notes.append(f"actor {external!r} is not in the user_map; shown as the integration")
    return None


def _moment(value: Any) -> datetime | None:
    """A visit time given as a datetime or an ISO 8601 string (None if neither)."""
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    if isinstance(value, str):
        try:
            return _moment(datetime.fromisoformat(value.replace("Z", "+00:00")))
        except ValueError:
            return None
    return None
