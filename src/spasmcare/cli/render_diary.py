"""Terminal views of the diary (Rich, imported on first use)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from spasmcare.cli.render import console, esc
from spasmcare.core.clock import said_date_time
from spasmcare.local_zone import local_zone

if TYPE_CHECKING:
    from spasmcare.core.diary import Diary, Episode

def _local(at: datetime) -> str:
    return said_date_time(at, datetime.now(local_zone()))


def _table(title: str, *columns: str) -> Any:
    from rich.table import Table

    return Table(*columns, title=title, title_justify="left", expand=False)


def episodes(items: Sequence[Episode], now: datetime) -> None:
    if not items:
        console().print("No episodes yet. Start one with: spasmcare episode start")
        return
    table = _table("Episodes", "id", "began", "ended", "days", "where", "triggers", "triage")
    for e in items:
        days = e.duration(now).total_seconds() / 86400
        where = " ".join(filter(None, [e.region, e.side])) or "-"
        table.add_row(e.id[:8], _local(e.onset), _local(e.ended_at) if e.ended_at else "open",
                      f"{days:.1f}", where, ", ".join(e.triggers) or "-",
                      e.triage_urgency or "-")
    console().print(table)


def episode_detail(parts: dict[str, Any], now: datetime) -> None:
    episode: Episode = parts["episode"]
    episodes([episode], now)
    if episode.trigger_note or episode.note:
        console().print(esc(" ".join(filter(None, [episode.trigger_note, episode.note]))))
    _records(parts["pain_entries"], parts["sessions"], parts["medicines"])


def history(diary: Diary, days: int) -> None:
    if not diary.count():
        console().print(f"Nothing recorded in the last {days} days.")
        return
    if diary.episodes:
        episodes(diary.episodes, datetime.now(local_zone()))
    _records(diary.pain_entries, diary.sessions, diary.medicines)
    if diary.habits:
        table = _table("Habits", "id", "when", "habit", "amount")
        for h in diary.habits:
            table.add_row(h.id[:8], _local(h.at), h.kind.value, f"{h.amount:g}")
        console().print(table)


def _records(pain: Sequence[Any], sessions: Sequence[Any], medicines: Sequence[Any]) -> None:
    con = console()
    if pain:
        table = _table("Pain", "id", "when", "pain", "severity", "impact", "note")
        for p in pain:
            table.add_row(p.id[:8], _local(p.at), f"{p.pain}/10", p.severity, p.impact or "-",
                          esc(p.note or ""))
        con.print(table)
    if sessions:
        table = _table("Sessions", "id", "when", "what", "min", "before → after", "done")
        for s in sessions:
            change = "-" if s.relief is None else f"{s.pain_before} → {s.pain_after}"
            table.add_row(s.id[:8], _local(s.started_at), s.kind.value, f"{s.minutes:g}", change,
                          "yes" if s.completed else "stopped early")
        con.print(table)
    if medicines:
        table = _table("Medicines", "id", "when", "name", "note")
        for m in medicines:
            table.add_row(m.id[:8], _local(m.at), esc(m.name), esc(m.note or ""))
        con.print(table)
