"""``spasmcare plan``, ``spasmcare kb`` and ``spasmcare start`` as real processes."""

from __future__ import annotations

import json
import re

import pytest

from tests.contract import FINDING_TIERS, TOPICS


def test_plan_contract(cli) -> None:
    r = cli("plan", "--onset", "2026-11-20T08:00:00+00:00", "--now", "2026-11-21T10:00:00+00:00",
            "--json")
    assert r.code == 0, r.err
    out = json.loads(r.out)
    assert list(out) == ["phase", "hours_since_onset", "sessions", "guidance", "evidence_notes"]
    assert out["phase"] == "acute" and out["hours_since_onset"] == 26.0
    first = out["sessions"][0]
    assert first["start"] == "2026-11-21T10:00:00+00:00"
    assert first["kind"] == "ice" and first["minutes"] == 20 and first["sources"]


def test_plan_options(cli) -> None:
    r = cli("plan", "--onset", "2026-11-10T08:00", "--now", "2026-11-21T10:00", "--wake", "08:30",
            "--sleep", "21:00", "--days", "2", "--json")
    out = json.loads(r.out)
    assert out["phase"] == "recovery"
    assert {s["start"][:10] for s in out["sessions"]} == {"2026-11-21", "2026-11-22"}
    assert min(s["start"][11:16] for s in out["sessions"] if s["start"].startswith("2026-11-22")) \
        == "08:30"


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["--onset", "2026-11-22T08:00", "--now", "2026-11-21T08:00"], "after now"),
        (["--onset", "2026-02-30T08:00", "--now", "2026-11-21T08:00"], "--onset"),
        (["--onset", "soon", "--now", "2026-11-21T08:00"], "ISO 8601"),
        (["--onset", "2026-11-21T08:00", "--wake", "7am"], "--wake"),
        (["--onset", "2026-11-21T08:00", "--days", "0"], "days"),
        (["--onset", "2026-11-21T08:00", "--days", "lots"], "days"),
        (["--now", "2026-11-21T08:00"], "--onset"),
    ],
)
def test_bad_plan_input(cli, args: list[str], fragment: str) -> None:
    r = cli("plan", *args, "--json")
    assert r.code == 2, r.err
    assert fragment in r.err and len(r.err.strip().splitlines()) == 1
    assert "Traceback" not in r.err and r.out == ""


def test_plan_readable(cli) -> None:
    r = cli("plan", "--onset", "2026-11-21T08:00:00+00:00", "--now", "2026-11-21T10:00:00+00:00")
    assert r.code == 0
    assert "Ice" in r.out and "Sources:" in r.out and "acute" in r.out


@pytest.mark.parametrize("args", [
    ["plan", "--onset", "2026-11-21T08:00:00+00:00", "--now", "2026-11-21T10:00:00+00:00"],
    ["kb", "--topic", "heat"], ["ask", "can I use heat on a spasm"],
    ["triage", "--answers", "-"],
])
def test_sources_are_named_by_title_not_file_name(cli, args: list[str]) -> None:
    r = cli(*args, stdin=json.dumps({"findings": {"saddle_numbness": True}}))
    assert "Sources:" in r.out, r.out
    assert not re.search(r"\d{3}_[0-9a-f]{16}\.txt", r.out), r.out


def test_kb_contract(cli) -> None:
    r = cli("kb", "--json")
    entries = json.loads(r.out)
    assert r.code == 0
    assert all(list(e) == ["id", "topic", "title", "text", "sources"] for e in entries)
    assert {e["topic"] for e in entries} - {None} == set(TOPICS)
    assert None in {e["topic"] for e in entries}


def test_kb_by_topic_shows_disagreements(cli) -> None:
    r = cli("kb", "--topic", "tens")
    assert r.code == 0
    assert "disagree" in r.out and "(NG59)" in r.out and "nice-ng59" not in r.out


def test_kb_unknown_topic(cli) -> None:
    r = cli("kb", "--topic", "levitation", "--json")
    assert r.code == 2 and "levitation" in r.err


def test_unknown_command_and_option(cli) -> None:
    assert cli("fly").code == 2
    r = cli("kb", "--colour")
    assert r.code == 2 and "Traceback" not in r.err


