"""Correcting the diary over HTTP: ``GET``, ``PATCH`` and ``DELETE`` on
``/api/{kind}/{id}`` for every kind of record, the audit trail at
``/api/changes``, and ``POST /api/changes/{id}/undo``.

``PATCH`` is a merge: the fields given change, ``null`` empties an optional
one. ``DELETE`` answers the change it made, whose id undoes it: nothing is
lost by a mis-tap. Unknown ids are 404; an undo the diary no longer allows
(the record changed since) is 409.
"""

# No ``from __future__ import annotations``: the routes are made per kind
# below, and FastAPI reads their annotations, which name the kind's schemas.

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import Path, Query
from pydantic import BaseModel

from spasmcare.core.corrections import SAID, corrected
from spasmcare.core.diary import (
    Episode,
    HabitLog,
    MedicineTaken,
    PainEntry,
    Record,
    TreatmentSession,
)
from spasmcare.core.errors import NotFound
from spasmcare.web import routing
from spasmcare.web.api.problems import problems
from spasmcare.web.api.schemas import diary as schemas
from spasmcare.web.api.schemas.values import RecordId
from spasmcare.web.deps import KnowledgeDep, NowDep, StoreDep

router = routing.router(tags=["corrections"])

Id = Annotated[RecordId, Path(description="The record's id.")]
ChangeId = Annotated[RecordId, Path(description="The change's id (from /api/changes or the "
                                                "answer to a DELETE).")]

# kind: (model, path, the edit schema, the public schema and its mapping)
KINDS: tuple[tuple[type[Record], str, type[BaseModel], Any, Callable[[Any], Any]], ...] = (
    (Episode, "episodes", schemas.EpisodeEdit, schemas.EpisodePublic, schemas.episode_public),
    (PainEntry, "pain", schemas.PainEdit, schemas.PainPublic, schemas.pain_public),
    (TreatmentSession, "sessions", schemas.SessionEdit, schemas.SessionPublic,
     schemas.session_public),
    (MedicineTaken, "medicines", schemas.MedicineEdit, schemas.MedicinePublic,
     schemas.medicine_public),
    (HabitLog, "habits", schemas.HabitEdit, schemas.HabitPublic, schemas.habit_public),
)


def _add(model: type[Record], path: str, edit: type[BaseModel], public: Any,
         to_public: Callable[[Any], Any]) -> None:
    what = model.__name__

    def found(diary: Any, record_id: str) -> Any:
        record = diary.find(model, record_id)
        if record is None:
            raise NotFound(f"no {SAID[model]} has the id {record_id}")
        return record

    @router.get(f"/{path}/{{record_id}}", responses=problems(404, 422),
                name=f"get_{path}", summary=f"One {what} record")
    def get_one(record_id: Id, diary: StoreDep) -> public:  # type: ignore[valid-type]
        return to_public(found(diary, record_id))

    @router.patch(f"/{path}/{{record_id}}", responses=problems(400, 404, 422),
                  name=f"edit_{path}", summary=f"Correct a {what} record")
    def edit_one(record_id: Id, body: edit, diary: StoreDep,  # type: ignore[valid-type]
                 kb: KnowledgeDep, now: NowDep) -> public:  # type: ignore[valid-type]
        """The fields given change and the rest stay (null empties an optional
        field); the edit is kept in the audit trail. A record whose time moves
        joins the episode going on then."""
        record = found(diary, record_id)
        changes = body.model_dump(exclude_unset=True)  # type: ignore[attr-defined]
        if changes.get("triggers", ()) is None:
            changes["triggers"] = ()
        change = diary.correct(corrected(record, changes, now, kb.severity), now)
        return to_public(change.after if change else record)

    @router.delete(f"/{path}/{{record_id}}", responses=problems(404, 422),
                   name=f"delete_{path}", summary=f"Delete a {what} record")
    def delete_one(record_id: Id, diary: StoreDep, now: NowDep) -> schemas.ChangePublic:
        """Delete the record; the answer is the change, kept in the audit
        trail: ``POST /api/changes/{id}/undo`` puts the record back. A deleted
        episode's records stay in the diary, outside any episode."""
        return schemas.change_public(diary.delete(model, record_id, now), now)


for _kind in KINDS:
    _add(*_kind)


@router.get("/changes", responses=problems(422))
def list_changes(diary: StoreDep, now: NowDep,
                 limit: Annotated[int, Query(ge=1, le=1000)] = 50) -> list[schemas.ChangePublic]:
    """The audit trail: every edit and deletion, newest first."""
    return [schemas.change_public(c, now) for c in diary.changes(limit)]


@router.post("/changes/{change_id}/undo", responses=problems(404, 409, 422))
def undo_change(change_id: ChangeId, diary: StoreDep, now: NowDep) -> schemas.ChangePublic:
    """Undo an edit (the record as it was) or a deletion (the record back);
    409 when the record has changed since, or the change was undone already."""
    return schemas.change_public(diary.undo(now, change_id), now)
