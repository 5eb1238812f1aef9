"""The iCalendar export: its structure, its stability from one export to the
next, daylight-saving changes, an empty diary, and a real calendar client
(khal) importing it and listing the events back."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar, Event

from spasmcare.core.careplan import episode_plan
from spasmcare.core.diary import Diary, Episode
from spasmcare.core.errors import BadInput
from spasmcare.core.loader import load_knowledge
from spasmcare.exports import calendar_ics
from tests.diaries import NOW, sample_diary

RULES = load_knowledge().careplan
TITLES = {s.id: s.title for s in load_knowledge().sources}
LONDON = ZoneInfo("Europe/London")
NEW_YORK = ZoneInfo("America/New_York")
WAKE, SLEEP = time(7), time(23)
KHAL = Path(sys.executable).parent / "khal"


@dataclass(frozen=True)
class Case:
    tz: ZoneInfo
    onset: datetime
    now: datetime
    plan_from: datetime  # the first waking period's start, or the onset if later
    days: int


CASES = {
    # Into the subacute phase (48 h), over the clocks going forward on 29 March.
    "london": Case(LONDON, datetime(2026, 3, 26, 9, 40, tzinfo=LONDON),
                   datetime(2026, 3, 27, 15, 12, tzinfo=LONDON),
                   datetime(2026, 3, 27, 7, 0, tzinfo=LONDON), 4),
    # Begun this morning, over the clocks going forward on 8 March.
    "new-york": Case(NEW_YORK, datetime(2026, 3, 7, 10, 3, tzinfo=NEW_YORK),
                     datetime(2026, 3, 7, 12, 0, tzinfo=NEW_YORK),
                     datetime(2026, 3, 7, 10, 3, tzinfo=NEW_YORK), 3),
}


def diary_for(onset: datetime) -> Diary:
    """An ended episode, the open one, and one that ended after the open one
    began; fixed ids, so that two calls give the same diary."""
    return Diary(episodes=[
        Episode(id="1" * 32, onset=onset - timedelta(days=40),
                ended_at=onset - timedelta(days=35)),
        Episode(id="2" * 32, onset=onset),
        Episode(id="3" * 32, onset=onset - timedelta(days=3),
                ended_at=onset + timedelta(hours=1)),
    ])


def export(diary: Diary, now: datetime, tz: ZoneInfo, days: int = 3, reminders: int = 0,
           **hours: time) -> bytes:
    """One event per session unless ``reminders`` groups them."""
    return calendar_ics.dumps(diary, now=now, rules=RULES, tz=tz, wake=hours.get("wake", WAKE),
                              sleep=hours.get("sleep", SLEEP), days=days, reminders=reminders,
                              titles=TITLES)


def events(data: bytes) -> list[Event]:
    return list(Calendar.from_ical(data).walk("VEVENT"))


def key(event: Event) -> tuple[str, datetime, datetime, str, str]:
    return (str(event["UID"]), event.start, event.end, str(event["SUMMARY"]),
            str(event["DESCRIPTION"]))


@pytest.fixture(params=sorted(CASES))
def case(request: pytest.FixtureRequest) -> Case:
    return CASES[request.param]


# --- structure ---------------------------------------------------------------


def test_calendar_properties(case: Case) -> None:
    cal = Calendar.from_ical(export(diary_for(case.onset), case.now, case.tz, case.days))
    assert str(cal["VERSION"]) == "2.0"
    assert str(cal["PRODID"]) == calendar_ics.PRODID
    assert str(cal["CALSCALE"]) == "GREGORIAN"
    assert str(cal["METHOD"]) == "PUBLISH"
    assert str(cal["X-WR-CALNAME"]) == "SpasmCare care plan"
    assert str(cal["X-WR-TIMEZONE"]) == case.tz.key
    assert case.onset.strftime("%Y-%m-%d %H:%M") in str(cal["X-WR-CALDESC"])
    assert [str(t["TZID"]) for t in cal.walk("VTIMEZONE")] == [case.tz.key]
    assert cal.get_missing_tzids() == set()


def test_one_event_per_planned_session(case: Case) -> None:
    # The calendar holds the episode's plan as the plan page and /api/plan give it.
    diary = diary_for(case.onset)
    plan = episode_plan(calendar_ics.open_episode(diary), diary.sessions, case.now, RULES,
                        wake=WAKE, sleep=SLEEP, days=case.days)
    found = events(export(diary, case.now, case.tz, case.days))
    assert len(found) == len(plan.sessions) > 40
    for event, session in zip(found, plan.sessions, strict=True):
        assert event.start == session.start
        assert event.end - event.start == timedelta(minutes=session.minutes)
        assert event["DTSTART"].params["TZID"] == case.tz.key
        assert event["DTEND"].params["TZID"] == case.tz.key
        assert event.start.utcoffset() == session.start.astimezone(case.tz).utcoffset()
        label = calendar_ics.LABELS[session.kind]
        assert str(event["SUMMARY"]) == f"{label}, {session.minutes} minutes"
        assert event.categories == ["SpasmCare", label]
        description = str(event["DESCRIPTION"])
        assert description.startswith(session.instructions)
        assert all(line in description for line in session.safety)
        # The sources by their titles, never their file names.
        assert description.endswith("Sources: " + "; ".join(TITLES[i] for i in session.sources))
        assert ".txt" not in description
        assert str(event["STATUS"]) == "CONFIRMED"
        assert event["SEQUENCE"] == 0
        assert case.now.astimezone(UTC) == event.DTSTAMP


def test_every_event_has_a_reminder(case: Case) -> None:
    for event in events(export(diary_for(case.onset), case.now, case.tz, case.days)):
        [alarm] = event.walk("VALARM")
        assert str(alarm["ACTION"]) == "DISPLAY"
        assert str(alarm["DESCRIPTION"]).startswith(str(event["SUMMARY"]))
        before = -alarm["TRIGGER"].dt
        assert timedelta(0) <= before <= timedelta(minutes=10)


def test_uids_are_unique_and_belong_to_the_open_episode(case: Case) -> None:
    diary = diary_for(case.onset)
    found = events(export(diary, case.now, case.tz, case.days))
    uids = [str(e["UID"]) for e in found]
    assert len(set(uids)) == len(uids)
    renamed = diary.model_copy(update={"episodes": [
        e.model_copy(update={"id": "0" * 32}) if e.open else e for e in diary.episodes]})
    assert set(uids).isdisjoint(str(e["UID"]) for e in events(
        export(renamed, case.now, case.tz, case.days)))


def test_sessions_lie_in_waking_hours_and_after_the_onset(case: Case) -> None:
    for event in events(export(diary_for(case.onset), case.now, case.tz, case.days)):
        assert event.start >= case.plan_from >= case.onset
        assert event.start.time() >= WAKE and event.end.time() <= SLEEP


def test_the_latest_open_episode_is_exported() -> None:
    diary = sample_diary(NOW)
    assert calendar_ics.open_episode(diary) == diary.episodes[1]
    found = events(export(diary, NOW, LONDON))
    assert found and found[0].start >= diary.episodes[1].onset


# --- stability ---------------------------------------------------------------


def test_exporting_twice_gives_the_same_file(case: Case) -> None:
    diary = diary_for(case.onset)
    assert export(diary, case.now, case.tz) == export(diary, case.now, case.tz)


def test_a_later_export_the_same_day_gives_the_same_events(case: Case) -> None:
    diary = diary_for(case.onset)
    later = case.now + timedelta(hours=5, minutes=7)
    assert later.date() == case.now.date()
    first, second = events(export(diary, case.now, case.tz)), events(export(diary, later, case.tz))
    # The same sessions, less those already past: nothing moves to "now".
    still_ahead = [e for e in first if e.start >= later]
    assert len(still_ahead) > 20
    assert [key(e) for e in still_ahead] == [key(e) for e in second]
    # the later copy is the newer revision of each event
    assert all(b.DTSTAMP > a.DTSTAMP for a, b in zip(still_ahead, second, strict=True))


def test_the_next_days_export_keeps_the_days_they_share(case: Case) -> None:
    diary = diary_for(case.onset)
    later = case.now + timedelta(days=1)
    today = events(export(diary, case.now, case.tz, days=4))
    tomorrow = events(export(diary, later, case.tz, days=4))
    shared = [e for e in today if e.start >= later]
    assert len(shared) > 30
    assert [key(e) for e in shared] == [key(e) for e in tomorrow[:len(shared)]]
    assert all(e.start >= later for e in tomorrow)  # what is past is not exported


def test_short_nights_do_not_carry_one_days_plan_into_the_next() -> None:
    # A two-hour night is shorter than the gap heat needs between sessions, so
    # a plan that ran on from yesterday would start today's heat later than a
    # plan made today: each day must be planned on its own.
    case, hours = CASES["london"], {"wake": time(0), "sleep": time(22)}
    diary, now = diary_for(case.onset), case.now + timedelta(days=1)  # heat begins today
    today = events(export(diary, now, case.tz, days=4, **hours))
    tomorrow = events(export(diary, now + timedelta(days=1), case.tz, days=4, **hours))
    shared = [e for e in today if e.start >= now + timedelta(days=1)]
    assert [key(e) for e in shared] == [key(e) for e in tomorrow[:len(shared)]]
    assert "Heat, 20 minutes" in [str(e["SUMMARY"]) for e in shared]


def test_after_bedtime_the_plan_starts_next_morning() -> None:
    onset = datetime(2026, 5, 4, 8, 0, tzinfo=LONDON)
    found = events(export(diary_for(onset), datetime(2026, 5, 5, 23, 30, tzinfo=LONDON), LONDON))
    assert found[0].start == datetime(2026, 5, 6, 7, 0, tzinfo=LONDON)


# --- daylight saving ---------------------------------------------------------


def local_times(found: list[Event], day: date) -> list[str]:
    return [f"{e.start:%H:%M} {e['SUMMARY']}" for e in found if e.start.date() == day]


@pytest.mark.parametrize(("tz", "change"), [
    (LONDON, date(2026, 3, 29)), (LONDON, date(2026, 10, 25)),
    (NEW_YORK, date(2026, 3, 8)), (NEW_YORK, date(2026, 11, 1)),
])
def test_sessions_keep_their_wall_clock_times_over_a_clock_change(tz: ZoneInfo,
                                                                  change: date) -> None:
    # Three weeks in, the plan is the same every day (the walking has reached
    # its most), so the clock change must not move it.
    onset = datetime.combine(change - timedelta(days=21), time(8), tz)
    found = events(export(diary_for(onset), datetime.combine(change, time(6), tz)
                          - timedelta(days=1), tz, days=3))
    before, on, after = (change + timedelta(days=k) for k in (-1, 0, 1))
    assert local_times(found, before) == local_times(found, on) == local_times(found, after)
    assert local_times(found, on)[0].startswith("07:00")
    first = {e.start.date(): e.start for e in found if e.start.time() == WAKE}
    shift = first[after].utcoffset() - first[before].utcoffset()
    assert abs(shift) == timedelta(hours=1)
    assert first[after].astimezone(UTC) - first[before].astimezone(UTC) == (
        timedelta(days=2) - shift)


# --- nothing to export, and bad input ---------------------------------------


@pytest.mark.parametrize("diary", [
    Diary(),
    Diary(episodes=[Episode(onset=NOW - timedelta(days=9), ended_at=NOW - timedelta(days=2))]),
], ids=["empty", "no-open-episode"])
def test_without_an_open_episode_the_calendar_is_valid_and_says_so(diary: Diary) -> None:
    cal = Calendar.from_ical(export(diary, NOW, NEW_YORK))
    assert events(cal.to_ical()) == []
    assert [str(t["TZID"]) for t in cal.walk("VTIMEZONE")] == ["America/New_York"]
    assert "no open back-spasm episode" in str(cal["X-WR-CALDESC"])
    assert str(cal["X-WR-CALNAME"]) == "SpasmCare care plan"


@pytest.mark.parametrize(("now", "days", "hours", "message"), [
    (NOW, 0, {}, "days must be a whole number from 1 to 28"),
    (NOW, 29, {}, "days must be a whole number from 1 to 28"),
    (NOW.replace(tzinfo=None), 3, {}, "now must carry a time zone"),
    (NOW, 3, {"wake": time(8), "sleep": time(8)}, "wake and sleep times must differ"),
    (NOW - timedelta(days=2), 3, {}, "onset"),
])
def test_bad_input_is_refused_in_one_sentence(now: datetime, days: int,
                                              hours: dict[str, time], message: str) -> None:
    with pytest.raises(BadInput, match=message):
        export(diary_for(NOW - timedelta(hours=5)), now, LONDON, days, **hours)


# --- a real calendar client --------------------------------------------------


@dataclass
class Khal:
    folder: Path
    config: Path
    env: dict[str, str]

    def __call__(self, *args: str) -> str:
        proc = subprocess.run([str(KHAL), "-c", str(self.config), *args], capture_output=True,
                              text=True, env=self.env, timeout=120, check=False)
        assert proc.returncode == 0, proc.stderr
        assert "error" not in proc.stderr.lower(), proc.stderr
        return proc.stdout

    def listed(self, first: date, last: date) -> list[str]:
        out = self("list", "--day-format", "", "--format",
                   "{start-date} {start-time}-{end-time} {title}{alarm-symbol}",
                   first.isoformat(), last.isoformat())
        # An event that crosses midnight is listed under both of its days.
        return list(dict.fromkeys(out.splitlines()))


def make_khal(tmp_path: Path, local_tz: str) -> Khal:
    """khal with its own config, calendar folder, database and home, so that
    nothing touches the user's files."""
    assert KHAL.exists(), f"khal is not installed in the virtualenv ({KHAL})"
    home, folder = tmp_path / "home", tmp_path / "calendar"
    home.mkdir()
    folder.mkdir()
    config = tmp_path / "khal.conf"
    config.write_text(f"""\
[calendars]
[[care]]
path = {folder}
type = calendar
[locale]
timeformat = %H:%M
dateformat = %Y-%m-%d
longdateformat = %Y-%m-%d
datetimeformat = %Y-%m-%d %H:%M
longdatetimeformat = %Y-%m-%d %H:%M
local_timezone = {local_tz}
default_timezone = {local_tz}
[default]
default_calendar = care
[sqlite]
path = {tmp_path / "khal.db"}
""")
    env = {"PATH": os.environ.get("PATH", ""), "HOME": str(home), "LANG": "C.UTF-8",
           "TZ": "UTC", "XDG_CONFIG_HOME": str(home / ".config"),
           "XDG_DATA_HOME": str(home / ".local/share"), "XDG_CACHE_HOME": str(home / ".cache")}
    return Khal(folder, config, env)


