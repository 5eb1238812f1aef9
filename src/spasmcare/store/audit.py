"""The audit trail's rows (``tables.record_changes``) to and from the core's
``Change``; ``DiaryStore`` writes them in the transaction of the change."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import Connection, Select, insert, select

from spasmcare.core.corrections import KINDS, NAMES, Change
from spasmcare.core.diary import Record
from spasmcare.store import tables

CHANGES = tables.record_changes
_INSERT = insert(CHANGES)


def _json(record: Record | None) -> Any:
    return None if record is None else record.model_dump(mode="json")


def write(conn: Connection, person_id: str, change: Change) -> None:
    conn.execute(_INSERT, {
        "id": change.id, "person_id": person_id, "made_at": change.made_at,
        "action": change.action, "kind": NAMES[change.model], "record_id": change.record_id,
        "before": _json(change.before), "after": _json(change.after),
        "detached": {kind: list(ids) for kind, ids in change.detached.items()},
        "undoes": change.undoes,
    })


def read(rows: Iterable[Any]) -> list[Change]:
    changes = []
    for row in rows:
        model = KINDS[row.kind]
        changes.append(Change(
            id=row.id, made_at=row.made_at, action=row.action, model=model,
            record_id=row.record_id,
            before=None if row.before is None else model.model_validate(row.before),
            after=None if row.after is None else model.model_validate(row.after),
            undoes=row.undoes,
            detached={kind: tuple(ids) for kind, ids in (row.detached or {}).items()}))
    return changes


def mine(person_id: str) -> Select[Any]:
    """This person's changes, newest first."""
    return (select(CHANGES).where(CHANGES.c.person_id == person_id)
            .order_by(CHANGES.c.made_at.desc(), CHANGES.c.id.desc()))
