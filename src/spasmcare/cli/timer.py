"""``spasmcare timer``: a live countdown for an ice, heat, plank or walking
session, saved in the diary with the pain before and after."""

from __future__ import annotations

import math
import re
import time
from datetime import datetime
from typing import TYPE_CHECKING

import typer

from spasmcare.cli import render
from spasmcare.cli.database import store
from spasmcare.core.clock import said_minutes
from spasmcare.core.diary_terms import TreatmentKind
from spasmcare.core.errors import BadInput
from spasmcare.core.loader import load_knowledge
from spasmcare.core.timing import MIN_RECORD_SECONDS, TimerKind, Timing, remaining, timing
from spasmcare.local_zone import local_zone

if TYPE_CHECKING:
    from rich.console import RenderableType

TICK = 0.25  # seconds between screen updates
PAIN_BEFORE = "Pain now, 0-10 (Enter to skip)"
PAIN_AFTER = "Pain now, after the session, 0-10 (Enter to skip)"


def timer_command(
    kind: TimerKind = typer.Argument(..., case_sensitive=False, help="The kind of session."),
    minutes: float | None = typer.Option(None, "--minutes",
                                         help="How long, instead of the care plan's length."),
    seconds: int | None = typer.Option(None, "--seconds",
                                       help="How long in seconds, for short runs; not with "
                                            "--minutes."),
    no_record: bool = typer.Option(False, "--no-record", help="Do not save it in the diary."),
) -> None:
    """A live countdown for an ice, heat, plank or walking session, saved in your diary."""
    if minutes is not None and seconds is not None:
        raise BadInput("give --minutes or --seconds, not both")
    requested = minutes * 60 if minutes is not None else seconds
    rules = load_knowledge().careplan
    timing(kind, rules, seconds=requested)  # refuse a bad length before opening the diary
    diary = store()
    episode = diary.open_episode()
    hours = episode.duration(_now()).total_seconds() / 3600 if episode else None
    planned = diary.plan(episode, _now(), rules).lengths if episode else None
    plan = timing(kind, rules, seconds=requested, hours_since_onset=hours, planned=planned)
    _show(kind, plan)
    before = None if no_record else _ask_pain(PAIN_BEFORE)
    started_at = _now()
    done, completed = _countdown(kind, plan)
    con = render.console()
    if completed:
        con.file.write("\a")
        con.file.flush()
        con.print("[bold]Done.[/bold]")
    else:
        render.say(f"Stopped after {_clock(done)} of {_clock(plan.seconds)}.")
    if no_record:
        render.say("Not saved (--no-record).")
        return
    if not completed and done < MIN_RECORD_SECONDS:
        render.say(f"That was under {MIN_RECORD_SECONDS} seconds, so nothing was saved.")
        return
    from spasmcare.core.diary import TreatmentSession, make

    after = _ask_pain(PAIN_AFTER)
    session = make(TreatmentSession, _now(), started_at=started_at,
                   kind=TreatmentKind(plan.kind.value), minutes=round(done / 60, 2),
                   pain_before=before, pain_after=after, completed=completed,
                   episode_id=episode.id if episode else None)
    store().add(session)
    pain = "" if before is None and after is None else \
        f", pain {_score(before)} → {_score(after)}"
    state = "" if completed else ", stopped early"
    render.say(f"Saved: {kind.value} for {said_minutes(session.minutes)} ({_clock(done)})"
               f"{state}{pain}.")


def _now() -> datetime:
    return datetime.now(local_zone())


def _ask_pain(question: str) -> int | None:
    """A pain score, or None when skipped (Enter, or no more input)."""
    while True:
        try:
            text = render.ask(question).strip()
        except EOFError:
            render.console().print()
            return None
        if not text:
            return None
        if re.fullmatch(r"[0-9]{1,2}", text) and int(text) <= 10:
            return int(text)
        render.say("Please give a whole number from 0 to 10, or press Enter to skip.")


def _countdown(kind: TimerKind, plan: Timing) -> tuple[float, bool]:
    """Run the countdown; (seconds done, whether it ran to the end). Ctrl-C stops it."""
    from rich.live import Live

    start = time.monotonic()
    try:
        with Live(_face(kind, plan, plan.seconds), console=render.console(),
                  auto_refresh=False) as live:
            while (left := remaining(start, plan.seconds, time.monotonic())) > 0:
                live.update(_face(kind, plan, left), refresh=True)
                time.sleep(min(TICK, left))
            live.update(_face(kind, plan, 0), refresh=True)
    except KeyboardInterrupt:
        return plan.seconds - remaining(start, plan.seconds, time.monotonic()), False
    finally:
        if not render.console().is_terminal:
            render.console().line()  # Live ends its last frame with one only on a terminal
    return plan.seconds, True


# --- what is on the screen ----------------------------------------------------


def _show(kind: TimerKind, plan: Timing) -> None:
    from rich.panel import Panel

    body = [render.esc(plan.instructions)]
    body += [f"[bold]•[/bold] {render.esc(point)}" for point in plan.safety]
    body += [render.sources(plan.sources)]
    render.console().print(Panel("\n".join(body), title=f"[bold]{kind.value.capitalize()} · "
                                 f"{_clock(plan.seconds)}[/bold]", title_align="left"))


def _face(kind: TimerKind, plan: Timing, left: float) -> RenderableType:
    from rich.panel import Panel
    from rich.progress_bar import ProgressBar
    from rich.table import Table

    shown = _clock(math.ceil(left))
    face = Table.grid(expand=True)
    face.add_column(justify="center")
    face.add_row(_big(shown) if render.console().width >= 40 else shown, style="bold")
    face.add_row(ProgressBar(total=plan.seconds, completed=plan.seconds - left))
    face.add_row(f"{shown} left of {_clock(plan.seconds)} · Ctrl-C stops early")
    return Panel(face, title=kind.value.capitalize(), title_align="left")


def _clock(seconds: float) -> str:
    whole = round(seconds)
    return f"{whole // 60:02d}:{whole % 60:02d}"


def _score(pain: int | None) -> str:
    return "?" if pain is None else str(pain)


# Digits five rows high, so the time left can be read from across the room.
_GLYPHS = {
    "0": ("███", "█ █", "█ █", "█ █", "███"), "1": (" █ ", "██ ", " █ ", " █ ", "███"),
    "2": ("███", "  █", "███", "█  ", "███"), "3": ("███", "  █", "███", "  █", "███"),
    "4": ("█ █", "█ █", "███", "  █", "  █"), "5": ("███", "█  ", "███", "  █", "███"),
    "6": ("███", "█  ", "███", "█ █", "███"), "7": ("███", "  █", "  █", "  █", "  █"),
    "8": ("███", "█ █", "███", "█ █", "███"), "9": ("███", "█ █", "███", "  █", "███"),
    ":": (" ", "█", " ", "█", " "),
}


def _big(text: str) -> str:
    rows = ("  ".join(_GLYPHS[c][row].replace("█", "██").replace(" ", "  ") for c in text)
            for row in range(5))
    return "\n".join(rows)
