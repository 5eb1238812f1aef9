"""The diary's records: episodes, pain entries, treatment sessions, medicines
taken and prevention habits. Plain validated values; storing them is an
adapter's job (``spasmcare.store``).

The words a record may use (regions, triggers, kinds...) are in
``diary_terms``. Every record has a random id, so that an exported diary imported twice, or
into another database, is recognised rather than duplicated.
"""

from __future__ import annotations

import functools
import uuid
from datetime import datetime, timedelta
from typing import Annotated, Any, TypeVar, get_args

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    TypeAdapter,
    ValidationError,
    model_validator,
)

from spasmcare.core.clock import CLOCK_SKEW, check_years
from spasmcare.core.diary_terms import (
    HABIT_LIMITS,
    HABIT_UNITS,
    HabitKind,
    Mobility,
    Region,
    Side,
    TreatmentKind,
    Trigger,
)
from spasmcare.core.errors import BadInput, said_of
from spasmcare.core.knowledge import Impact, SeverityId, Urgency


def _printable(text: str) -> str:
    # NUL cannot be stored by PostgreSQL and has no place in a note.
    if "\x00" in text:
        raise ValueError("must not contain NUL characters")
    return text


Pain = Annotated[int, Field(ge=0, le=10, strict=True)]
Note = Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000),
                 AfterValidator(_printable)]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120),
                 AfterValidator(_printable)]
RecordId = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{32}$")]


def new_id() -> str:
    return uuid.uuid4().hex


class Record(BaseModel):
    # Deferred: the models are built when first used, so that commands that
    # never read the diary (``plan --onset``) do not build them at start-up.
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

    id: RecordId = Field(default_factory=new_id)


R = TypeVar("R", bound=Record)


class Episode(Record):
    onset: AwareDatetime
    region: Region | None = None
    side: Side | None = None
    triggers: tuple[Trigger, ...] = ()
    trigger_note: Note | None = None
    triage_urgency: Urgency | None = None
    triage_answers: dict[str, bool] = Field(default_factory=dict)
    ended_at: AwareDatetime | None = None
    note: Note | None = None

    @model_validator(mode="after")
    def _ends_after_it_starts(self) -> Episode:
        if self.ended_at is not None and self.ended_at < self.onset:
            raise ValueError(f"the end ({self.ended_at.isoformat()}) is before the onset "
                             f"({self.onset.isoformat()})")
        if len(set(self.triggers)) != len(self.triggers):
            raise ValueError("a trigger is listed twice")
        return self

    @property
    def open(self) -> bool:
        return self.ended_at is None

    def duration(self, now: datetime) -> timedelta:
        return (self.ended_at or now) - self.onset


class PainEntry(Record):
    at: AwareDatetime
    episode_id: RecordId | None = None
    pain: Pain
    impact: Impact | None = None  # None: not answered (the check-in does not ask)
    severity: SeverityId
    stiffness: Pain | None = None
    mobility: Mobility | None = None
    # The daily check-in's question: was the back worse this morning after
    # yesterday's activity? (None: not asked or not answered.)
    worse_next_morning: bool | None = None
    note: Note | None = None


class TreatmentSession(Record):
    started_at: AwareDatetime
    episode_id: RecordId | None = None
    kind: TreatmentKind
    minutes: Annotated[float, Field(gt=0, le=600, allow_inf_nan=False)]
    pain_before: Pain | None = None
    pain_after: Pain | None = None
    completed: bool = True
    note: Note | None = None

    @property
    def relief(self) -> int | None:
        """Pain before minus pain after: positive when the session helped."""
        if self.pain_before is None or self.pain_after is None:
            return None
        return self.pain_before - self.pain_after


class MedicineTaken(Record):
    at: AwareDatetime
    episode_id: RecordId | None = None
    name: Name
    note: Note | None = None