def expected_lines(found: list[Event], tz: ZoneInfo) -> list[str]:
    lines = []
    for e in found:
        start, end = e.start.astimezone(tz), e.end.astimezone(tz)
        lines.append(f"{start:%Y-%m-%d %H:%M}-{end:%H:%M} {e['SUMMARY']} ⏰")
    return lines


@pytest.mark.slow
def test_khal_imports_the_plan_and_lists_it_back(tmp_path: Path) -> None:
    case = CASES["london"]
    data = export(diary_for(case.onset), case.now, case.tz, case.days)
    found = events(data)
    khal = make_khal(tmp_path, case.tz.key)
    (tmp_path / "plan.ics").write_bytes(data)
    khal("import", "--batch", "-a", "care", str(tmp_path / "plan.ics"))
    first, last = found[0].start.date(), found[-1].start.date()
    listed = khal.listed(first, last)
    assert listed == expected_lines(found, case.tz)
    assert "2026-03-29 07:00-07:20 Heat, 20 minutes ⏰" in listed  # after the clocks went forward

    # A later export re-imported replaces the events: nothing is doubled.
    (tmp_path / "later.ics").write_bytes(
        export(diary_for(case.onset), case.now + timedelta(hours=4), case.tz, case.days))
    khal("import", "--batch", "-a", "care", str(tmp_path / "later.ics"))
    assert khal.listed(first, last) == listed
    assert len(list(khal.folder.glob("*.ics"))) == len(found)


