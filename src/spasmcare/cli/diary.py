"""The diary commands: episodes, pain, treatments, medicines, habits, history."""

from __future__ import annotations

from datetime import datetime, timedelta

import typer

from spasmcare.cli import io, render, render_diary
from spasmcare.cli.database import reader, store
from spasmcare.cli.triage import ask_questions
from spasmcare.core import triage as core_triage
from spasmcare.core.careplan import ice_limit_minutes
from spasmcare.core.clock import (
    parse_onset,
    said_date_time,
    said_minutes,
    said_span,
    said_time,
)
from spasmcare.core.diary_terms import (
    HabitKind,
    Mobility,
    Region,
    Side,
    TreatmentKind,
    Trigger,
)
from spasmcare.core.errors import BadInput
from spasmcare.core.knowledge import Impact
from spasmcare.core.loader import load_knowledge
from spasmcare.local_zone import local_zone

episode_app = typer.Typer(help="Start, end and look back at episodes.", no_args_is_help=True)

AT_HELP = "When: now (default), a time ago such as 30m, 3h or 2d, or an ISO 8601 date-time."


def _now() -> datetime:
    return datetime.now(local_zone())


def _when(text: str | None, now: datetime) -> datetime:
    return now if text is None else parse_onset(text, now, local_zone())


def _episode_id_at(moment: datetime) -> str | None:
    """The episode going on at ``moment`` (``DiaryStore.episode_at``)."""
    episode = store().episode_at(moment)
    return episode.id if episode else None


def _saved(what: str, moment: datetime, episode_id: str | None, now: datetime,
           record_id: str) -> None:
    """Say what was saved, when, and its id (to correct it); and, for a time
    outside the open episode, that it is in the diary but not in that episode."""
    render.say(f"Saved: {what} at {said_time(moment, now)} "
               f"(id {record_id[:8]}).")
    current = store().open_episode() if episode_id is None else None
    if current is not None and moment < current.onset:
        render.say(f"It is before the open episode began ({said_date_time(current.onset, now)}), "
                   "so it is kept in the diary but not in that episode.")


@episode_app.command("start")
def episode_start(
    onset: str = typer.Option(None, "--onset", help="When it began. " + AT_HELP),
    where: Region = typer.Option(None, "--where", case_sensitive=False, help="Part of the back."),
    side: Side = typer.Option(None, "--side", case_sensitive=False, help="Which side."),
    triggers: list[Trigger] = typer.Option([], "--trigger", case_sensitive=False,
                                           help="What came before it; repeat for several."),
    trigger_note: str = typer.Option(None, "--trigger-note", help="More about the trigger."),
    note: str = typer.Option(None, "--note", help="Anything else worth remembering."),
    answers: str = typer.Option(None, "--answers", metavar="FILE",
                                help="Triage answers as JSON instead of the questions."),
) -> None:
    """Start an episode: the warning-sign check first, then it is recorded."""
    from spasmcare.core.diary import Episode, make

    diary, kb, now = store(), load_knowledge(), _now()
    current = diary.open_episode()
    if current is not None:
        raise BadInput(f"episode {current.id[:8]} is still open; end it first with "
                       "'spasmcare episode end'")
    began = _when(onset, now)
    if answers is not None:
        given = core_triage.parse_answers(io.read_json(answers, "answers"), kb.triage)
        core_triage.require_red_flag_check(given, kb.triage)
    else:
        given = ask_questions(kb.triage)
    result = core_triage.assess(given, kb.triage)
    episode = make(Episode, now, onset=began, region=where, side=side, triggers=tuple(triggers),
        trigger_note=trigger_note, note=note, triage_urgency=result.urgency,
        triage_answers={**given.findings, **dict.fromkeys(given.unsure, True)},
    )
    render.assessment(result)
    diary.add(episode)
    render.say(f"Episode {episode.id[:8]} started {said_date_time(began, now)}. "
               "'spasmcare plan' shows what to do next.")


@episode_app.command("end")
def episode_end(
    ref: str = typer.Argument(None, metavar="[ID]", help="Which episode (default: the open one)."),
    at: str = typer.Option(None, "--at", help="When it ended. " + AT_HELP),
) -> None:
    """Mark an episode as over."""
    from spasmcare.core.diary import Episode, make

    diary, now = store(), _now()
    episode = diary.episode(ref) if ref else diary.open_episode()
    if episode is None:
        raise BadInput("no episode is open; 'spasmcare episode list' shows past ones")
    ended = make(Episode, now, **{**episode.model_dump(), "ended_at": _when(at, now)})
    diary.replace(ended, now)
    render.say(f"Episode {ended.id[:8]} ended after {_days(ended.duration(now))}.")


