"""The iCalendar export: the open episode's care-plan sessions as calendar
events with reminders, for any calendar app.

Re-importing must update events rather than add copies. The sessions are the
episode's plan as the diary has it (``careplan.episode_plan``), the same the
plan page, ``spasmcare plan`` and ``/api/plan`` show: they depend on what was
done, never on the moment of export. A grouped event's UID comes from the
episode and its block of the day, so it is updated however the sessions in it
move; a single session's from the episode, its kind and its local start, so a
session that moves (something was done meanwhile) is a new event and the old
one stays in the calendar: grouping avoids that.

Twenty-odd reminders a day are more than anyone lives with, so by default the
sessions are grouped: each waking day is split into ``reminders`` equal blocks
and each block with sessions in it becomes one event with one reminder, which
lists its sessions with their times, lengths and safety points; the hourly
"get up and move" breaks are folded into one line. ``reminders=0`` gives one
event per session, breaks included, as before.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Mapping, Sequence
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from icalendar import Alarm, Calendar, Event, Timezone

from spasmcare.core.careplan import MAX_DAYS, Session, Window, episode_plan, waking_windows
from spasmcare.core.clock import CLOCK_SKEW
from spasmcare.core.diary import Diary, Episode
from spasmcare.core.errors import BadInput
from spasmcare.core.knowledge import CarePlanRules, SessionKind
from spasmcare.exports.formats import DEFAULT_REMINDERS, MAX_REMINDERS

PRODID = "-//SpasmCare//Care plan export//EN"
CALENDAR_NAME = "SpasmCare care plan"
UID_DOMAIN = "spasmcare.invalid"
LABELS = {
    SessionKind.ICE: "Ice", SessionKind.HEAT: "Heat", SessionKind.WALK: "Walk",
    SessionKind.STRETCH: "Stretches", SessionKind.STRENGTH: "Core strength",
    SessionKind.BREAK: "Get up and move",
}
# Minutes of warning before a session: a cold pack or a heat pad needs
# fetching first; the other sessions can start when the reminder goes off.
REMINDER_MINUTES = {SessionKind.ICE: 5, SessionKind.HEAT: 5}



def dumps(diary: Diary, *, now: datetime, rules: CarePlanRules, tz: ZoneInfo, wake: time,
          sleep: time, days: int = 7, reminders: int = DEFAULT_REMINDERS,
          titles: Mapping[str, str] | None = None) -> bytes:
    """The sessions of the open episode for ``days`` waking periods, starting
    with the one that holds ``now`` (or the next), as an iCalendar file: in
    ``reminders`` grouped events a day, or one event per session when it is 0.
    Without an open episode the calendar holds no events and says why.
    Sources are named by their ``titles`` (by id where none is given)."""
    if now.tzinfo is None:
        raise BadInput("now must carry a time zone")
    if not 1 <= days <= MAX_DAYS:
        raise BadInput(f"days must be a whole number from 1 to {MAX_DAYS} (got {days})")
    if wake == sleep:
        raise BadInput("wake and sleep times must differ")
    if not 0 <= reminders <= MAX_REMINDERS:
        raise BadInput(f"reminders must be a whole number from 0 (one per session) to "
                       f"{MAX_REMINDERS} a day (got {reminders})")
    now = now.astimezone(tz)
    windows = waking_windows(now, wake, sleep, days)
    episode = open_episode(diary)
    calendar = _calendar(tz, windows)
    if episode is None:
        calendar.add("X-WR-CALDESC", "There is no open back-spasm episode in the diary, so "
                                     "there are no care-plan sessions to show.")
        return bytes(calendar.to_ical())
    onset = episode.onset.astimezone(tz)
    if onset > now + CLOCK_SKEW:
        raise BadInput(f"the open episode's onset ({onset.isoformat()}) is after now "
                       f"({now.isoformat()})")
    calendar.add("X-WR-CALDESC", f"Care-plan sessions for the back spasm that began "
                                 f"{onset:%Y-%m-%d %H:%M} ({tz.key}), from "
                                 f"{windows[0][0]:%Y-%m-%d} to {windows[-1][0]:%Y-%m-%d}. "
                                 "Each session lists its sources.")
    stamp = now.astimezone(UTC)
    plan = episode_plan(episode, diary.sessions, max(now, onset), rules, wake=wake,
                        sleep=sleep, days=days, check_ins=diary.pain_entries)
    if reminders == 0:
        for session in plan.sessions:
            calendar.add_component(_event(session, episode, stamp, titles or {}))
    else:
        for block, sessions in _blocks(plan.sessions, windows, reminders):
            calendar.add_component(_block_event(block, sessions, episode, stamp,
                                                titles or {}))
    return bytes(calendar.to_ical())


def _blocks(sessions: Sequence[Session], windows: list[Window],
            per_day: int) -> Iterator[tuple[Window, list[Session]]]:
    """Each waking period split into ``per_day`` equal blocks, with the
    sessions that start in each; blocks without a session other than a break
    are left out."""
    for start, end in windows:
        step = (end - start) / per_day
        for k in range(per_day):
            block = (start + k * step, start + (k + 1) * step if k < per_day - 1 else end)
            inside = [s for s in sessions if block[0] <= s.start < block[1]]
            if any(s.kind is not SessionKind.BREAK for s in inside):
                yield block, inside


def _block_event(block: Window, sessions: list[Session], episode: Episode,
                 stamp: datetime, titles: Mapping[str, str]) -> Event:
    main = [s for s in sessions if s.kind is not SessionKind.BREAK]
    names = list(dict.fromkeys(LABELS[s.kind].lower() for s in main))
    title = "SpasmCare: " + ", ".join(names)
    first, last = main[0], max(sessions, key=lambda s: s.end)
    local = block[0].replace(tzinfo=None).isoformat(timespec="minutes")
    digest = hashlib.sha256(f"{episode.id}|block|{local}".encode()).hexdigest()
    event = Event()
    event.add("uid", f"{digest[:32]}@{UID_DOMAIN}")
    event.add("dtstamp", stamp)
    event.add("sequence", 0)
    event.add("dtstart", first.start)
    event.add("dtend", last.end)
    event.add("summary", title)
    lines = [f"{s.start:%H:%M} {LABELS[s.kind]}, {_minutes(s.minutes)}.\n"
             + _description(s, titles) for s in main]
    if len(main) < len(sessions):
        lines.append("In between, get up and move about for a minute or two at least once "
                     "an hour.")
    event.add("description", "\n\n".join(lines))
    event.add("categories", ["SpasmCare", *(LABELS[s.kind] for s in main[:1])])
    event.add("status", "CONFIRMED")
    event.add("transp", "TRANSPARENT")  # a block of hours, not a busy one
    event.add_component(_alarm(first, title))
    return event


def open_episode(diary: Diary) -> Episode | None:
    """The latest episode that has not ended, or None."""
    still_open = [e for e in diary.episodes if e.ended_at is None]
    return max(still_open, key=lambda e: (e.onset, e.id), default=None)


def session_uid(episode: Episode, session: Session) -> str:
    """The same session of the same episode always gets the same UID."""
    local = session.start.replace(tzinfo=None).isoformat(timespec="minutes")
    digest = hashlib.sha256(f"{episode.id}|{session.kind.value}|{local}".encode()).hexdigest()
    return f"{digest[:32]}@{UID_DOMAIN}"


def _calendar(tz: ZoneInfo, windows: list[Window]) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("X-WR-CALNAME", CALENDAR_NAME)
    calendar.add("X-WR-TIMEZONE", tz.key)
    # A VTIMEZONE for the exported days only (with a day either side for the
    # reminders): a calendar client needs no more, and it keeps the file small.
    # It also gives a calendar without events the one component RFC 5545 asks for.
    calendar.add_component(Timezone.from_tzinfo(
        tz, first_date=windows[0][0].date() - timedelta(days=1),
        last_date=windows[-1][1].date() + timedelta(days=1)))
    return calendar


def _event(session: Session, episode: Episode, stamp: datetime,
           titles: Mapping[str, str]) -> Event:
    title = f"{LABELS[session.kind]}, {_minutes(session.minutes)}"
    event = Event()
    event.add("uid", session_uid(episode, session))
    event.add("dtstamp", stamp)
    # Every export is a full new copy of the plan; clients take the one with
    # the later DTSTAMP when SEQUENCE is the same.
    event.add("sequence", 0)
    event.add("dtstart", session.start)
    event.add("dtend", session.end)
    event.add("summary", title)
    event.add("description", _description(session, titles))
    event.add("categories", ["SpasmCare", LABELS[session.kind]])
    event.add("status", "CONFIRMED")
    event.add_component(_alarm(session, title))
    return event


def _description(session: Session, titles: Mapping[str, str]) -> str:
    parts = [session.instructions]
    if session.safety:
        parts.append("Safety:\n" + "\n".join(f"- {line}" for line in session.safety))
    parts.append("Sources: " + "; ".join(titles.get(i, i) for i in session.sources))
    return "\n\n".join(parts)


def _alarm(session: Session, title: str) -> Alarm:
    ahead = REMINDER_MINUTES.get(session.kind, 0)
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", f"{title}: {'in ' + _minutes(ahead) if ahead else 'now'}")
    alarm.add("trigger", timedelta(minutes=-ahead))
    return alarm


def _minutes(count: int) -> str:
    return f"{count} minute{'s' if count != 1 else ''}"
