"""Insights over hand-built diaries whose answers are worked out by hand, and a
ten-year diary for speed and for the plan-reuse shortcut."""

from __future__ import annotations

import json
import random
import time as clock
from datetime import UTC, datetime, time, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo

import pytest

from spasmcare.core.adherence import _DayPlans
from spasmcare.core.careplan import build_plan
from spasmcare.core.diary import (
    Diary,
    Episode,
    HabitKind,
    HabitLog,
    MedicineTaken,
    PainEntry,
    TreatmentKind,
    TreatmentSession,
    Trigger,
)
from spasmcare.core.insights import compute
from spasmcare.core.loader import load_knowledge

RULES = load_knowledge().careplan
WAKE, SLEEP = time(7), time(23)


def at(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)  # type: ignore[misc]


def episode(onset: datetime, ended: datetime | None = None, *triggers: str) -> Episode:
    return Episode(onset=onset, ended_at=ended, triggers=tuple(Trigger(t) for t in triggers))


def session(start: datetime, kind: str, before: int | None = None, after: int | None = None,
            completed: bool = True) -> TreatmentSession:
    return TreatmentSession(started_at=start, kind=TreatmentKind(kind), minutes=10,
                            pain_before=before, pain_after=after, completed=completed)


def four_episodes() -> Diary:
    return Diary(episodes=[
        episode(at(2024, 6, 1, 8), at(2024, 6, 6, 20), "lifting"),              # 5.5 days
        episode(at(2024, 1, 10, 8), at(2024, 1, 13, 8), "lifting", "stress"),   # 3 days
        episode(at(2025, 12, 1, 8), None, "other", "lifting"),                  # still open
        episode(at(2025, 7, 1, 8), at(2025, 7, 2, 8), "sport", "stress"),       # 1 day
    ])


def test_an_empty_diary_gives_zeros_and_one_friendly_line() -> None:
    result = compute(Diary(), at(2026, 1, 1, 12), RULES)
    out = json.loads(json.dumps(result.to_dict()))
    assert list(out) == ["generated_at", "records", "episodes", "recurrence", "triggers",
                         "treatments", "adherence", "medicines", "habits", "summary"]
    assert out["records"] == 0
    assert out["episodes"]["count"] == 0 and out["episodes"]["per_year"] is None
    assert out["episodes"]["durations"]["ended"] == 0
    assert out["recurrence"] == {"later_episodes": 0, "within_365_days": 0, "share": None,
                                 "median_gap_days": None}
    assert out["triggers"] == out["treatments"] == out["medicines"] == []
    assert out["adherence"] == {"days_planned": 0, "days_followed": 0, "share": None,
                                "episodes": []}
    assert [h["kind"] for h in out["habits"]] == ["water", "walk", "plank", "breaks"]
    assert all(h["total"] == 0 for h in out["habits"])
    assert len(out["summary"]) == 1 and "Nothing is in your diary yet" in out["summary"][0]


def test_episode_counts_dates_rate_and_durations() -> None:
    result = compute(four_episodes(), at(2026, 1, 1, 12), RULES)
    ep = result.episodes.to_dict()
    assert (ep["count"], ep["open"]) == (4, 1)
    assert ep["first_onset"] == "2024-01-10T08:00:00+00:00"
    assert ep["last_onset"] == "2025-12-01T08:00:00+00:00"
    # 10 Jan 2024 08:00 to 1 Jan 2026 12:00: 731 - 9 days and 4 hours.
    assert ep["span_days"] == pytest.approx(722 + 4 / 24, abs=0.01)
    assert ep["per_year"] == pytest.approx(4 / ((722 + 4 / 24) / 365.25), abs=0.01)
    assert ep["per_year_note"] is None
    assert ep["durations"] == {"ended": 3, "median_days": 3.0, "mean_days": 3.17,
                               "shortest_days": 1.0, "longest_days": 5.5}
    assert "You recorded 4 episodes since 10 January 2024; 1 is still open." in result.summary
    assert "That is about 2.0 a year." in result.summary


def test_a_short_diary_gives_no_yearly_rate() -> None:
    now = at(2026, 1, 1, 12)
    result = compute(Diary(episodes=[episode(now - timedelta(days=40))]), now, RULES)
    assert result.episodes.per_year is None
    assert result.episodes.per_year_note is not None
    assert "spans 40 days: too short" in result.episodes.per_year_note
    assert "The diary spans 40 days: too short to say how often spasms come (90 days needed)." \
        in result.summary


