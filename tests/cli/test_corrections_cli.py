"""Correcting the diary from the terminal: edit, delete, undo and the audit
trail, as real processes on a real SQLite file."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.test_diary_cli import count, start


def _ids(cli) -> dict[str, list[str]]:
    out = json.loads(cli("history", "--days", "100000", "--json").out)
    return {kind: [r["id"] for r in records] for kind, records in out.items()}


def test_every_kind_is_edited_deleted_and_undone(cli, db: Path, tmp_path: Path) -> None:
    assert start(cli, tmp_path, "--onset", "3h").code == 0
    assert cli("log", "6", "--note", "sharp").code == 0
    assert cli("treat", "heat", "--minutes", "20").code == 0
    assert cli("medicine", "Ibuprofen").code == 0
    assert cli("habit", "water", "2").code == 0
    ids = _ids(cli)
    edits = {
        "pain_entries": ("--pain", "4", "--clear", "note"),
        "sessions": ("--minutes", "25", "--before", "6", "--after", "3"),
        "medicines": ("--name", "Nurofen"),
        "habits": ("--amount", "3"),
        "episodes": ("--where", "lower", "--trigger", "lifting"),
    }
    for kind, options in edits.items():
        r = cli("edit", ids[kind][0][:8], *options)
        assert r.code == 0, r.err
        assert r.out.startswith("Edited ")
    after = json.loads(cli("history", "--json").out)
    assert after["pain_entries"][0]["pain"] == 4 and after["pain_entries"][0]["note"] is None
    assert after["pain_entries"][0]["severity"] == "moderate"
    assert after["sessions"][0]["pain_after"] == 3
    assert after["medicines"][0]["name"] == "Nurofen"
    assert after["habits"][0]["amount"] == 3
    assert after["episodes"][0]["triggers"] == ["lifting"]

    total = count(cli)
    for kind in edits:
        r = cli("delete", ids[kind][0][:8], "--yes")
        assert r.code == 0, r.err
        assert r.out.startswith("Deleted ")
    assert count(cli) == total - 5
    trail = json.loads(cli("changes", "--json").out)
    assert [c["action"] for c in trail] == ["deleted"] * 5 + ["edited"] * 5
    for _ in range(10):
        assert cli("undo").code == 0
    assert count(cli) == total
    before = json.loads(cli("history", "--json").out)
    assert before["pain_entries"][0]["pain"] == 6 and before["pain_entries"][0]["note"] == "sharp"
    assert before["medicines"][0]["name"] == "Ibuprofen"
    nothing = cli("undo")
    assert nothing.code == 2 and "nothing to undo" in nothing.err


def test_delete_asks_first_and_no_keeps_it(cli, db: Path) -> None:
    assert cli("log", "5").code == 0
    pain = _ids(cli)["pain_entries"][0]
    r = cli("delete", pain[:8], stdin="n\n")
    assert r.code == 0 and "Nothing deleted" in r.out
    assert count(cli) == 1
    r = cli("delete", pain[:8], stdin="y\n")
    assert r.code == 0 and count(cli) == 0


def test_bad_corrections_are_one_line_and_change_nothing(cli, db: Path) -> None:
    assert cli("log", "5").code == 0
    pain = _ids(cli)["pain_entries"][0][:8]
    for args, said in [
        (("edit", pain, "--pain", "12"), "--pain must be a whole number from 0 to 10"),
        (("edit", pain, "--minutes", "3"), "a pain entry, which has no --minutes"),
        (("edit", pain), "say what to change"),
        (("edit", pain, "--at", "2099-01-01T10:00"), "in the future"),
        (("edit", pain, "--clear", "minutes"), "a pain entry can clear"),
        (("edit", "zz", "--pain", "3"), "is not a record's id"),
        (("edit", "abcdef12", "--pain", "3"), "no record has the id"),
        (("delete", "abcdef12", "-y"), "no record has the id"),
        (("undo", "abcdef12"), "no change has the id"),
    ]:
        r = cli(*args)
        assert r.code == 2, (args, r.out, r.err)
        assert said in r.err and len(r.err.strip().splitlines()) == 1, r.err
    assert json.loads(cli("changes", "--json").out) == []
    assert json.loads(cli("history", "--json").out)["pain_entries"][0]["pain"] == 5


def test_a_record_moved_before_its_episode_leaves_it(cli, db: Path, tmp_path: Path) -> None:
    assert start(cli, tmp_path, "--onset", "3h").code == 0
    assert cli("log", "6").code == 0
    pain = _ids(cli)["pain_entries"][0][:8]
    r = cli("edit", pain, "--at", "2d")
    assert r.code == 0 and "now outside any episode" in r.out
    assert json.loads(cli("history", "--json").out)["pain_entries"][0]["episode_id"] is None


def test_history_shows_the_ids_to_correct_by(cli, db: Path) -> None:
    r = cli("log", "5")
    pain = _ids(cli)["pain_entries"][0]
    assert f"(id {pain[:8]})" in r.out
    assert pain[:8] in cli("history").out


def test_a_second_name_of_one_medicine_gets_a_gentle_note(cli, db: Path) -> None:
    assert cli("medicine", "Nurofen", "--at", "2h").code == 0
    r = cli("medicine", "ibuprofen")
    assert r.code == 0 and "both contain ibuprofen" in r.out and "pharmacist" in r.out


def test_an_episode_cannot_end_before_its_own_records(cli, db: Path, tmp_path: Path) -> None:
    assert start(cli, tmp_path, "--onset", "5h").code == 0
    assert cli("log", "6", "--at", "1h").code == 0
    r = cli("episode", "end", "--at", "3h")
    assert r.code == 2 and "after the new end" in r.err and r.err.count("\n") == 1
    assert json.loads(cli("episode", "list", "--json").out)[0]["ended_at"] is None
    assert cli("episode", "end").code == 0
