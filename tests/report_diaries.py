"""A diary for the clinician's report, built by hand so that its facts can be
worked out by hand: an earlier episode that ended, and a current one ten days
old whose pain fell from 8 to 4, with sessions, medicines, habits and a note
in several scripts."""

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
from spasmcare.core.loader import load_knowledge

NOW = datetime(2026, 11, 21, 18, 0, tzinfo=UTC)
ONSET = NOW - timedelta(days=10)                  # the current episode: 11 Nov 18:00 UTC
EARLIER = NOW - timedelta(days=60)                # the earlier one: 22 Sep, ended 27 Sep
UNICODE_NOTE = "Schlimmer beim Bücken — Wärmepflaster für 5 €, Łódka, „gut“"
CYRILLIC_NOTE = "болит спина"                     # Cyrillic, printed with DejaVu Sans
# Pain of the current episode: (days after onset, score).
PAIN = ((0.1, 8), (2, 7), (4, 6), (6, 6), (8, 5), (9.5, 4))
ICE_RELIEF = (2, 2, 1, 2, 3, 2)                   # six scored ice sessions: mean 2.0
ICE_HOURS = (0.5, 3, 15, 18, 21, 24)              # after onset; with two walks, day one follows
WALK_HOURS = (1, 2, 20, 44, 116)                  # unscored
HEAT_RELIEF = (3, 3)                              # two heat sessions: too few to tell


def _every_emergency_answered_no() -> dict[str, bool]:
    findings = load_knowledge().triage.findings
    return {f.id: False for f in findings if f.tier.value == "emergency"}


def report_diary(now: datetime = NOW) -> Diary:
    earlier = make(Episode, now, onset=EARLIER, region="lower", side="right",
                   triggers=("sport",), triage_urgency="self-care",
                   triage_answers=_every_emergency_answered_no(),
                   ended_at=EARLIER + timedelta(days=5))
    current = make(Episode, now, onset=ONSET, region="lower", side="left",
                   triggers=("lifting", "prolonged-sitting"), trigger_note="carried boxes",
                   triage_urgency="urgent",
                   triage_answers={**_every_emergency_answered_no(), "fever": True,
                                   "night_or_rest_pain": False, "leg_pain_radiating": True},
                   note=CYRILLIC_NOTE)
    pain = [make(PainEntry, now, at=EARLIER + timedelta(hours=2), episode_id=earlier.id,
                 pain=9, impact="unable", severity="severe")]
    pain += [make(PainEntry, now, at=ONSET + timedelta(days=d), episode_id=current.id, pain=p,
                  impact="some" if p >= 5 else "none", severity="moderate" if p >= 4 else "mild",
                  note=UNICODE_NOTE if d == 4 else None)
             for d, p in PAIN]
    sessions = [make(TreatmentSession, now, started_at=ONSET + timedelta(hours=h),
                     episode_id=current.id, kind="ice", minutes=15, pain_before=7,
                     pain_after=7 - r) for h, r in zip(ICE_HOURS, ICE_RELIEF, strict=True)]
    heat_start = ONSET + timedelta(days=3, hours=-4)
    sessions += [make(TreatmentSession, now, started_at=heat_start + timedelta(hours=3 * i),
                      episode_id=current.id, kind="heat", minutes=20, pain_before=6,
                      pain_after=6 - r) for i, r in enumerate(HEAT_RELIEF)]
    sessions += [make(TreatmentSession, now, started_at=ONSET + timedelta(hours=h),
                      episode_id=current.id, kind="walk", minutes=10) for h in WALK_HOURS]
    sessions.append(make(TreatmentSession, now, started_at=EARLIER + timedelta(days=1),
                         episode_id=earlier.id, kind="stretch", minutes=5, completed=False))
    medicines = [make(MedicineTaken, now, at=ONSET + timedelta(hours=h), episode_id=current.id,
                      name="Ibuprofen", note="400 mg")  # a dose the report must not show
                 for h in (1, 9, 30)]
    medicines.append(make(MedicineTaken, now, at=ONSET + timedelta(days=2), name="paracetamol"))
    medicines.append(make(MedicineTaken, now, at=ONSET + timedelta(days=6), name="Paracetamol"))
    habits = [make(HabitLog, now, at=now - timedelta(days=d, hours=1), kind="water", amount=6)
              for d in range(3)]
    habits.append(make(HabitLog, now, at=now - timedelta(hours=3), kind="walk", amount=25))
    return Diary(episodes=[current, earlier], pain_entries=pain[::-1], sessions=sessions,
                 medicines=medicines, habits=habits)


# A diary of eight months: report_diary() and, in March, an episode with
# warning signs answered yes and a week whose figures are worked out by hand.
OLD_ONSET = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)     # a Tuesday; Berlin is UTC+1 then
MARKUP_NOTE = 'felt <b>odd</b> & "numb" <font color="red">left</font> <br/> 5 < 6 &amp; </para>'
# Pain in the week of Monday 9 March (cut to the 10th, where the diary begins):
# (UTC time, score); the last one is 00:30 on Monday 16 March in Berlin.
MARCH_PAIN = ((datetime(2026, 3, 10, 10, tzinfo=UTC), 9), (datetime(2026, 3, 11, 9, tzinfo=UTC), 7),
              (datetime(2026, 3, 12, 9, tzinfo=UTC), 4),
              (datetime(2026, 3, 15, 22, 30, tzinfo=UTC), 6),
              (datetime(2026, 3, 15, 23, 30, tzinfo=UTC), 3))
MARCH_ANSWERS = {"saddle_numbness": True, "fever": True, "bladder_bowel_dysfunction": False,
                 "leg_pain_radiating": True}


def long_report_diary(now: datetime = NOW) -> Diary:
    diary = report_diary(now)
    old = make(Episode, now, onset=OLD_ONSET, ended_at=OLD_ONSET + timedelta(days=6),
               region="lower", triage_urgency="emergency", triage_answers=MARCH_ANSWERS,
               note=MARKUP_NOTE)
    day = timedelta(days=1)
    diary.episodes.append(old)
    diary.pain_entries += [
        make(PainEntry, now, at=at, episode_id=old.id, pain=p,
             impact="unable" if p == 9 else "some", severity="severe" if p >= 7 else "moderate",
             note=MARKUP_NOTE if p == 6 else None)
        for at, p in MARCH_PAIN]
    noon = OLD_ONSET + timedelta(hours=3)
    diary.sessions += [
        make(TreatmentSession, now, started_at=noon, episode_id=old.id, kind="ice", minutes=15,
             pain_before=7, pain_after=4),
        make(TreatmentSession, now, started_at=noon + day, episode_id=old.id, kind="heat",
             minutes=20, pain_before=6, pain_after=5),
        make(TreatmentSession, now, started_at=noon + 2 * day, episode_id=old.id, kind="walk",
             minutes=10, completed=False, note="stopped: <too> sore & stiff"),
    ]
    diary.medicines += [make(MedicineTaken, now, at=noon + timedelta(hours=1), name="Naproxen"),
                        make(MedicineTaken, now, at=noon + 2 * day, name="naproxen",
                             note="500 mg")]   # a dose the report must not show
    diary.habits += [make(HabitLog, now, at=noon, kind="water", amount=6),
                     make(HabitLog, now, at=noon + day, kind="water", amount=4),
                     make(HabitLog, now, at=noon + 2 * day, kind="plank", amount=60)]
    return diary