def test_recurrence_within_and_beyond_a_year() -> None:
    # Gaps 143 days, 395 days and 153 days (2024 is a leap year).
    rec = compute(four_episodes(), at(2026, 1, 1, 12), RULES).recurrence.to_dict()
    assert rec == {"later_episodes": 3, "within_365_days": 2, "share": 0.667,
                   "median_gap_days": 153.0}
    # Exactly 365 days counts as within a year; 366 does not.
    diary = Diary(episodes=[episode(at(2023, 1, 1, 9), at(2023, 1, 3, 9)),
                            episode(at(2024, 1, 1, 9), at(2024, 1, 3, 9)),
                            episode(at(2025, 1, 1, 9), at(2025, 1, 3, 9))])
    rec = compute(diary, at(2025, 6, 1, 9), RULES).recurrence.to_dict()
    assert rec == {"later_episodes": 2, "within_365_days": 1, "share": 0.5,
                   "median_gap_days": 365.5}


def test_triggers_are_ranked_by_the_episodes_they_preceded() -> None:
    result = compute(four_episodes(), at(2026, 1, 1, 12), RULES)
    assert [t.to_dict() for t in result.triggers] == [
        {"trigger": "lifting", "episodes": 3, "share": 0.75},
        {"trigger": "stress", "episodes": 2, "share": 0.5},
        {"trigger": "sport", "episodes": 1, "share": 0.25},   # ties in the diary's order
        {"trigger": "other", "episodes": 1, "share": 0.25},
    ]
    assert "Lifting came before 3 of your 4 episodes." in result.summary
    assert "Stress came before 2 of your 4 episodes." in result.summary


def test_treatments_ranked_by_relief_with_small_numbers_last() -> None:
    t0 = at(2026, 1, 5, 9)
    rows = {"heat": [3, 2, 2, 1, 2, 2], "ice": [1, 1, 0, 2, 1], "contrast": [-1] * 5,
            "walk": [5, 4], "stretch": [6], "strength": [3, 3, 3, 3]}
    sessions = [session(t0 + timedelta(hours=i), kind, 7, 7 - relief)
                for kind, reliefs in rows.items() for i, relief in enumerate(reliefs)]
    sessions += [session(t0, "stretch", 6, None), session(t0, "massage")]
    result = compute(Diary(sessions=sessions), at(2026, 1, 10, 9), RULES)
    got = [(r["kind"], r["sessions"], r["logged"], r["mean_relief"], r["median_relief"],
            r["too_few"]) for r in (t.to_dict() for t in result.treatments)]
    assert got == [
        ("heat", 6, 6, 2.0, 2.0, False),
        ("ice", 5, 5, 1.0, 1.0, False),          # five sessions are enough
        ("contrast", 5, 5, -1.0, -1.0, False),
        ("stretch", 1, 2, 6.0, 6.0, True),       # the best average, but from one session
        ("walk", 2, 2, 4.5, 4.5, True),
        ("strength", 4, 4, 3.0, 3.0, True),      # four are not
        ("massage", 0, 1, None, None, True),
    ]
    verdicts = {t.kind.value: t.verdict for t in result.treatments}
    assert verdicts["heat"] == "pain fell by 2.0 points on average over 6 sessions"
    assert verdicts["contrast"] == "pain rose by 1.0 point on average over 5 sessions"
    assert verdicts["walk"] == "2 sessions: too few to tell"
    assert verdicts["stretch"] == "1 session: too few to tell"
    assert verdicts["massage"] == "no sessions with pain scored before and after"
    assert "Heat: pain fell by 2.0 points on average over 6 sessions." in result.summary
    assert "Walk: 2 sessions: too few to tell." in result.summary


def test_medicines_counted_whatever_the_case_shown_as_first_written() -> None:
    meds = [MedicineTaken(at=at(2026, 1, 5, 9), name="IBUPROFEN"),
            MedicineTaken(at=at(2026, 1, 1, 9), name="Ibuprofen"),
            MedicineTaken(at=at(2026, 1, 3, 9), name="paracetamol"),
            MedicineTaken(at=at(2026, 1, 2, 9), name="ibuprofen")]
    result = compute(Diary(medicines=meds), at(2026, 1, 10, 9), RULES)
    assert [m.to_dict() for m in result.medicines] == [{"name": "Ibuprofen", "count": 3},
                                                       {"name": "paracetamol", "count": 1}]
    assert "Medicines taken: Ibuprofen 3 times, paracetamol once." in result.summary


