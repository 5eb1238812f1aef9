"""``spasmcare insights`` as a real process on a fresh SQLite diary."""

from __future__ import annotations

import json
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

import pytest

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
from spasmcare.store.database import open_engine
from spasmcare.store.diary import DiaryStore, PersonSettings

NOW = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
BASE = (NOW - timedelta(days=20)).replace(hour=10)


def sample() -> Diary:
    """Three episodes 300 and 100 days apart; heat helped six times, ice twice."""
    first = Episode(onset=BASE - timedelta(days=400), ended_at=BASE - timedelta(days=397),
                    triggers=(Trigger.LIFTING, Trigger.STRESS))
    second = Episode(onset=BASE - timedelta(days=100), ended_at=BASE - timedelta(days=95),
                     triggers=(Trigger.LIFTING,))
    third = Episode(onset=BASE, ended_at=BASE + timedelta(days=3), triggers=(Trigger.SPORT,))
    heat = [TreatmentSession(started_at=second.onset + timedelta(days=3, hours=k),
                             episode_id=second.id, kind=TreatmentKind.HEAT, minutes=20,
                             pain_before=6, pain_after=4) for k in range(6)]
    ice = [TreatmentSession(started_at=third.onset + timedelta(hours=k), episode_id=third.id,
                            kind=TreatmentKind.ICE, minutes=20, pain_before=7, pain_after=4)
           for k in range(2)]
    return Diary(
        episodes=[first, second, third],
        pain_entries=[PainEntry(at=third.onset + timedelta(hours=1), episode_id=third.id,
                                pain=6, severity="moderate", impact="some")],
        sessions=heat + ice,
        medicines=[MedicineTaken(at=third.onset + timedelta(hours=k), name=name)
                   for k, name in enumerate(["Ibuprofen", "ibuprofen", "IBUPROFEN"])],
        habits=[HabitLog(at=NOW - timedelta(days=1), kind=HabitKind.WATER, amount=9)],
    )


@pytest.fixture
def diary_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """A fresh SQLite diary for the command, read in UTC so days are known."""
    url = f"sqlite:///{tmp_path / 'diary.sqlite3'}"
    monkeypatch.setenv("SPASMCARE_DATABASE_URL", url)
    monkeypatch.setenv("TZ", "UTC")
    engine = open_engine(url)
    yield DiaryStore.for_local_user(engine)
    engine.dispose()


def test_insights_json_gives_the_diary_figures(cli, diary_db: DiaryStore) -> None:
    diary = sample()
    diary_db.import_diary(diary)
    diary_db.save_settings(PersonSettings(wake="08:00", sleep="22:00"))
    r = cli("insights", "--json")
    assert r.code == 0, r.err
    out = json.loads(r.out)
    assert out["records"] == 16
    ep = out["episodes"]
    assert (ep["count"], ep["open"]) == (3, 0)
    assert ep["first_onset"] == (BASE - timedelta(days=400)).isoformat()
    assert ep["durations"] == {"ended": 3, "median_days": 3.0, "mean_days": 3.67,
                               "shortest_days": 3.0, "longest_days": 5.0}
    span = (NOW - (BASE - timedelta(days=400))).total_seconds() / 86400
    assert ep["per_year"] == pytest.approx(3 / (span / 365.25), abs=0.02)
    assert out["recurrence"] == {"later_episodes": 2, "within_365_days": 2, "share": 1.0,
                                 "median_gap_days": 200.0}
    assert [(t["trigger"], t["episodes"]) for t in out["triggers"]] == [
        ("lifting", 2), ("sport", 1), ("stress", 1)]   # ties in the diary's order of triggers
    assert [(t["kind"], t["sessions"], t["mean_relief"], t["too_few"])
            for t in out["treatments"]] == [("heat", 6, 2.0, False), ("ice", 2, 3.0, True)]
    assert out["medicines"] == [{"name": "Ibuprofen", "count": 3}]
    water = out["habits"][0]
    assert (water["kind"], water["days"], water["days_logged"], water["total"],
            water["per_day"]) == ("water", 30, 1, 9.0, 9.0)  # one day logged, not 30 of none
    # The plan was checked in the person's waking hours (08:00 to 22:00, UTC).
    expected = compute(diary, datetime.now(UTC), load_knowledge().careplan,
                       wake=time(8), sleep=time(22)).to_dict()
    assert out["adherence"] == expected["adherence"]
    assert out["adherence"]["days_planned"] > 0 and out["adherence"]["days_followed"] == 0
    assert "Lifting came before 2 of your 3 episodes." in out["summary"]
    assert "Heat: pain fell by 2.0 points on average over 6 sessions." in out["summary"]
    assert "Ice: 2 sessions: too few to tell." in out["summary"]


def test_insights_readable(cli, diary_db: DiaryStore) -> None:
    diary_db.import_diary(sample())
    r = cli("insights")
    assert r.code == 0, r.err
    assert "What your diary says" in r.out
    assert "Lifting came before 2 of your 3 episodes." in r.out
    assert "too few to tell" in r.out
    for title in ("What came before an episode", "Pain before minus pain after", "Medicines",
                  "Habits over the last 30 days"):
        assert title in r.out
    assert "not medical advice" in r.out


def test_insights_on_an_empty_diary(cli, diary_db: DiaryStore) -> None:
    r = cli("insights", "--json")
    assert r.code == 0, r.err
    out = json.loads(r.out)
    assert out["records"] == 0 and out["episodes"]["count"] == 0
    assert out["triggers"] == out["treatments"] == out["medicines"] == []
    assert out["adherence"]["days_planned"] == 0
    r = cli("insights")
    assert r.code == 0 and "Nothing is in your diary yet" in r.out


def test_insights_names_a_medicine_as_written_without_markup(cli, diary_db: DiaryStore) -> None:
    diary_db.add(MedicineTaken(at=NOW - timedelta(hours=2), name="[bold]Mystery[/bold] pill"))
    r = cli("insights")
    assert r.code == 0, r.err
    assert "[bold]Mystery[/bold] pill" in r.out