@episode_app.command("list")
def episode_list(as_json: bool = typer.Option(False, "--json", help="Print as JSON.")) -> None:
    """Every episode, newest first."""
    episodes = list(reversed(reader().episodes()))
    if as_json:
        io.print_json([e.model_dump(mode="json") for e in episodes])
    else:
        render_diary.episodes(episodes, _now())


@episode_app.command("show")
def episode_show(
    ref: str = typer.Argument(None, metavar="[ID]", help="Which episode (default: the latest)."),
    as_json: bool = typer.Option(False, "--json", help="Print as JSON."),
) -> None:
    """One episode with its pain entries, sessions and medicines."""
    from spasmcare.core.diary import Episode

    diary = reader()
    episodes = diary.episodes()
    if not episodes:
        raise BadInput("there are no episodes yet; start one with 'spasmcare episode start'")
    episode = diary.episode(ref) if ref else episodes[-1]
    everything = diary.diary()
    mine = {
        "episode": episode,
        "pain_entries": [p for p in everything.pain_entries if p.episode_id == episode.id],
        "sessions": [s for s in everything.sessions if s.episode_id == episode.id],
        "medicines": [m for m in everything.medicines if m.episode_id == episode.id],
    }
    if as_json:
        io.print_json({k: (v.model_dump(mode="json") if isinstance(v, Episode)
                           else [r.model_dump(mode="json") for r in v]) for k, v in mine.items()})
    else:
        render_diary.episode_detail(mine, _now())


def log_command(
    pain: int = typer.Argument(..., help="Pain now, from 0 (none) to 10 (worst imaginable)."),
    impact: str = typer.Option(None, "--impact",
                               help="Effect on daily activities: none, some or unable "
                                    "(left out: not answered)."),
    stiffness: int = typer.Option(None, "--stiffness", help="Stiffness from 0 to 10."),
    mobility: Mobility = typer.Option(None, "--mobility", case_sensitive=False,
                                      help="How freely you can move."),
    note: str = typer.Option(None, "--note", help="A note."),
    at: str = typer.Option(None, "--at", help=AT_HELP),
) -> None:
    """Record how your back is now (added to the open episode, if any)."""
    from spasmcare.core.diary import PainEntry, make

    now = _now()
    if impact not in (None, "none", "some", "unable"):
        raise BadInput(f"--impact must be none, some or unable (got {impact!r})")
    level: Impact | None = impact  # type: ignore[assignment]
    if not 0 <= pain <= 10:
        raise BadInput(f"pain must be a whole number from 0 to 10 (got {pain})")
    severity = load_knowledge().severity.classify(pain, level)
    when = _when(at, now)
    entry = make(PainEntry, now, at=when, pain=pain, impact=level, severity=severity,
                 stiffness=stiffness, mobility=mobility, note=note,
                 episode_id=_episode_id_at(when))
    store().add(entry)
    _saved(f"pain {pain}/10 ({severity})", entry.at, entry.episode_id, now, entry.id)


MOVES = {"1": Mobility.FULL, "2": Mobility.LIMITED, "3": Mobility.VERY_LIMITED}


def checkin_command(
    pain: int = typer.Option(None, "--pain", help="Pain now, from 0 to 10."),
    moves: Mobility = typer.Option(None, "--moves", case_sensitive=False,
                                   help="How your back moves: full (freely), limited "
                                        "(stiffly) or very-limited (hardly)."),
    worse: bool = typer.Option(None, "--worse/--not-worse",
                               help="Was your back worse this morning after yesterday's "
                                    "activity?"),
) -> None:
    """The daily check-in: three questions that decide whether your plan holds,
    steps up or steps back. Asked one by one when no options are given."""
    from spasmcare.core.diary import PainEntry, make

    diary, now = store(), _now()
    episode = diary.open_episode()
    if episode is None:
        raise BadInput("no episode is open: the check-in follows an episode's plan; "
                       "start one with 'spasmcare start'")
    if pain is None:
        pain = _ask_int("Pain right now, 0 (none) to 10 (worst)?")
        if moves is None:
            reply = _ask_choice("How does your back move? 1 freely, 2 stiffly, 3 hardly at all",
                                set(MOVES))
            moves = MOVES[reply]
        if worse is None:
            answer = _ask_choice("Was it worse this morning after yesterday's activity? "
                                 "(y, n, or s to skip)", {"y", "n", "s"})
            worse = {"y": True, "n": False}.get(answer)
    if moves is None:
        raise BadInput("give --moves (full, limited or very-limited) with --pain, or neither "
                       "to be asked")
    if not 0 <= pain <= 10:
        raise BadInput(f"pain must be a whole number from 0 to 10 (got {pain})")
    kb = load_knowledge()
    entry = make(PainEntry, now, at=now, pain=pain, severity=kb.severity.classify(pain, None),
                 mobility=moves, worse_next_morning=worse,
                 episode_id=episode.id)
    diary.add(entry)
    render.say(f"Checked in: pain {pain}/10 at {said_time(now, now)}.")
    plan = diary.plan(episode, now, kb.careplan)
    said = next((g for g in plan.guidance if g.lead), None)
    if said is not None:
        render.say(said.text)
    render.say("'spasmcare plan' shows the sessions that follow.")


