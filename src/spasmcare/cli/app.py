"""The ``spasmcare`` command: a thin Typer shell around the core.

Every command turns bad input into one line on standard error and exit code 2
(CONTRACTS.md); nothing here decides anything about backs.
"""

from __future__ import annotations

import os
import re
import sys
from importlib import import_module

import typer

from spasmcare.core.errors import BadInput, said_of
from spasmcare.core.loader import KnowledgeError

# SpasmCare uses no pydantic plugins, and looking for them reads the metadata of
# every installed package: about a twentieth of a command's start. Setting the
# variable yourself (empty, to look for them) still wins.
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")

HELP = "Back-spasm self-care: triage, an hour-by-hour care plan and a sourced knowledge base."

# Each command, by the module under spasmcare.cli that holds it. A command's
# module is imported only when that command runs (or for --help), so
# `spasmcare triage` does not pay for the database, the search index or the PDF
# library.
COMMANDS: dict[str, tuple[str, str]] = {
    "triage": ("triage", "triage_command"),
    "start": ("triage", "start_command"),
    "plan": ("plan", "plan_command"),
    "kb": ("kb", "kb_command"),
    "ask": ("ask", "ask_command"),
    "episode": ("diary", "episode_app"),
    "log": ("diary", "log_command"),
    "checkin": ("diary", "checkin_command"),
    "treat": ("diary", "treat_command"),
    "medicine": ("diary", "medicine_command"),
    "habit": ("diary", "habit_command"),
    "history": ("diary", "history_command"),
    "edit": ("corrections", "edit_command"),
    "delete": ("corrections", "delete_command"),
    "undo": ("corrections", "undo_command"),
    "changes": ("corrections", "changes_command"),
    "timer": ("timer", "timer_command"),
    "insights": ("insights", "insights_command"),
    "export": ("transfer", "export_command"),
    "import": ("transfer", "import_command"),
    "backup": ("transfer", "backup_command"),
    "restore": ("transfer", "restore_command"),
    "settings": ("settings", "settings_command"),
    "serve": ("serve", "serve_command"),
}


def build(names: list[str]) -> typer.Typer:
    """The Typer app holding the commands ``names``, in COMMANDS order."""
    app = typer.Typer(name="spasmcare", help=HELP, add_completion=False,
                      pretty_exceptions_enable=False, rich_markup_mode=None)

    @app.callback()
    def _root() -> None:
        # A callback keeps `spasmcare NAME` a sub-command even when only one
        # command is registered.
        pass

    for name in (n for n in COMMANDS if n in names):
        module, attribute = COMMANDS[name]
        target = getattr(import_module(f"spasmcare.cli.{module}"), attribute)
        if isinstance(target, typer.Typer):
            app.add_typer(target, name=name)
        else:
            app.command(name)(target)
    return app


def main(argv: list[str] | None = None) -> None:
    """Run the CLI; map errors a person can act on to one line and exit 2."""
    args = sys.argv[1:] if argv is None else argv
    _tell_about_the_time_zone()
    try:
        wanted = [args[0]] if args and args[0] in COMMANDS else list(COMMANDS)
        try:
            code = build(wanted)(args=args or ["--help"], standalone_mode=False)
        except typer.TyperException as err:
            negative = _negative_number(err)
            if negative is None:
                raise
            # 'spasmcare log -1' is a pain score of -1, not an option called -1:
            # run it again with the number after '--', where the command's own
            # check says what is allowed.
            rest = [a for a in args if a != negative]
            code = build(wanted)(args=[*rest, "--", negative], standalone_mode=False)
    except BadInput as err:
        _fail(str(err), 2)
    except (typer.Abort, EOFError, KeyboardInterrupt):
        _fail("stopped before the end; nothing was saved.", 130)
    except typer.TyperException as err:  # usage errors: unknown option, missing value...
        _fail(_usage_message(err), err.exit_code)
    except KnowledgeError as err:
        _fail(f"the knowledge base is damaged: {err}", 1)
    if isinstance(code, int) and code:
        raise SystemExit(code)


def _negative_number(err: Exception) -> str | None:
    """The negative number that the parser took for an unknown option."""
    name = getattr(err, "option_name", None)
    if type(err).__name__ == "NoSuchOption" and name and re.fullmatch(r"-\d+(\.\d+)?", name):
        return str(name)
    return None


def _usage_message(err: typer.TyperException) -> str:
    """A usage error in SpasmCare's words: a value of the wrong type names
    its argument or option and what it must be ("--minutes must be a number
    (got 'abc')"), not the validation library's sentence."""
    cause, param = err.__cause__, getattr(err, "param", None)
    errors = getattr(cause, "errors", None)
    if param is not None and callable(errors):
        first = errors()[0]
        opts = getattr(param, "opts", None)
        name = opts[0] if opts and getattr(param, "param_type_name", "") == "option" \
            else str(param.name)
        return said_of(name, first)
    return err.format_message() if hasattr(err, "format_message") else str(err.message)


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
