"""Correcting the diary: ``spasmcare edit``, ``delete``, ``undo`` and
``changes`` (the audit trail). Records are named by the id ``spasmcare
history`` shows beside them; every change is kept and can be undone."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import typer

from spasmcare.cli import io, render
from spasmcare.cli.database import reader, store
from spasmcare.core.clock import parse_onset, said_date_time
from spasmcare.core.corrections import EDITABLE, NAMES, SAID, WHEN, corrected, said_change
from spasmcare.core.diary import Record
from spasmcare.core.diary_terms import Mobility, Region, Side, Trigger
from spasmcare.core.errors import BadInput
from spasmcare.core.loader import load_knowledge
from spasmcare.local_zone import local_zone

ID_HELP = "The record's id, as 'spasmcare history' shows it (its first 8 characters will do)."
WHEN_HELP = "A time ago such as 30m, 3h or 2d, or an ISO 8601 date-time."
# Fields that --clear may empty: the optional ones.
CLEARABLE = ("note", "trigger_note", "impact", "stiffness", "mobility", "worse_next_morning",
             "pain_before", "pain_after", "region", "side", "triggers", "ended_at")


def edit_command(
    ref: str = typer.Argument(..., metavar="ID", help=ID_HELP),
    at: str = typer.Option(None, "--at", help="When it happened (an episode: when it began). "
                                              + WHEN_HELP),
    ended: str = typer.Option(None, "--ended", help="An episode: when it ended. " + WHEN_HELP),
    pain: int = typer.Option(None, "--pain", help="A pain entry: pain from 0 to 10."),
    impact: str = typer.Option(None, "--impact", help="A pain entry: none, some or unable."),
    stiffness: int = typer.Option(None, "--stiffness", help="A pain entry: stiffness 0-10."),
    mobility: Mobility = typer.Option(None, "--mobility", case_sensitive=False,
                                      help="A pain entry: how freely you can move."),
    worse: bool = typer.Option(None, "--worse/--not-worse",
                               help="A pain entry: worse this morning after yesterday?"),
    kind: str = typer.Option(None, "--kind", help="A session or habit: what it was."),
    minutes: float = typer.Option(None, "--minutes", help="A session: how long it lasted."),
    before: int = typer.Option(None, "--before", help="A session: pain before, 0-10."),
    after: int = typer.Option(None, "--after", help="A session: pain after, 0-10."),
    completed: bool = typer.Option(None, "--completed/--incomplete",
                                   help="A session: done to the end, or stopped early."),
    name: str = typer.Option(None, "--name", help="A medicine: its name as on the pack."),
    amount: float = typer.Option(None, "--amount", help="A habit: how much."),
    where: Region = typer.Option(None, "--where", case_sensitive=False,
                                 help="An episode: part of the back."),
    side: Side = typer.Option(None, "--side", case_sensitive=False, help="An episode: side."),
    triggers: list[Trigger] = typer.Option([], "--trigger", case_sensitive=False,
                                           help="An episode: what set it off (replaces the "
                                                "list); repeat for several."),
    trigger_note: str = typer.Option(None, "--trigger-note", help="An episode: more about "
                                                                  "what set it off."),
    note: str = typer.Option(None, "--note", help="The note."),
    clear: list[str] = typer.Option([], "--clear", metavar="FIELD",
                                    help="Empty an optional field (note, impact, stiffness, "
                                         "ended, triggers...); repeat for several."),
) -> None:
    """Correct a record: change only what you give. The change is kept in the
    audit trail ('spasmcare changes') and 'spasmcare undo' takes it back."""
    diary, now = store(), datetime.now(local_zone())
    record = diary.locate(ref)
    model = type(record)
    given: dict[str, Any] = {
        WHEN[model]: _time(at, now), "ended_at": _time(ended, now),
        "pain": _score(pain, "--pain"), "impact": impact,
        "stiffness": _score(stiffness, "--stiffness"), "mobility": mobility,
        "worse_next_morning": worse, "kind": kind, "minutes": minutes,
        "pain_before": _score(before, "--before"), "pain_after": _score(after, "--after"),
        "completed": completed, "name": name, "amount": amount, "region": where, "side": side,
        "triggers": tuple(triggers) or None, "trigger_note": trigger_note, "note": note,
    }
    changes = {field: value for field, value in given.items() if value is not None}
    for field in clear:
        cleared = _clearable(field, model)
        changes[cleared] = () if cleared == "triggers" else None
    if not changes:
        raise BadInput("say what to change, such as --pain 4 or --note \"...\"; "
                       "'spasmcare edit --help' lists them")
    unknown = [f for f in changes if f not in EDITABLE[model]]
    if unknown:
        flag = _flag(unknown[0])
        raise BadInput(f"{record.id[:8]} is a {SAID[model]}, which has no {flag}; "
                       f"it can change: {', '.join(_flag(f) for f in EDITABLE[model])}")
    change = diary.correct(corrected(record, changes, now, load_knowledge().severity), now)
    if change is None:
        render.say("Nothing changed: the record already says that.")
        return
    render.say(said_change(change, now))
    render.say("'spasmcare undo' takes it back.")


def delete_command(
    ref: str = typer.Argument(..., metavar="ID", help=ID_HELP),
    yes: bool = typer.Option(False, "--yes", "-y", help="Do not ask to confirm."),
) -> None:
    """Delete a record. It is kept in the audit trail, and 'spasmcare undo'
    puts it back. A deleted episode's records stay in the diary."""
    diary, now = store(), datetime.now(local_zone())
    record = diary.locate(ref)
    if not yes:
        from spasmcare.core.corrections import said_record

        reply = render.ask(f"Delete {said_record(record, now)}? (y/n)").strip().lower()
        if not reply.startswith("y"):
            render.say("Nothing deleted.")
            return
    change = diary.delete(type(record), record.id, now)
    render.say(said_change(change, now))
    render.say("'spasmcare undo' puts it back.")