def test_habits_are_averaged_over_the_days_logged_of_the_last_30() -> None:
    now = at(2026, 1, 31, 20)                      # the window is 2 to 31 January
    habits = [HabitLog(at=at(2026, 1, 31, 10), kind=HabitKind.WATER, amount=6),
              HabitLog(at=at(2026, 1, 2, 9), kind=HabitKind.WATER, amount=4),
              HabitLog(at=at(2026, 1, 1, 23), kind=HabitKind.WATER, amount=5),   # too old
              HabitLog(at=at(2026, 1, 31, 21), kind=HabitKind.WATER, amount=3)]  # after now
    habits += [HabitLog(at=at(2026, 1, 2, 12) + timedelta(days=k), kind=HabitKind.WALK,
                        amount=30) for k in range(30)]
    diary = Diary(episodes=[episode(at(2025, 12, 1, 8), at(2025, 12, 4, 8))], habits=habits)
    got = {h.kind.value: h.to_dict() for h in compute(diary, now, RULES).habits}
    # Water on 2 of the 30 days: the 28 not logged are not days of none.
    assert got["water"] == {"kind": "water", "unit": "glasses", "days": 30, "days_logged": 2,
                            "total": 10.0, "per_day": 5.0}
    assert got["walk"] == {"kind": "walk", "unit": "minutes", "days": 30, "days_logged": 30,
                           "total": 900.0, "per_day": 30.0}
    assert got["plank"]["days_logged"] == 0 and got["plank"]["per_day"] is None


def test_habits_of_a_new_diary_are_averaged_over_the_days_it_covers() -> None:
    habits = [HabitLog(at=at(2026, 1, 29, 8), kind=HabitKind.WATER, amount=3),
              HabitLog(at=at(2026, 1, 31, 8), kind=HabitKind.WATER, amount=6)]
    result = compute(Diary(habits=habits), at(2026, 1, 31, 20), RULES)
    water = result.habits[0]
    assert (water.days, water.days_logged, water.total, water.per_day) == (3, 2, 9.0, 4.5)
    assert ("Over the last 3 days: 4.5 glasses of water a day on the 2 days logged."
            in result.summary)


def planned(onset: datetime, start: datetime, until: datetime | None = None) -> list:
    sessions = build_plan(onset, start, RULES, wake=WAKE, sleep=SLEEP, days=1).sessions
    return [s for s in sessions if s.kind.value != "break" and (until is None or s.start < until)]


def test_a_day_counts_as_followed_when_half_its_plan_was_done() -> None:
    onset, now = at(2026, 3, 2, 10), at(2026, 3, 4, 12)
    day0 = planned(onset, onset)                    # the rest of the first day
    day1 = planned(onset, at(2026, 3, 3, 7))
    # The fewest sessions that make at least half of each day's plan.
    need0, need1 = (len(day0) + 1) // 2, (len(day1) + 1) // 2
    assert need0 > 1 and need1 > 1
    ep = episode(onset)
    logged = [session(s.start, s.kind.value) for s in day0[:need0 - 1]]
    logged.append(session(at(2026, 3, 2, 23, 30), day0[0].kind.value))  # late: still day one
    logged += [session(s.start, s.kind.value) for s in day1[:need1 - 1]]
    logged += [session(at(2026, 3, 3, 14 + k), "heat") for k in range(3)]  # not planned today
    logged.append(session(at(2026, 3, 3, 15), "ice", completed=False))
    logged.append(session(at(2026, 3, 4, 4), "walk"))             # belongs to the next day
    result = compute(Diary(episodes=[ep], sessions=logged), now, RULES, wake=WAKE, sleep=SLEEP)
    adh = result.adherence.to_dict()
    assert (adh["days_planned"], adh["days_followed"], adh["share"]) == (2, 1, 0.5)
    assert adh["episodes"] == [{"episode_id": ep.id, "onset": "2026-03-02T10:00:00+00:00",
                                "days_planned": 2, "days_followed": 1}]
    assert "You followed the care plan on 1 of 2 planned days." in result.summary
    # One more session of a kind planned on day two tips it over half.
    extra = session(day1[need1 - 1].start, day1[need1 - 1].kind.value)
    result = compute(Diary(episodes=[ep], sessions=[*logged, extra]), now, RULES)
    assert result.adherence.days_followed == 2