def _ask_int(question: str) -> int:
    while True:
        reply = render.ask(question).strip()
        if reply.isdigit() and 0 <= int(reply) <= 10:
            return int(reply)
        render.say("Please type a whole number from 0 to 10.")


def _ask_choice(question: str, allowed: set[str]) -> str:
    while True:
        reply = render.ask(question).strip().lower()[:1]
        if reply in allowed:
            return reply
        render.say("Please type one of: " + ", ".join(sorted(allowed)) + ".")


def treat_command(
    kind: TreatmentKind = typer.Argument(..., case_sensitive=False, help="What you did."),
    minutes: float = typer.Option(..., "--minutes", help="How long it lasted."),
    before: int = typer.Option(None, "--before", help="Pain before, 0-10."),
    after: int = typer.Option(None, "--after", help="Pain after, 0-10."),
    incomplete: bool = typer.Option(False, "--incomplete", help="Stopped before the end."),
    note: str = typer.Option(None, "--note", help="A note."),
    at: str = typer.Option(None, "--at", help="When it started. " + AT_HELP),
) -> None:
    """Record a treatment session (ice, heat, walk, stretch...) and how it helped."""
    from spasmcare.core.diary import TreatmentSession, make

    now = _now()
    when = _when(at, now)
    session = make(TreatmentSession, now, started_at=when, kind=kind, minutes=minutes,
                   pain_before=before, pain_after=after, completed=not incomplete, note=note,
                   episode_id=_episode_id_at(when))
    store().add(session)
    relief = "" if session.relief is None else f", pain {before} → {after}"
    _saved(f"{kind.value} for {said_minutes(minutes)}{relief}", session.started_at,
           session.episode_id, now, session.id)
    limit = ice_limit_minutes(load_knowledge().careplan)
    if session.kind is TreatmentKind.ICE and session.minutes > limit:
        render.say(f"Take care: keep ice to {limit} minutes at a time; longer can cause "
                   "frostbite or nerve damage.")


def medicine_command(
    name: str = typer.Argument(..., help="The medicine's name as on the pack."),
    note: str = typer.Option(None, "--note", help="A note, such as how it helped."),
    at: str = typer.Option(None, "--at", help=AT_HELP),
) -> None:
    """Record a medicine you took. SpasmCare never suggests doses: follow the label
    or ask your pharmacist."""
    from spasmcare.core.diary import MedicineTaken, make

    now = _now()
    when = _when(at, now)
    record = make(MedicineTaken, now, at=when, name=name, note=note,
                  episode_id=_episode_id_at(when))
    store().add(record)
    _saved(record.name, record.at, record.episode_id, now, record.id)
    from spasmcare.core.medicines import same_ingredient

    names = load_knowledge().medicine_names
    window = timedelta(hours=names.within_hours)
    close = store().records(MedicineTaken, since=when - window, until=when + window)
    for note in same_ingredient(record, close, names):
        render.say(note)


def habit_command(
    kind: HabitKind = typer.Argument(..., case_sensitive=False,
                                     help="water (glasses), walk (minutes), plank (seconds) "
                                          "or breaks (count)."),
    amount: float = typer.Argument(..., help="How much."),
    at: str = typer.Option(None, "--at", help=AT_HELP),
) -> None:
    """Record a prevention habit: water, walking, planks, breaks from sitting."""
    from spasmcare.core.diary import HabitLog, make

    now = _now()
    habit = make(HabitLog, now, at=_when(at, now), kind=kind, amount=amount)
    store().add(habit)
    render.say(f"Saved: {kind.value} {amount:g} at {said_time(habit.at, now)} "
               f"(id {habit.id[:8]}).")


MAX_HISTORY_DAYS = 400 * 365  # all of any diary (from 1900); far more overflows the date


def history_command(
    days: int = typer.Option(14, "--days", help="How many days back to show."),
    as_json: bool = typer.Option(False, "--json", help="Print as JSON."),
) -> None:
    """Your recent diary: episodes, pain, sessions, medicines and habits."""
    if not 1 <= days <= MAX_HISTORY_DAYS:
        raise BadInput(f"--days must be between 1 and {MAX_HISTORY_DAYS:,} (got {days})")
    now = _now()
    recent = reader().diary(since=now - timedelta(days=days))
    if as_json:
        io.print_json(recent.model_dump(mode="json"))
    else:
        render_diary.history(recent, days)


def _days(span: timedelta) -> str:
    return said_span(span)
