"""Compare a record's tracked values before and after a change."""

from typing import Any

from feedserver.records.changes import FieldChange


def tracked_values(record, tracked: list[str]) -> dict[str, Any]:
    """The record's current value of each tracked field, people and accounts by name."""
    values = {}
    for name in tracked:
        if name == "name":
            values[name] = record.name
        elif name == "owner":
            values[name] = record.owner.name if record.owner else None
        elif name == "account":
            values[name] = record.account.name if record.account else None
        else:
            values[name] = (record.fields or {}).get(name)
    return values


def diff(before: dict[str, Any], after: dict[str, Any]) -> list[FieldChange]:
    """The tracked fields whose value differs, in the order they are tracked."""
    return [
        FieldChange(name, before.get(name), after.get(name))
        for name in after
        if before.get(name) != after.get(name)
    ]
