"""The diary over HTTP: episodes, pain entries, treatment sessions, medicines,
habits and the person's own settings. Requests name what a person tells us;
responses add what the core works out (ids, severity, the open episode)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import Field, StrictBool

from spasmcare.core.corrections import NAMES, Change, said_change
from spasmcare.core.diary import Episode, HabitLog, MedicineTaken, PainEntry, TreatmentSession
from spasmcare.core.diary_terms import (
    HABIT_UNITS,
    HabitKind,
    Mobility,
    Region,
    Side,
    TreatmentKind,
    Trigger,
)
from spasmcare.core.knowledge import Impact, SeverityId, Urgency
from spasmcare.store.diary import PersonSettings
from spasmcare.web.api.schemas.contracts import TriageAnswers
from spasmcare.web.api.schemas.values import (
    ClockTime,
    Incoming,
    Instant,
    Name,
    Note,
    PainScore,
    Public,
    RecordId,
)

ClientId = Annotated[RecordId | None, Field(
    description="The record's id, chosen by the client (32 hex digits, such as a UUID "
                "without dashes) so that a retry stores nothing new; omitted means the app "
                "chooses one.")]

# --- episodes ---------------------------------------------------------------------


class EpisodeCreate(Incoming):
    """A new episode. ``answers`` is required: no episode starts without the
    red-flag check, and its emergency-tier questions must all be answered
    (or one answered yes)."""

    id: ClientId = None
    onset: Instant | None = Field(None, description="When it began; omitted means now.")
    region: Region | None = None
    side: Side | None = None
    triggers: list[Trigger] = Field(default_factory=list, max_length=len(Trigger))
    trigger_note: Note | None = None
    note: Note | None = None
    answers: TriageAnswers


class EpisodeEnd(Incoming):
    ended_at: Instant | None = Field(None, description="When it ended; omitted means now.")


class EpisodeEdit(Incoming):
    """A correction: the fields given change, null empties an optional one,
    the rest stay. The triage's answers cannot be edited (a new check is a
    new episode)."""

    onset: Instant | None = None
    ended_at: Instant | None = None
    region: Region | None = None
    side: Side | None = None
    triggers: list[Trigger] | None = Field(None, max_length=len(Trigger))
    trigger_note: Note | None = None
    note: Note | None = None


class EpisodePublic(Public):
    id: str
    onset: datetime
    region: Region | None
    side: Side | None
    triggers: list[Trigger]
    trigger_note: str | None
    triage_urgency: Urgency | None
    triage_answers: dict[str, bool]
    ended_at: datetime | None
    note: str | None
    open: bool


def episode_public(episode: Episode) -> EpisodePublic:
    return EpisodePublic.model_validate(episode)


# --- pain ---------------------------------------------------------------------------


class PainCreate(Incoming):
    id: ClientId = None
    pain: PainScore
    impact: Impact | None = Field(None, description="Effect on daily activities; omitted "
                                                    "means not answered.")
    at: Instant | None = Field(None, description="When; omitted means now.")
    stiffness: PainScore | None = None
    mobility: Mobility | None = None
    worse_next_morning: bool | None = Field(
        None, description="The daily check-in: was the back worse this morning after "
                          "yesterday's activity? The care plan holds or steps back on yes.")
    note: Note | None = None


class PainPublic(Public):
    id: str
    at: datetime
    episode_id: str | None
    pain: int
    impact: Impact | None
    severity: SeverityId
    stiffness: int | None
    mobility: Mobility | None
    worse_next_morning: bool | None
    note: str | None


def pain_public(entry: PainEntry) -> PainPublic:
    return PainPublic.model_validate(entry)


class PainEdit(Incoming):
    """A correction: the fields given change (null empties an optional one);
    the severity follows the pain and impact."""

    at: Instant | None = None
    pain: PainScore | None = None
    impact: Impact | None = None
    stiffness: PainScore | None = None
    mobility: Mobility | None = None
    worse_next_morning: bool | None = None
    note: Note | None = None


# --- treatment sessions ----------------------------------------------------------


class SessionCreate(Incoming):
    id: ClientId = None
    kind: TreatmentKind
    started_at: Instant
    minutes: Annotated[float, Field(gt=0, le=600, strict=True, allow_inf_nan=False,
                                    description="How long it lasted, up to 600.")]
    pain_before: PainScore | None = None
    pain_after: PainScore | None = None
    completed: StrictBool = True
    note: Note | None = None


class SessionPublic(Public):
    id: str
    started_at: datetime
    episode_id: str | None
    kind: TreatmentKind
    minutes: float
    pain_before: int | None
    pain_after: int | None
    relief: int | None = Field(description="Pain before minus pain after.")
    completed: bool
    note: str | None


def session_public(session: TreatmentSession) -> SessionPublic:
    return SessionPublic.model_validate(session)


class SessionEdit(Incoming):
    """A correction: the fields given change (null empties an optional one)."""

    started_at: Instant | None = None
    kind: TreatmentKind | None = None
    minutes: Annotated[float, Field(gt=0, le=600, strict=True, allow_inf_nan=False)] | None = None
    pain_before: PainScore | None = None
    pain_after: PainScore | None = None
    completed: StrictBool | None = None
    note: Note | None = None


# --- medicines and habits ---------------------------------------------------------


class MedicineCreate(Incoming):
    id: ClientId = None
    name: Name
    at: Instant | None = Field(None, description="When it was taken; omitted means now.")
    note: Note | None = None


class MedicinePublic(Public):
    id: str
    at: datetime
    episode_id: str | None
    name: str
    note: str | None


def medicine_public(record: MedicineTaken) -> MedicinePublic:
    return MedicinePublic.model_validate(record)


class MedicineEdit(Incoming):
    """A correction: the fields given change (null empties the note)."""

    at: Instant | None = None
    name: Name | None = None
    note: Note | None = None


class HabitCreate(Incoming):
    id: ClientId = None
    kind: HabitKind
    amount: Annotated[float, Field(ge=0, strict=True, allow_inf_nan=False, description=(
        "Glasses of water, minutes walked, seconds of plank or breaks from sitting."))]
    at: Instant | None = Field(None, description="When; omitted means now.")


class HabitPublic(Public):
    id: str
    at: datetime
    kind: HabitKind
    amount: float
    unit: str


def habit_public(record: HabitLog) -> HabitPublic:
    return HabitPublic(id=record.id, at=record.at, kind=record.kind, amount=record.amount,
                       unit=HABIT_UNITS[record.kind])


class HabitEdit(Incoming):
    """A correction: the fields given change."""

    at: Instant | None = None
    kind: HabitKind | None = None
    amount: Annotated[float, Field(ge=0, strict=True, allow_inf_nan=False)] | None = None


# --- the audit trail ----------------------------------------------------------------


class ChangePublic(Public):
    id: str
    made_at: datetime
    action: Literal["edited", "deleted", "restored"]
    kind: Literal["episode", "pain", "session", "medicine", "habit"]
    record_id: str
    undoes: str | None = Field(description="The change this one undid, if it is an undo.")
    said: str = Field(description="The change in a sentence.")
    before: dict[str, Any] | None = Field(description="The record as it was; null: it was "
                                                      "not there.")
    after: dict[str, Any] | None = Field(description="The record as it became; null: deleted.")


def change_public(change: Change, now: datetime) -> ChangePublic:
    return ChangePublic(
        id=change.id, made_at=change.made_at, action=change.action,  # type: ignore[arg-type]
        kind=NAMES[change.model], record_id=change.record_id,  # type: ignore[arg-type]
        undoes=change.undoes, said=said_change(change, now),
        before=change.before.model_dump(mode="json") if change.before else None,
        after=change.after.model_dump(mode="json") if change.after else None)


# --- the person's settings ----------------------------------------------------------


class SettingsPublic(Public):
    wake: str = Field(description="When the person usually gets up (HH:MM).")
    sleep: str = Field(description="When the person usually goes to sleep (HH:MM).")
    units: Literal["metric", "imperial"]


class SettingsUpdate(Incoming):
    wake: ClockTime
    sleep: ClockTime
    units: Literal["metric", "imperial"]

    # Wake and sleep must differ: checked by the route (400), since a schema
    # cannot say it.

    def person_settings(self) -> PersonSettings:
        return PersonSettings(wake=self.wake, sleep=self.sleep, units=self.units)


def settings_public(settings: PersonSettings) -> SettingsPublic:
    return SettingsPublic.model_validate(settings)
