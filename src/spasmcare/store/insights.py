"""Insights from a stored diary, at a cost that does not grow with it. The
CLI, the API and the insights page all come through here.

The episodes are read (a few a year), and the habits of the last month; the
sessions and medicines, which are most of a long diary, are not: their counts
and the adherence of settled episodes are kept by ``spasmcare.store.summaries``.
The figures are the core's own (``spasmcare.core.insights``) from the same
parts; a property test holds the two ways equal."""

from __future__ import annotations

from datetime import datetime, timedelta

from spasmcare.core import insights as core
from spasmcare.core.adherence import plan_adherence, settled
from spasmcare.core.clock import parse_clock
from spasmcare.core.diary import Episode, HabitLog, TreatmentSession
from spasmcare.core.knowledge import CarePlanRules
from spasmcare.store import summaries
from spasmcare.store.diary import DiaryStore


def diary_insights(diary: DiaryStore, rules: CarePlanRules, now: datetime) -> core.Insights:
    """The person's insights as of ``now``, with their own waking hours."""
    person = diary.settings()
    wake = parse_clock(person.wake, "the wake time in your settings")
    sleep = parse_clock(person.sleep, "the sleep time in your settings")
    basis = summaries.basis(now.tzinfo, wake, sleep, rules)
    with diary.snapshot() as conn:
        episodes: list[Episode] = diary.read(conn, Episode)
        known, generations = summaries.kept_adherence(conn, diary.person_id, episodes,
                                                      now, basis)
        missing = [e for e in episodes if e.id not in known]
        sessions: list[TreatmentSession] = [
            s for since, until in summaries.windows(missing)
            for s in diary.read(conn, TreatmentSession, since, until)]
        habits = diary.read(conn, HabitLog, since=now - timedelta(days=core.HABIT_DAYS + 1))
        tallies = summaries.tallies(conn, diary.person_id)
        began = diary.began(conn)
    adherence = plan_adherence(episodes, sessions, now, rules, wake, sleep, known=known)
    summaries.keep_adherence(diary.engine, diary.person_id, basis, [
        (figure, generations[e.id]) for figure, e in zip(adherence.episodes, episodes,
                                                         strict=True)
        if e.id not in known and settled(e, now)])
    return core.assemble(now, episodes, tallies, adherence, habits, began)
