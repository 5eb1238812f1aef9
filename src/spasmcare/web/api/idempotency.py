"""Creates that may be retried. A client that did not hear back (the answer
was lost, or two tabs send the same queued item) sends the create again with
the same client-chosen ``id`` in the body or the same ``Idempotency-Key``
header: the retry gets the first record back (with ``Idempotent-Replayed:
true``) and nothing new is stored. The same id with different content is
refused with 409."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import Header, HTTPException, Response
from pydantic import BaseModel

from spasmcare.core.diary import Record
from spasmcare.store.diary import DiaryStore

IdempotencyKey = Annotated[str | None, Header(
    alias="Idempotency-Key", min_length=1, max_length=255,
    description="Any text unique to this create (a UUID, say). Sending the same create "
                "again with the same key stores nothing new and answers the first record. "
                "Give this or the body's id, not both.")]
# Namespace of the ids made from idempotency keys (uuid5 of person, route and key).
KEYS = uuid.UUID("5f1c2b8e-4a3d-4c7e-9b1a-6d2e8f0a7c35")


def chosen_id(diary: DiaryStore, route: str, body_id: str | None,
              key: str | None) -> dict[str, str]:
    """The ``id`` field for ``make``: the body's, or one made from the key, or
    none (the core picks one)."""
    if body_id is not None and key is not None:
        raise HTTPException(400, "give the record's id or an Idempotency-Key, not both")
    if body_id is not None:
        return {"id": body_id}
    if key is not None:
        return {"id": uuid.uuid5(KEYS, f"{diary.person_id}\n{route}\n{key}").hex}
    return {}


def replayed(diary: DiaryStore, record: Record, body: BaseModel, response: Response,
             derived: tuple[str, ...] = ()) -> Record | None:
    """The record already stored under ``record``'s id, if this create is a
    retry (checked before a create whose rules would refuse the retry)."""
    kept = diary.find(type(record), record.id)
    if kept is not None:
        _replay(kept, record, body, response, derived)
    return kept


def save_once(diary: DiaryStore, record: Record, body: BaseModel, response: Response,
              derived: tuple[str, ...] = (), *, in_its_episode: bool = False) -> Any:
    """Store ``record`` unless a create with its id was stored before; the
    stored record either way. ``derived`` names fields worked out from the
    request (the triage's answers and urgency, say) that a retry must also
    match. With ``in_its_episode`` the record joins the episode going on at
    its time, if any (``DiaryStore.add_once``)."""
    kept, new = diary.add_once(record, in_its_episode=in_its_episode)
    if not new:
        _replay(kept, record, body, response, derived)
    return kept


def _replay(kept: Record, record: Record, body: BaseModel, response: Response,
            derived: tuple[str, ...]) -> None:
    """A retry must ask for what was stored: the fields the client gave and
    those worked out from them."""
    given = (body.model_fields_set - {"id"}) | set(derived)
    differ = sorted(f for f in given if f in type(record).model_fields
                    and getattr(kept, f) != getattr(record, f))
    if differ:
        raise HTTPException(409, f"id {record.id} was already used for a record with a "
                                 f"different {', '.join(differ)}; choose a new id")
    response.headers["Idempotent-Replayed"] = "true"