def test_an_ended_episode_is_checked_only_while_it_lasted() -> None:
    onset, end = at(2026, 3, 2, 10), at(2026, 3, 3, 12)
    morning = planned(onset, at(2026, 3, 3, 7), until=end)
    assert 0 < len(morning) < len(planned(onset, at(2026, 3, 3, 7)))
    done = [session(s.start, s.kind.value) for s in morning[: (len(morning) + 1) // 2]]
    diary = Diary(episodes=[episode(onset, end)], sessions=done)
    adh = compute(diary, at(2026, 3, 20, 12), RULES).adherence
    assert (adh.days_planned, adh.days_followed) == (2, 1)


def test_an_episode_that_began_after_bedtime_starts_its_plan_next_morning() -> None:
    diary = Diary(episodes=[episode(at(2026, 3, 1, 23, 30))])
    adh = compute(diary, at(2026, 3, 2, 23, 30), RULES).adherence
    assert adh.days_planned == 1        # 2 March; 1 March's waking hours were over


# --- a ten-year diary -------------------------------------------------------------

INDIA = timezone(timedelta(hours=5, minutes=30))


def ten_years(seed: int = 7) -> tuple[Diary, datetime]:
    """About 40,000 records: two pain scores, five sessions, three habits and a
    medicine a day, and 60 episodes at random times of day."""
    rng = random.Random(seed)
    start, days = at(2016, 3, 1), 3652
    episodes = []
    for d in sorted(rng.sample(range(days - 20), 60)):
        onset = start + timedelta(days=d, minutes=rng.randrange(24 * 60))
        ended = onset + timedelta(hours=rng.uniform(24, 400)) if rng.random() < 0.95 else None
        episodes.append(Episode(onset=onset, ended_at=ended,
                                triggers=tuple(rng.sample(list(Trigger), rng.randint(0, 2)))))
    diary = Diary(episodes=episodes)
    for d in range(days):
        day = start + timedelta(days=d)
        diary.pain_entries += [PainEntry(at=day + timedelta(hours=h), pain=rng.randint(0, 10),
                                         severity="mild") for h in (4, 15)]
        for k in range(5):  # 08:30 to 21:29 in India, inside waking hours
            before = rng.randint(2, 9)
            diary.sessions.append(session(
                day + timedelta(hours=3 + 3 * k, minutes=rng.randrange(60)),
                rng.choice(list(TreatmentKind)), before, max(0, before - rng.randint(-1, 4))))
        diary.habits += [HabitLog(at=day + timedelta(hours=6), kind=kind,
                                  amount=rng.randint(1, 30)) for kind in list(HabitKind)[:3]]
        diary.medicines.append(MedicineTaken(at=day + timedelta(hours=3),
                                             name=rng.choice(["Ibuprofen", "paracetamol"])))
    return diary, (start + timedelta(days=days)).astimezone(INDIA)


@pytest.fixture(scope="module")
def big() -> tuple[Diary, datetime]:
    return ten_years()


def test_a_ten_year_diary_takes_well_under_a_second(big: tuple[Diary, datetime]) -> None:
    diary, now = big
    assert 38_000 <= diary.count() <= 42_000
    began = clock.perf_counter()
    result = compute(diary, now, RULES, wake=WAKE, sleep=SLEEP)
    assert clock.perf_counter() - began < 1.0
    assert result.episodes.count == 60 and result.adherence.days_planned > 300


@pytest.mark.parametrize("tz", [INDIA, ZoneInfo("Europe/London")], ids=["india", "london"])
def test_a_shared_plan_matches_the_plan_built_for_that_day(tz: tzinfo) -> None:
    """The adherence shortcut (one plan for days alike, moved to their date)
    against a plan built afresh for every day of 30 episodes at random times,
    across the phase changes and, in London, a change of clock."""
    rng = random.Random(3)
    plans = _DayPlans(RULES, WAKE, SLEEP)
    for _ in range(30):
        onset = (at(2026, 3, 20) + timedelta(minutes=rng.randrange(20 * 24 * 60))).astimezone(tz)
        first = onset.date() if onset.time() < SLEEP else onset.date() + timedelta(days=1)
        for k in range(14):
            start = datetime.combine(first + timedelta(days=k), WAKE, tz)
            stop = datetime.combine(first + timedelta(days=k), SLEEP, tz)
            now = max(start, onset)
            expected = [(s.kind.value, s.start) for s in planned(onset, now)]
            assert plans.sessions(onset, now, stop) == expected, (onset, k)
    assert len(plans.cache) < 30 * 14 / 2  # and it did share
