"""Diaries for the FHIR tests: one hand-built with everything the sample lacks,
and a Hypothesis strategy for any diary a person could record."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

from hypothesis import strategies as st

from spasmcare.core.diary import (
    Diary,
    Episode,
    HabitLog,
    MedicineTaken,
    PainEntry,
    TreatmentSession,
)
from spasmcare.core.diary_terms import HABIT_LIMITS, HabitKind, Mobility, Region, Side, Trigger
from spasmcare.core.knowledge import Urgency
from spasmcare.core.loader import load_knowledge


def rich_diary() -> Diary:
    """Everything the sample lacks: other time zones (one across a daylight-saving
    change), unicode, empty notes, missing optional fields, a session stopped
    early, minutes a period cannot hold exactly, a record whose episode is not
    in the export, and triage answers without an urgency."""
    london, india = ZoneInfo("Europe/London"), timezone(timedelta(hours=5, minutes=30))
    upper = Episode(onset=datetime(2026, 10, 24, 22, 15, 7, 123456, tzinfo=london),
                    region=Region.UPPER, side=Side.BOTH,
                    triggers=(Trigger.SPORT, Trigger.POOR_SLEEP, Trigger.OTHER),
                    trigger_note="Tennis – zu viel Aufschlag 🎾", note="",
                    triage_answers={"fever": False, "upper_back_pain": True,
                                    "not_a_known_finding": False})
    bare = Episode(onset=datetime(2026, 11, 1, 8, 0, tzinfo=india),
                   triage_urgency=Urgency.EMERGENCY, trigger_note="")
    elsewhere = "0123456789abcdef0123456789abcdef"
    return Diary(
        episodes=[bare, upper],
        pain_entries=[
            PainEntry(at=upper.onset + timedelta(minutes=30), episode_id=upper.id, pain=0,
                      severity="mild", stiffness=0, mobility=Mobility.FULL,
                      worse_next_morning=False, note="Douleur légère\nsecond line"),
            PainEntry(at=datetime(2026, 11, 2, 9, 0, tzinfo=UTC), pain=10, impact="unable",
                      severity="severe", note=""),
            PainEntry(at=datetime(2026, 11, 2, 10, 0, tzinfo=UTC), episode_id=elsewhere,
                      pain=3, severity="mild"),
        ],
        sessions=[
            # 02:00 London on 25 October 2026 is the hour the clocks go back.
            TreatmentSession(started_at=datetime(2026, 10, 25, 0, 50, tzinfo=london),
                             episode_id=upper.id, kind="heat", minutes=90, pain_before=6,
                             completed=False, note="腰が痛い"),
            TreatmentSession(started_at=datetime(2026, 11, 1, 9, 0, tzinfo=india),
                             kind="contrast", minutes=7.123456789, pain_after=2, note=""),
            TreatmentSession(started_at=datetime(2026, 11, 1, 10, 0, tzinfo=india),
                             episode_id=bare.id, kind="other", minutes=600),
        ],
        medicines=[MedicineTaken(at=datetime(2026, 11, 1, 9, 30, tzinfo=india),
                                 episode_id=bare.id, name="Paracétamol 500 «generic»",
                                 note=""),
                   MedicineTaken(at=datetime(2026, 11, 3, 7, 0, tzinfo=UTC), name="ibuprofen gel")],
        habits=[HabitLog(at=datetime(2026, 11, 3, 7, 0, tzinfo=UTC), kind=k, amount=a)
                for k, a in ((HabitKind.WALK, 32.5), (HabitKind.BREAKS, 0),
                             (HabitKind.PLANK, 3600), (HabitKind.WATER, 0.1))],
    )


ZONES = st.sampled_from([UTC, timezone(timedelta(hours=5, minutes=30)),
                         timezone(timedelta(hours=-9, minutes=-30)), ZoneInfo("Europe/London"),
                         ZoneInfo("America/New_York")])
# A wall time the clocks pass twice never compares equal to another zone's
# datetime, even at the same instant (PEP 495), so the comparison leaves them out.
TIMES = st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2030, 1, 1),
                     timezones=ZONES, allow_imaginary=False).filter(
    lambda t: t.utcoffset() == t.replace(fold=1 - t.fold).utcoffset())
TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc")) | st.sampled_from("\n\t"),
               max_size=40)
NOTES = st.none() | TEXT
FINDINGS = [f.id for f in load_knowledge().triage.findings]


def _maybe(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.none() | strategy


@st.composite
def diaries(draw: st.DrawFn) -> Diary:
    def episode() -> Episode:
        onset = draw(TIMES)
        ended = draw(_maybe(st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=90))))
        return Episode(onset=onset, ended_at=None if ended is None else onset + ended,
                       region=draw(_maybe(st.sampled_from(Region))),
                       side=draw(_maybe(st.sampled_from(Side))),
                       triggers=tuple(draw(st.lists(st.sampled_from(Trigger), unique=True))),
                       trigger_note=draw(NOTES), note=draw(NOTES),
                       triage_urgency=draw(_maybe(st.sampled_from(Urgency))),
                       triage_answers=draw(st.dictionaries(st.sampled_from(FINDINGS),
                                                           st.booleans(), max_size=4)))

    episodes = [episode() for _ in range(draw(st.integers(0, 3)))]
    owner = st.sampled_from([None, *(e.id for e in episodes)])
    pain = st.integers(0, 10)
    return Diary(
        episodes=episodes,
        pain_entries=[PainEntry(at=draw(TIMES), episode_id=draw(owner), pain=draw(pain),
                                impact=draw(st.sampled_from(["none", "some", "unable"])),
                                severity=draw(st.sampled_from(["mild", "moderate", "severe"])),
                                stiffness=draw(_maybe(pain)),
                                mobility=draw(_maybe(st.sampled_from(Mobility))),
                                worse_next_morning=draw(_maybe(st.booleans())),
                                note=draw(NOTES))
                      for _ in range(draw(st.integers(0, 3)))],
        sessions=[TreatmentSession(started_at=draw(TIMES), episode_id=draw(owner),
                                   kind=draw(st.sampled_from(["ice", "heat", "walk", "other"])),
                                   minutes=draw(st.floats(0, 600, exclude_min=True)),
                                   pain_before=draw(_maybe(pain)), pain_after=draw(_maybe(pain)),
                                   completed=draw(st.booleans()), note=draw(NOTES))
                  for _ in range(draw(st.integers(0, 3)))],
        medicines=[MedicineTaken(at=draw(TIMES), episode_id=draw(owner), note=draw(NOTES),
                                 name=draw(TEXT.filter(lambda s: 0 < len(s.strip()) <= 120)))
                   for _ in range(draw(st.integers(0, 2)))],
        habits=[HabitLog(at=draw(TIMES), kind=(kind := draw(st.sampled_from(HabitKind))),
                         amount=draw(st.floats(0, HABIT_LIMITS[kind])))
                for _ in range(draw(st.integers(0, 3)))],
    )


def long_diary(days: int, end: datetime = datetime(2026, 11, 20, tzinfo=UTC)) -> Diary:
    """``days`` days of a diary kept every day, the same every time: two pain
    scores, three sessions, a medicine and five habits a day, an episode a
    fortnight, every record owned by the episode of its day if there is one."""
    start = end - timedelta(days=days)
    episodes = [Episode(onset=start + timedelta(days=d), region=Region.LOWER,
                        ended_at=start + timedelta(days=d + 4), triggers=(Trigger.LIFTING,),
                        triage_answers={"fever": False} if d % 28 == 0 else {})
                for d in range(0, days, 14)]
    kinds = ["ice", "heat", "walk", "stretch"]
    pain, sessions, medicines, habits = [], [], [], []
    for d in range(days):
        day = start + timedelta(days=d)
        owner = episodes[d // 14].id if d % 14 < 4 else None
        pain += [PainEntry(at=day + timedelta(hours=h), episode_id=owner, pain=(d + h) % 11,
                           severity="mild", note=f"day {d}" if h == 8 else None)
                 for h in (8, 20)]
        sessions += [TreatmentSession(started_at=day + timedelta(hours=h), episode_id=owner,
                                      kind=kinds[(d + h) % 4], minutes=5 + (d + h) % 20,
                                      pain_before=(d % 9) + 1, pain_after=d % 9)
                     for h in (9, 13, 17)]
        medicines.append(MedicineTaken(at=day + timedelta(hours=12), episode_id=owner,
                                       name="Ibuprofen"))
        habits += [HabitLog(at=day + timedelta(hours=10 + i), kind=kind, amount=1 + (d + i) % 9)
                   for i, kind in enumerate((*HabitKind, HabitKind.WATER))]
    return Diary(episodes=episodes, pain_entries=pain, sessions=sessions, medicines=medicines,
                 habits=habits)
