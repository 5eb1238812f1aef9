"""Small hand-built diaries for tests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from spasmcare.core.diary import (
    Diary,
    Episode,
    HabitLog,
    MedicineTaken,
    PainEntry,
    TreatmentSession,
    make,
)

NOW = datetime(2026, 11, 21, 18, 0, tzinfo=UTC)


def sample_diary(now: datetime = NOW) -> Diary:
    """Two episodes (one ended), with pain, sessions, a medicine and habits."""
    first = make(Episode, now, onset=now - timedelta(days=30), region="lower", side="left",
                 triggers=("lifting", "stress"), trigger_note="moved a sofa",
                 triage_urgency="self-care", triage_answers={"fever": False},
                 ended_at=now - timedelta(days=26), note="first one")
    second = make(Episode, now, onset=now - timedelta(hours=20), region="middle",
                  triggers=("prolonged-sitting",))
    return Diary(
        episodes=[first, second],
        pain_entries=[
            make(PainEntry, now, at=first.onset + timedelta(hours=1), episode_id=first.id,
                 pain=8, impact="unable", severity="severe", stiffness=7, mobility="very-limited",
                 note="could not stand"),
            make(PainEntry, now, at=second.onset + timedelta(hours=2), episode_id=second.id,
                 pain=5, impact="some", severity="moderate"),
        ],
        sessions=[
            make(TreatmentSession, now, started_at=first.onset + timedelta(hours=2),
                 episode_id=first.id, kind="ice", minutes=20, pain_before=8, pain_after=6),
            make(TreatmentSession, now, started_at=second.onset + timedelta(hours=3),
                 episode_id=second.id, kind="walk", minutes=5.5, completed=False),
        ],
        medicines=[make(MedicineTaken, now, at=first.onset + timedelta(hours=1),
                        episode_id=first.id, name="Ibuprofen", note="with food")],
        habits=[make(HabitLog, now, at=now - timedelta(days=1), kind="water", amount=7),
                make(HabitLog, now, at=now - timedelta(days=1), kind="plank", amount=25)],
    )


def canonical(diary: Diary) -> Diary:
    """The same records in the store's order (by time, then id), for comparisons."""
    def by(attr: str):  # type: ignore[no-untyped-def]
        return lambda r: (getattr(r, attr), r.id)

    return Diary(
        episodes=sorted(diary.episodes, key=by("onset")),
        pain_entries=sorted(diary.pain_entries, key=by("at")),
        sessions=sorted(diary.sessions, key=by("started_at")),
        medicines=sorted(diary.medicines, key=by("at")),
        habits=sorted(diary.habits, key=by("at")),
    )