@pytest.mark.parametrize("command", ["triage", "plan", "kb", "start"])
def test_every_command_has_help(cli, command: str) -> None:
    r = cli(command, "--help")
    assert r.code == 0 and len(r.out) > 100


def test_no_arguments_shows_help(cli) -> None:
    r = cli()
    assert r.code == 0 and "triage" in r.out


def test_start_walks_from_triage_to_plan(cli) -> None:
    r = cli("start", stdin="n\n" * 33 + "\nsoon-ish\n3h\n")  # the age is skipped
    assert r.code == 0, r.err
    assert "How old are you?" in r.out
    assert "SELF-CARE" in r.out and "Your plan" in r.out and "acute" in r.out
    assert "ISO 8601" in r.out  # the bad onset was explained, then asked again


def test_start_asks_where_it_hurts_and_what_set_it_off(cli) -> None:
    # 33 signs, age skipped, onset; then where (a word it does not know first) and triggers.
    r = cli("start", stdin="n\n" * 33 + "\n1h\nlower knee\nlower left\n1, stress, 9\n1,stress\n")
    assert r.code == 0, r.err
    assert "Where does it hurt?" in r.out and "What set it off?" in r.out
    assert "such as 'lower left'" in r.out and "'9' is not on the list" in r.out
    [episode] = json.loads(cli("episode", "list", "--json").out)
    assert (episode["region"], episode["side"], episode["triggers"]) == (
        "lower", "left", ["lifting", "stress"])
    assert re.search(rf"spasmcare\s+edit\s+{episode['id'][:8]}", r.out)  # to add them later


def test_start_lets_where_and_what_be_skipped(cli) -> None:
    r = cli("start", stdin="n\n" * 33 + "\n1h\n\n")  # the input ends before the triggers
    assert r.code == 0, r.err
    [episode] = json.loads(cli("episode", "list", "--json").out)
    assert (episode["region"], episode["side"], episode["triggers"]) == (None, None, [])


def test_start_stops_at_an_emergency(cli) -> None:
    r = cli("start", stdin="y\n")
    assert "EMERGENCY" in r.out and "Your plan" not in r.out


def test_plan_without_onset_uses_the_open_episode_and_my_waking_hours(cli) -> None:
    assert cli("plan", "--json").code == 2  # no episode yet
    answers = json.dumps({"findings": dict.fromkeys(FINDING_TIERS, False)})
    assert cli("episode", "start", "--answers", "-", "--onset", "2h", stdin=answers).code == 0
    assert cli("settings", "--wake", "09:00", "--sleep", "21:00").code == 0
    out = json.loads(cli("plan", "--days", "2", "--json").out)
    assert out["phase"] == "acute" and 1.9 < out["hours_since_onset"] < 2.2
    tomorrow = sorted(s["start"] for s in out["sessions"])[-1]
    assert tomorrow[11:16] < "21:00"


def test_start_records_the_episode(cli) -> None:
    cli("start", stdin="n\n" * 33 + "40\n1h\n")
    episodes = json.loads(cli("episode", "list", "--json").out)
    assert len(episodes) == 1 and episodes[0]["triage_urgency"] == "self-care"
    again = cli("start", stdin="n\n" * 33)
    assert "Continuing your episode" in again.out


def test_every_command_of_the_cli_modules_is_registered(cli) -> None:
    """The CLI imports a command's module only when it runs, from the COMMANDS
    table: a command defined but not listed would be silently missing."""
    import importlib
    import pkgutil

    import typer

    import spasmcare.cli
    from spasmcare.cli.app import COMMANDS

    listed = set(COMMANDS.values())
    for info in pkgutil.iter_modules(spasmcare.cli.__path__):
        module = importlib.import_module(f"spasmcare.cli.{info.name}")
        if info.name == "app":
            continue
        for name, value in vars(module).items():
            own = getattr(value, "__module__", None) == module.__name__  # not imported
            if (own and name.endswith("_command")) or isinstance(value, typer.Typer):
                assert (info.name, name) in listed, f"{info.name}.{name} is not in COMMANDS"
    shown = cli("--help").out
    assert all(f"  {name} " in shown for name in COMMANDS), shown
