"""What the diary says, as ``spasmcare insights --json`` prints it."""

from __future__ import annotations

from pydantic import BaseModel, Field

from spasmcare.core.diary_terms import HabitKind, TreatmentKind, Trigger
from spasmcare.core.insights import Insights
from spasmcare.web.api.schemas.values import IsoTime


class DurationsPublic(BaseModel):
    ended: int
    median_days: float | None
    mean_days: float | None
    shortest_days: float | None
    longest_days: float | None


class EpisodeStatsPublic(BaseModel):
    count: int
    open: int
    first_onset: IsoTime | None
    last_onset: IsoTime | None
    span_days: float
    per_year: float | None
    per_year_note: str | None = Field(description="Why per_year is missing, when it is.")
    durations: DurationsPublic


class RecurrencePublic(BaseModel):
    later_episodes: int
    within_365_days: int
    share: float | None
    median_gap_days: float | None


class TriggerCountPublic(BaseModel):
    trigger: Trigger
    episodes: int
    share: float


class ReliefPublic(BaseModel):
    kind: TreatmentKind
    sessions: int = Field(description="Sessions with pain scored before and after.")
    logged: int
    mean_relief: float | None
    median_relief: float | None
    too_few: bool
    verdict: str


class EpisodeAdherencePublic(BaseModel):
    episode_id: str
    onset: IsoTime
    days_planned: int
    days_followed: int


class AdherencePublic(BaseModel):
    days_planned: int
    days_followed: int
    share: float | None
    episodes: list[EpisodeAdherencePublic]


class MedicineCountPublic(BaseModel):
    name: str
    count: int


class HabitAveragePublic(BaseModel):
    kind: HabitKind
    unit: str
    days: int
    days_logged: int = Field(description="The days of those with this habit logged; "
                             "per_day is the average on those days")
    total: float
    per_day: float | None


class InsightsPublic(BaseModel):
    """Facts from the person's own diary, never advice."""

    generated_at: IsoTime
    records: int
    episodes: EpisodeStatsPublic
    recurrence: RecurrencePublic
    triggers: list[TriggerCountPublic]
    treatments: list[ReliefPublic]
    adherence: AdherencePublic
    medicines: list[MedicineCountPublic]
    habits: list[HabitAveragePublic]
    summary: list[str]


def insights_public(insights: Insights) -> InsightsPublic:
    return InsightsPublic.model_validate(insights.to_dict())