@pytest.mark.slow
def test_khal_in_another_time_zone_shows_the_same_moments(tmp_path: Path) -> None:
    case = CASES["new-york"]
    data = export(diary_for(case.onset), case.now, case.tz, case.days)
    found = events(data)
    khal = make_khal(tmp_path, "Europe/London")
    (tmp_path / "plan.ics").write_bytes(data)
    khal("import", "--batch", "-a", "care", str(tmp_path / "plan.ics"))
    listed = khal.listed(found[0].start.date(), found[-1].start.date() + timedelta(days=1))
    assert listed == expected_lines(found, LONDON)
    # 07:00 in New York is 12:00 in London before 8 March and 11:00 after it.
    assert "2026-03-08 11:00-11:20 Ice, 20 minutes ⏰" in listed


@pytest.mark.slow
def test_khal_imports_a_calendar_without_sessions(tmp_path: Path) -> None:
    khal = make_khal(tmp_path, "America/New_York")
    (tmp_path / "empty.ics").write_bytes(export(Diary(), NOW, NEW_YORK))
    assert "0 events found" in khal("printics", str(tmp_path / "empty.ics"))
    khal("import", "--batch", "-a", "care", str(tmp_path / "empty.ics"))
    assert khal.listed(NOW.date(), NOW.date() + timedelta(days=3)) == []
    assert list(khal.folder.glob("*.ics")) == []


