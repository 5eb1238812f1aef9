"""The diary's records refuse impossible values with one clear sentence."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from spasmcare.core.diary import (
    Episode,
    HabitLog,
    MedicineTaken,
    PainEntry,
    TreatmentSession,
    make,
)
from spasmcare.core.errors import BadInput

NOW = datetime(2026, 11, 21, 12, tzinfo=UTC)


@pytest.mark.parametrize(
    ("model", "fields", "fragment"),
    [
        (PainEntry, {"at": NOW, "pain": 11, "severity": "severe"}, "pain"),
        (PainEntry, {"at": NOW, "pain": 5, "severity": "mild", "stiffness": -1}, "stiffness"),
        (PainEntry, {"at": NOW, "pain": 5.5, "severity": "mild"}, "pain"),
        (PainEntry, {"at": NOW + timedelta(days=1), "pain": 5, "severity": "mild"}, "future"),
        (PainEntry, {"at": datetime(1850, 1, 1, tzinfo=UTC), "pain": 5, "severity": "mild"},
         "before 1900"),
        (PainEntry, {"at": NOW.replace(tzinfo=None), "pain": 5, "severity": "mild"}, "timezone"),
        (Episode, {"onset": NOW, "ended_at": NOW - timedelta(hours=1)}, "before the onset"),
        (Episode, {"onset": NOW, "region": "neck"}, "region"),
        (Episode, {"onset": NOW, "triggers": ["lifting", "lifting"]}, "twice"),
        (TreatmentSession, {"started_at": NOW, "kind": "ice", "minutes": 0}, "minutes"),
        (TreatmentSession, {"started_at": NOW, "kind": "cupping", "minutes": 5}, "kind"),
        (MedicineTaken, {"at": NOW, "name": ""}, "name"),
        (MedicineTaken, {"at": NOW, "name": "Ibu\x00profen"}, "NUL"),
        (MedicineTaken, {"at": NOW, "name": "x", "note": "a\x00b"}, "NUL"),
        (HabitLog, {"at": NOW, "kind": "water", "amount": 41}, "at most 40"),
        (HabitLog, {"at": NOW, "kind": "plank", "amount": -5}, "amount"),
    ],
)
def test_impossible_records_are_refused(model: type, fields: dict[str, object],
                                        fragment: str) -> None:
    with pytest.raises(BadInput, match=fragment):
        make(model, NOW, **fields)


def test_relief_is_before_minus_after() -> None:
    session = make(TreatmentSession, NOW, started_at=NOW, kind="heat", minutes=15,
                   pain_before=7, pain_after=4)
    assert session.relief == 3
    assert make(TreatmentSession, NOW, started_at=NOW, kind="heat", minutes=15).relief is None


def test_records_get_distinct_ids() -> None:
    a = make(Episode, NOW, onset=NOW)
    b = make(Episode, NOW, onset=NOW)
    assert a.id != b.id and len(a.id) == 32


def test_a_range_keeps_its_records_and_the_episodes_they_belong_to() -> None:
    from tests.diaries import NOW, sample_diary

    diary = sample_diary()
    recent = diary.within(NOW - timedelta(days=2), None)
    assert [e.note for e in recent.episodes] == [None]  # the open episode only
    assert [p.pain for p in recent.pain_entries] == [5]
    assert len(recent.habits) == 2 and recent.medicines == []
    early = diary.within(None, NOW - timedelta(days=27))
    assert [e.note for e in early.episodes] == ["first one"]
    assert {r.episode_id for r in (*early.pain_entries, *early.sessions, *early.medicines)} \
        == {early.episodes[0].id}
    assert diary.within(None, None) is diary
    assert diary.within(NOW + timedelta(days=1), None).count() == 1  # the open episode
