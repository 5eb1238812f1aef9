"""/api/pain, /api/medicines and /api/habits: the quick diary entries.

Pain entries and medicines belong to the episode going on at their time, if
there was one, as they do in the CLI; habits belong to no episode."""

from __future__ import annotations

from fastapi import Response

from spasmcare.core.diary import HabitLog, MedicineTaken, PainEntry, make
from spasmcare.web import routing
from spasmcare.web.api.idempotency import IdempotencyKey, chosen_id, save_once
from spasmcare.web.api.problems import problems
from spasmcare.web.api.schemas.diary import (
    HabitCreate,
    HabitPublic,
    MedicineCreate,
    MedicinePublic,
    PainCreate,
    PainPublic,
    habit_public,
    medicine_public,
    pain_public,
)
from spasmcare.web.api.schemas.values import Since, Until
from spasmcare.web.deps import KnowledgeDep, NowDep, StoreDep

pain_router = routing.router(prefix="/pain", tags=["pain"])
medicines_router = routing.router(prefix="/medicines", tags=["medicines"])
habits_router = routing.router(prefix="/habits", tags=["habits"])


@pain_router.get("", responses=problems(422))
def list_pain(diary: StoreDep, since: Since = None, until: Until = None) -> list[PainPublic]:
    """Pain entries, oldest first."""
    return [pain_public(p) for p in diary.records(PainEntry, since, until)]


@pain_router.post("", status_code=201, responses=problems(400, 409, 422))
def log_pain(body: PainCreate, diary: StoreDep, kb: KnowledgeDep, now: NowDep,
             response: Response, key: IdempotencyKey = None) -> PainPublic:
    """Record how the back is now; the severity comes from the pain and its impact."""
    entry = make(PainEntry, now, **body.model_dump(exclude={"at", "id"}), at=body.at or now,
                 severity=kb.severity.classify(body.pain, body.impact),
                 **chosen_id(diary, "pain", body.id, key))
    return pain_public(save_once(diary, entry, body, response, in_its_episode=True))


@medicines_router.get("", responses=problems(422))
def list_medicines(diary: StoreDep, since: Since = None,
                   until: Until = None) -> list[MedicinePublic]:
    """Medicines taken, oldest first."""
    return [medicine_public(m) for m in diary.records(MedicineTaken, since, until)]


@medicines_router.post("", status_code=201, responses=problems(400, 409, 422))
def log_medicine(body: MedicineCreate, diary: StoreDep, now: NowDep, response: Response,
                 key: IdempotencyKey = None) -> MedicinePublic:
    """Record a medicine taken. SpasmCare never suggests doses."""
    record = make(MedicineTaken, now, **body.model_dump(exclude={"at", "id"}), at=body.at or now,
                  **chosen_id(diary, "medicines", body.id, key))
    return medicine_public(save_once(diary, record, body, response, in_its_episode=True))


@habits_router.get("", responses=problems(422))
def list_habits(diary: StoreDep, since: Since = None, until: Until = None) -> list[HabitPublic]:
    """Prevention habits logged, oldest first."""
    return [habit_public(h) for h in diary.records(HabitLog, since, until)]


@habits_router.post("", status_code=201, responses=problems(400, 409, 422))
def log_habit(body: HabitCreate, diary: StoreDep, now: NowDep, response: Response,
              key: IdempotencyKey = None) -> HabitPublic:
    """Record a prevention habit: water, walking, planks, breaks from sitting."""
    record = make(HabitLog, now, **body.model_dump(exclude={"at", "id"}), at=body.at or now,
                  **chosen_id(diary, "habits", body.id, key))
    return habit_public(save_once(diary, record, body, response))