# --- grouped reminders -------------------------------------------------------


@pytest.mark.parametrize("per_day", [1, 3, 4, 8])
def test_grouped_reminders_hold_every_session_in_a_few_events_a_day(case: Case,
                                                                    per_day: int) -> None:
    diary = diary_for(case.onset)
    each = events(export(diary, case.now, case.tz, case.days))
    grouped = events(export(diary, case.now, case.tz, case.days, reminders=per_day))
    by_day: dict[date, int] = {}
    for event in grouped:
        by_day[event.start.date()] = by_day.get(event.start.date(), 0) + 1
        assert len(event.walk("VALARM")) == 1
    assert all(n <= per_day for n in by_day.values())
    assert len(grouped) < len(each) / 2
    # every session but the breaks is in one group's text, at its time and length
    texts = "\n".join(str(e["DESCRIPTION"]) for e in grouped)
    sessions = [e for e in each if not str(e["SUMMARY"]).startswith("Get up and move")]
    for e in sessions:
        line = f"{e.start:%H:%M} {e['SUMMARY']}."
        assert line in texts, line
    assert texts.count("Take it off by 20 minutes") == sum(
        str(e["SUMMARY"]).startswith("Ice") for e in sessions)  # ice keeps its safety limits
    # a group starts with its first session and ends after its last
    for g in grouped:
        inside = [e for e in each if g.start <= e.start < g.end]
        assert inside and inside[0].start == g.start


def test_grouped_reminders_fold_the_breaks_in_and_keep_their_uids() -> None:
    case = CASES["london"]
    diary = diary_for(case.onset)
    grouped = events(export(diary, case.now, case.tz, 2, reminders=4))
    assert not any("Get up and move" in str(e["SUMMARY"]) for e in grouped)
    assert any("at least once an hour" in str(e["DESCRIPTION"]) for e in grouped)
    again = events(export(diary, case.now + timedelta(minutes=40), case.tz, 2, reminders=4))
    assert {str(e["UID"]) for e in again} <= {str(e["UID"]) for e in grouped}


def test_the_default_export_is_grouped() -> None:
    case = CASES["london"]
    data = calendar_ics.dumps(diary_for(case.onset), now=case.now, rules=RULES, tz=case.tz,
                              wake=WAKE, sleep=SLEEP, days=1)
    assert len(events(data)) <= calendar_ics.DEFAULT_REMINDERS


@pytest.mark.parametrize("count", [-1, 9])
def test_a_bad_reminder_count_is_refused(count: int) -> None:
    with pytest.raises(BadInput, match="reminders"):
        export(diary_for(CASES["london"].onset), NOW, LONDON, reminders=count)