class HabitLog(Record):
    at: AwareDatetime
    kind: HabitKind
    amount: Annotated[float, Field(ge=0, allow_inf_nan=False)]

    @model_validator(mode="after")
    def _plausible(self) -> HabitLog:
        limit = HABIT_LIMITS[self.kind]
        if self.amount > limit:
            raise ValueError(f"{self.kind.value} is counted in {HABIT_UNITS[self.kind]} a "
                             f"time, at most {limit}")
        return self


class Diary(BaseModel):
    """Everything one person has recorded: what an export holds."""

    model_config = ConfigDict(extra="forbid", defer_build=True)

    episodes: list[Episode] = Field(default_factory=list)
    pain_entries: list[PainEntry] = Field(default_factory=list)
    sessions: list[TreatmentSession] = Field(default_factory=list)
    medicines: list[MedicineTaken] = Field(default_factory=list)
    habits: list[HabitLog] = Field(default_factory=list)

    @classmethod
    def record_model(cls, field: str) -> type[Record]:
        """The record model that the list ``field`` holds."""
        return get_args(cls.model_fields[field].annotation)[0]  # type: ignore[no-any-return]

    def count(self) -> int:
        return (len(self.episodes) + len(self.pain_entries) + len(self.sessions)
                + len(self.medicines) + len(self.habits))

    def within(self, since: datetime | None, until: datetime | None) -> Diary:
        """The records made in [since, until), with the episodes that overlap
        the range or that a kept record belongs to, so that nothing kept
        points at an episode left out."""
        if since is None and until is None:
            return self

        def inside(at: datetime) -> bool:
            return (since is None or at >= since) and (until is None or at < until)

        pain = [p for p in self.pain_entries if inside(p.at)]
        sessions = [s for s in self.sessions if inside(s.started_at)]
        medicines = [m for m in self.medicines if inside(m.at)]
        wanted = ({p.episode_id for p in pain} | {s.episode_id for s in sessions}
                  | {m.episode_id for m in medicines})
        episodes = [e for e in self.episodes
                    if e.id in wanted or ((until is None or e.onset < until)
                                          and (since is None or e.ended_at is None
                                               or e.ended_at >= since))]
        return Diary(episodes=episodes, pain_entries=pain, sessions=sessions,
                     medicines=medicines, habits=[h for h in self.habits if inside(h.at)])


@functools.cache
def list_adapter(model: type[Record]) -> TypeAdapter[list[Any]]:
    """A list of ``model`` records, validated at once: about twice as fast as
    one by one (the store reads rows with it, imports read slices)."""
    return TypeAdapter(list[model])  # type: ignore[valid-type]


def make(model: type[R], now: datetime, **fields: Any) -> R:
    """Build a record from what a person typed, or raise BadInput with the first
    problem in one sentence. Times may not lie in the future."""
    try:
        record = model.model_validate(fields)
    except ValidationError as err:
        raise BadInput(describe(err)) from None
    check_times(record, now)
    return record


def check_times(record: Record, now: datetime) -> None:
    """The checks on times that every record passes, typed or imported: within
    the years a diary holds, and not in the future."""
    for name, value in record:
        if isinstance(value, datetime):
            what = name.replace("_", " ")
            check_years(value, what)
            if value > now + CLOCK_SKEW:
                raise BadInput(f"{what} {value.isoformat()} is in the future")


ONE_OF = {"episodes": "episode", "pain_entries": "pain entry", "sessions": "session",
          "medicines": "medicine", "habits": "habit"}


def check_imported(diary: Diary, now: datetime) -> None:
    """``check_times`` on every record of an import, naming the first that fails."""
    for field, records in diary:
        for number, record in enumerate(records, start=1):
            try:
                check_times(record, now)
            except BadInput as err:
                raise BadInput(f"{ONE_OF[field]} {number} of the import (id {record.id}): {err}; "
                               "nothing was imported") from None


def describe(err: ValidationError) -> str:
    """The first problem in a pydantic error, as one sentence a person can act on."""
    first = err.errors()[0]
    return said_of(".".join(str(p) for p in first["loc"]), first)
