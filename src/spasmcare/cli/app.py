"""The ``spasmcare`` command: a thin Typer shell around the core.

Every command turns bad input into one line on standard error and exit code 2
(CONTRACTS.md); nothing here decides anything about backs.
"""

from __future__ import annotations

import os
import sys

import typer

from spasmcare.cli import (
    ask,
    diary,
    insights,
    kb,
    plan,
    serve,
    settings,
    timer,
    transfer,
    triage,
)
from spasmcare.core.errors import BadInput
from spasmcare.core.loader import KnowledgeError

app = typer.Typer(
    name="spasmcare",
    help="Back-spasm self-care: triage, an hour-by-hour care plan and a sourced knowledge base.",
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
app.command("triage")(triage.triage_command)
app.command("start")(triage.start_command)
app.command("plan")(plan.plan_command)
app.command("kb")(kb.kb_command)
app.command("ask")(ask.ask_command)
app.add_typer(diary.episode_app, name="episode")
app.command("log")(diary.log_command)
app.command("checkin")(diary.checkin_command)
app.command("treat")(diary.treat_command)
app.command("medicine")(diary.medicine_command)
app.command("habit")(diary.habit_command)
app.command("history")(diary.history_command)
app.command("timer")(timer.timer_command)
app.command("insights")(insights.insights_command)
app.command("export")(transfer.export_command)
app.command("import")(transfer.import_command)
app.command("backup")(transfer.backup_command)
app.command("restore")(transfer.restore_command)
app.command("settings")(settings.settings_command)
app.command("serve")(serve.serve_command)


def main(argv: list[str] | None = None) -> None:
    """Run the CLI; map errors a person can act on to one line and exit 2."""
    args = sys.argv[1:] if argv is None else argv
    _tell_about_the_time_zone()
    try:
        code = app(args=args or ["--help"], standalone_mode=False)
    except BadInput as err:
        _fail(str(err), 2)
    except (typer.Abort, EOFError, KeyboardInterrupt):
        _fail("stopped before the end; nothing was saved.", 130)
    except typer.TyperException as err:  # usage errors: unknown option, missing value...
        message = err.format_message() if hasattr(err, "format_message") else err.message
        _fail(message, err.exit_code)
    except KnowledgeError as err:
        _fail(f"the knowledge base is damaged: {err}", 1)
    if isinstance(code, int) and code:
        raise SystemExit(code)


def _tell_about_the_time_zone() -> None:
    """A TZ that names no known zone would make every time UTC without a word."""
    if os.environ.get("TZ"):
        from spasmcare.local_zone import unknown_zone

        note = unknown_zone()
        if note:
            print(f"spasmcare: note: {note}", file=sys.stderr)


def _fail(message: str, code: int) -> None:
    print(f"spasmcare: error: {' '.join(message.split())}", file=sys.stderr)
    raise SystemExit(code)
