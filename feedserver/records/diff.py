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
        if not same_value(before.get(name), after.get(name))
    ]


def same_value(old: Any, new: Any) -> bool:
    """Equal in meaning: CRMs send numbers as text ("180000", "40000.0") and that is no change."""
    if old == new:
        return True
    old_number, new_number = _as_number(old), _as_number(new)
    return old_number is not None and old_number == new_number


def _as_number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value.strip())
        except ValueError:
            return None
    return None
