"""/api/sessions: treatment sessions (ice, heat, walks...) and how they helped."""

from __future__ import annotations

from fastapi import Response

from spasmcare.core.diary import TreatmentSession, make
from spasmcare.web import routing
from spasmcare.web.api.idempotency import IdempotencyKey, chosen_id, save_once
from spasmcare.web.api.problems import problems
from spasmcare.web.api.schemas.diary import SessionCreate, SessionPublic, session_public
from spasmcare.web.api.schemas.values import Since, Until
from spasmcare.web.deps import NowDep, StoreDep

router = routing.router(prefix="/sessions", tags=["sessions"])


@router.get("", responses=problems(422))
def list_sessions(diary: StoreDep, since: Since = None,
                  until: Until = None) -> list[SessionPublic]:
    """Treatment sessions, oldest first (by start)."""
    return [session_public(s) for s in diary.records(TreatmentSession, since, until)]


@router.post("", status_code=201, responses=problems(400, 409, 422))
def record_session(body: SessionCreate, diary: StoreDep, now: NowDep, response: Response,
                   key: IdempotencyKey = None) -> SessionPublic:
    """Record a session, done or stopped early; it belongs to the episode going
    on when it started, if any.
    The timer pages send each session with an Idempotency-Key, so that a
    session sent again (its answer was lost, or two tabs flush the same queued
    one) is stored once."""
    session = make(TreatmentSession, now, **body.model_dump(exclude={"id"}),
                   **chosen_id(diary, "sessions", body.id, key))
    return session_public(save_once(diary, session, body, response, in_its_episode=True))