def undo_command(
    ref: str = typer.Argument(None, metavar="[CHANGE]",
                              help="Which change, by its id in 'spasmcare changes' "
                                   "(default: the latest not yet undone)."),
) -> None:
    """Undo an edit or a deletion: the record is put back as it was."""
    diary, now = store(), datetime.now(local_zone())
    change_id = _change_id(ref) if ref else None
    render.say(said_change(diary.undo(now, change_id), now))


def changes_command(
    limit: int = typer.Option(20, "--limit", help="How many of the latest changes."),
    as_json: bool = typer.Option(False, "--json", help="Print as JSON."),
) -> None:
    """The audit trail: every edit and deletion, newest first."""
    if not 1 <= limit <= 10_000:
        raise BadInput(f"--limit must be from 1 to 10,000 (got {limit})")
    now = datetime.now(local_zone())
    found = reader().changes(limit)
    if as_json:
        io.print_json([{
            "id": c.id, "made_at": c.made_at.isoformat(), "action": c.action,
            "kind": NAMES[c.model], "record_id": c.record_id, "undoes": c.undoes,
            "before": c.before.model_dump(mode="json") if c.before else None,
            "after": c.after.model_dump(mode="json") if c.after else None,
            "detached": {k: list(v) for k, v in c.detached.items()},
        } for c in found])
        return
    if not found:
        render.say("No record has been edited or deleted.")
        return
    from rich.table import Table

    table = Table("change", "when", "what", title="Changes to the diary", title_justify="left")
    for c in found:
        table.add_row(c.id[:8], said_date_time(c.made_at, now), render.esc(said_change(c, now)))
    render.console().print(table)
    render.say("'spasmcare undo CHANGE' undoes one of them.")


def _time(text: str | None, now: datetime) -> datetime | None:
    return None if text is None else parse_onset(text, now, local_zone())


def _score(value: int | None, flag: str) -> int | None:
    if value is not None and not 0 <= value <= 10:
        raise BadInput(f"{flag} must be a whole number from 0 to 10 (got {value})")
    return value


# The option that sets a field, where it is not the field's own name.
WORDS = {"ended_at": "ended", "onset": "at", "started_at": "at", "worse_next_morning": "worse",
         "pain_before": "before", "pain_after": "after", "region": "where",
         "triggers": "trigger"}


def _word(field: str) -> str:
    return WORDS.get(field, field.replace("_", "-"))


def _flag(field: str) -> str:
    return "--" + _word(field)


def _clearable(text: str, model: type[Record]) -> str:
    wanted = text.strip().lower().removeprefix("--")
    can = [f for f in CLEARABLE if f in EDITABLE[model]]
    field = next((f for f in can if wanted in (f, _word(f), f + "s")), None)
    if field is None:
        raise BadInput(f"--clear {text}: a {SAID[model]} can clear "
                       f"{', '.join(_word(f) for f in can)}")
    return field


def _change_id(ref: str) -> str:
    ref = ref.strip().lower()
    matches = [c.id for c in store().changes(10_000) if c.id.startswith(ref)]
    if len(ref) < 4 or not matches:
        raise BadInput(f"no change has the id {ref!r}; 'spasmcare changes' lists them")
    if len(matches) > 1:
        raise BadInput(f"{len(matches)} changes start with {ref!r}; give more of the id")
    return matches[0]
