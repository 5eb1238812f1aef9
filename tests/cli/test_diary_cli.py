"""The diary commands as real processes on a real SQLite file: recording,
reading back, export and import, backup and restore, and bad input that
changes nothing."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from tests.contract import FINDING_TIERS

NO_FLAGS = json.dumps({"findings": dict.fromkeys(FINDING_TIERS, False)})


def count(cli) -> int:
    out = json.loads(cli("history", "--days", "100000", "--json").out)
    return sum(len(v) for v in out.values())


def start(cli, tmp_path: Path, *extra: str):
    answers = tmp_path / "answers.json"
    answers.write_text(NO_FLAGS)
    return cli("episode", "start", "--answers", str(answers), *extra)


def test_a_whole_episode(cli, db: Path, tmp_path: Path) -> None:
    r = start(cli, tmp_path, "--onset", "3h", "--where", "lower", "--side", "left",
              "--trigger", "lifting", "--trigger", "stress")
    assert r.code == 0, r.err
    assert "SELF-CARE" in r.out and "started" in r.out
    assert cli("log", "7", "--impact", "some", "--note", "sharp").code == 0
    assert cli("treat", "ice", "--minutes", "20", "--before", "7", "--after", "5").code == 0
    assert cli("medicine", "Naproxen", "--at", "1h").code == 0
    assert cli("habit", "water", "6").code == 0
    shown = json.loads(cli("episode", "show", "--json").out)
    assert shown["episode"]["triggers"] == ["lifting", "stress"]
    assert shown["episode"]["triage_urgency"] == "self-care"
    assert shown["pain_entries"][0]["severity"] == "severe"  # pain 7 is severe
    assert shown["sessions"][0]["pain_before"] == 7
    assert shown["medicines"][0]["name"] == "Naproxen"
    assert cli("episode", "end").code == 0
    listed = json.loads(cli("episode", "list", "--json").out)
    assert listed[0]["ended_at"] is not None
    assert "Pain" in cli("history").out
    assert db.exists()


def test_a_record_joins_the_episode_going_on_at_its_time(cli, db: Path, tmp_path: Path) -> None:
    """A time before the open episode began (years before, say) is kept in
    the diary but not in that episode, and the person is told so, with the
    year; one within the episode joins it."""
    assert start(cli, tmp_path, "--onset", "2d").code == 0
    past = cli("log", "6", "--at", "2020-01-01T09:00")
    assert past.code == 0, past.err
    assert "1 Jan 2020 09:00" in past.out
    assert "before the open episode began" in past.out
    assert cli("treat", "heat", "--minutes", "10", "--at", "2020-01-02T09:00").code == 0
    assert cli("medicine", "Ibuprofen", "--at", "3d").code == 0
    inside = cli("log", "5", "--at", "1d")
    assert inside.code == 0 and "before the open episode" not in inside.out
    shown = json.loads(cli("episode", "show", "--json").out)
    assert [p["pain"] for p in shown["pain_entries"]] == [5]
    assert shown["sessions"] == [] and shown["medicines"] == []
    everything = json.loads(cli("history", "--days", "100000", "--json").out)
    assert sorted(p["pain"] for p in everything["pain_entries"]) == [5, 6]
    outside = [p for p in everything["pain_entries"] if p["pain"] == 6]
    assert outside[0]["episode_id"] is None


def test_an_impact_left_out_is_unanswered(cli, db: Path) -> None:
    assert cli("log", "3").code == 0
    assert cli("log", "3", "--impact", "unable").code == 0
    entries = json.loads(cli("history", "--days", "1", "--json").out)["pain_entries"]
    assert [(p["impact"], p["severity"]) for p in entries] == [(None, "mild"),
                                                              ("unable", "severe")]


def test_an_emergency_at_the_start_is_recorded_and_shown(cli, db: Path, tmp_path: Path) -> None:
    answers = tmp_path / "a.json"
    answers.write_text(json.dumps({"findings": {"saddle_numbness": True}}))
    r = cli("episode", "start", "--answers", str(answers))
    assert "EMERGENCY" in r.out
    assert json.loads(cli("episode", "list", "--json").out)[0]["triage_urgency"] == "emergency"


def test_episode_start_asks_the_triage_questions(cli, db: Path) -> None:
    r = cli("episode", "start", stdin="n\n" * len(FINDING_TIERS))
    assert r.code == 0 and "emergency help" in r.out


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["log", "11"], "0 to 10"),
        (["log", "--", "-1"], "0 to 10"),
        (["log", "5", "--impact", "terrible"], "--impact"),
        (["log", "5", "--at", "2030-01-01T00:00:00+00:00"], "in the future"),
        (["log", "5", "--at", "2026-02-30T10:00"], "ISO 8601"),
        (["treat", "ice", "--minutes", "0"], "minutes"),
        (["treat", "ice", "--minutes", "20", "--before", "12"], "pain_before"),
        (["treat", "cupping", "--minutes", "5"], "cupping"),
        (["habit", "water", "500"], "at most 40"),
        (["habit", "water", "--", "-2"], "amount must be 0 or more (got -2)"),
        (["medicine", "   "], "name"),
        (["episode", "start", "--where", "neck"], "neck"),
        (["episode", "start", "--onset", "2099-01-01T00:00:00+00:00"], "in the future"),
        (["episode", "end"], "no episode is open"),
        (["episode", "show", "abcd1234"], "no episodes"),
        (["history", "--days", "0"], "--days"),
    ],
)
def test_bad_input_is_one_line_and_writes_nothing(cli, db: Path, tmp_path: Path,
                                                  args: list[str], fragment: str) -> None:
    before = count(cli)
    answers = tmp_path / "answers.json"
    answers.write_text(NO_FLAGS)
    extra = ["--answers", str(answers)] if args[:2] == ["episode", "start"] else []
    r = cli(*args, *extra)
    assert r.code == 2, (r.out, r.err)
    assert fragment in r.err and len(r.err.strip().splitlines()) == 1
    assert "Traceback" not in r.err
    assert count(cli) == before


def test_an_end_before_the_start_is_refused(cli, db: Path, tmp_path: Path) -> None:
    start(cli, tmp_path, "--onset", "2h")
    r = cli("episode", "end", "--at", "5h")
    assert r.code == 2 and "before the onset" in r.err
    assert json.loads(cli("episode", "list", "--json").out)[0]["ended_at"] is None


def test_a_second_open_episode_is_refused(cli, db: Path, tmp_path: Path) -> None:
    start(cli, tmp_path)
    r = start(cli, tmp_path)
    assert r.code == 2 and "still open" in r.err


def test_long_ice_is_recorded_with_a_warning(cli, db: Path) -> None:
    r = cli("treat", "ice", "--minutes", "30")
    assert r.code == 0 and "frostbite" in r.out


@pytest.mark.parametrize(
    ("url", "fragment"),
    [("postgresql://nobody@127.0.0.1:1/x", "cannot open the database"),
     ("nonsense", "not a database URL")],
)
def test_an_unreachable_database_is_one_line(cli, monkeypatch: pytest.MonkeyPatch, url: str,
                                            fragment: str) -> None:
    monkeypatch.setenv("SPASMCARE_DATABASE_URL", url)
    r = cli("log", "5")
    assert r.code == 2 and fragment in r.err and "Traceback" not in r.err


def test_json_export_round_trips_into_an_empty_database(cli, db: Path, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    start(cli, tmp_path, "--trigger", "sport", "--onset", "1d")
    cli("log", "6", "--stiffness", "4", "--mobility", "limited")
    cli("treat", "walk", "--minutes", "7.5", "--incomplete")
    cli("habit", "plank", "30")
    out = tmp_path / "export.json"
    assert cli("export", "json", "--out", str(out)).code == 0
    assert oct(out.stat().st_mode & 0o777) == oct(0o600)
    original = cli("history", "--days", "100000", "--json").out

    monkeypatch.setenv("SPASMCARE_DATABASE_URL", f"sqlite:///{tmp_path / 'other.sqlite3'}")
    r = cli("import", str(out))
    assert r.code == 0 and "Imported 4 records" in r.out
    assert cli("history", "--days", "100000", "--json").out == original
    again = cli("import", str(out))
    assert "Imported 0 records; 4 were already there" in again.out
    assert cli("history", "--days", "100000", "--json").out == original


@pytest.mark.parametrize(
    ("content", "fragment"),
    [("{broken", "not valid JSON"), ('{"format": "other"}', "not a SpasmCare JSON export"),
     ('{"format": "spasmcare-diary", "version": 1, "diary": {"episodes": [{"id": "x"}]}}',
      "damaged")],
)
def test_a_corrupt_import_changes_nothing(cli, db: Path, tmp_path: Path, content: str,
                                          fragment: str) -> None:
    cli("log", "3")
    bad = tmp_path / "bad.json"
    bad.write_text(content)
    r = cli("import", str(bad))
    assert r.code == 2 and fragment in r.err
    assert count(cli) == 1


def test_importing_the_csv_export_says_csv_cannot_be_imported(cli, db: Path,
                                                              tmp_path: Path) -> None:
    cli("log", "4")
    out = tmp_path / "diary.zip"
    assert cli("export", "csv", "--out", str(out)).code == 0
    r = cli("import", str(out))
    assert r.code == 2 and "CSV is for spreadsheets and cannot be imported" in r.err
    assert "export json" in r.err and count(cli) == 1


def test_csv_export_is_a_zip_of_tables_with_units(cli, db: Path, tmp_path: Path) -> None:
    cli("log", "4")
    cli("treat", "heat", "--minutes", "15", "--before", "5", "--after", "3")
    out = tmp_path / "diary.zip"
    assert cli("export", "csv", "--out", str(out)).code == 0
    with zipfile.ZipFile(out) as archive:
        names = set(archive.namelist())
        sessions = archive.read("treatment_sessions.csv").decode("utf-8-sig").splitlines()
    assert {"episodes.csv", "pain_entries.csv", "treatment_sessions.csv", "medicines.csv",
            "habits.csv"} <= names
    assert sessions[0].startswith("id,episode_id,start_utc,kind,duration_minutes")
    assert ",heat,15.0,5,3,2," in sessions[1]


def test_exports_of_an_empty_diary_are_valid(cli, db: Path, tmp_path: Path) -> None:
    assert cli("export", "json", "--out", str(tmp_path / "e.json")).code == 0
    document = json.loads((tmp_path / "e.json").read_text())
    assert document["counts"]["episodes"] == 0
    assert cli("export", "csv", "--out", str(tmp_path / "e.zip")).code == 0


@pytest.mark.parametrize(
    ("args", "fragment"),
    [(["export", "xml", "--out", "x"], "unknown export format"),
     (["export", "json", "--out", "/nonexistent/dir/x.json"], "does not exist"),
     (["import", "/nonexistent/file.json"], "not found")],
)
def test_bad_export_arguments(cli, db: Path, args: list[str], fragment: str) -> None:
    r = cli(*args)
    assert r.code == 2 and fragment in r.err


def test_backup_and_restore(cli, db: Path, tmp_path: Path) -> None:
    cli("log", "5")
    backup = tmp_path / "backup.sqlite3"
    assert cli("backup", "--out", str(backup)).code == 0
    cli("log", "9")
    assert count(cli) == 2
    r = cli("restore", str(backup))
    assert r.code == 0 and "kept" in r.out
    assert count(cli) == 1


def test_settings_show_and_change(cli, db: Path) -> None:
    shown = json.loads(cli("settings", "--json").out)
    assert shown["personal"] == {"wake": "07:00", "sleep": "23:00", "units": "metric"}
    assert {row["env"] for row in shown["application"]} >= {"SPASMCARE_DATABASE_URL"}
    assert cli("settings", "--wake", "06:15").code == 0
    assert json.loads(cli("settings", "--json").out)["personal"]["wake"] == "06:15"
    assert cli("settings", "--wake", "6am").code == 2


def test_settings_say_where_the_data_folder_is_and_hide_the_passphrase(
        cli, db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SPASMCARE_PASSPHRASE", "correct horse")
    shown = json.loads(cli("settings", "--json").out)
    assert (shown["data_folder"], shown["database_exists"]) == (str(db.parent), False)
    words = cli("settings").out
    assert f"data folder = {db.parent}" in words and "correct horse" not in words
    assert "(set)" in words and "correct horse" not in json.dumps(shown)


@pytest.mark.parametrize("args", [
    ["settings"], ["history"], ["insights"], ["changes"], ["episode", "list"],
    ["export", "json", "--out", "diary.json"], ["plan"],
])
def test_a_command_that_only_reads_creates_no_database(cli, db: Path, args: list[str]) -> None:
    cli(*args)
    assert not db.exists()
    assert cli("log", "4").code == 0 and db.exists()  # the first write makes it


@pytest.mark.parametrize(
    ("args", "fragment"),
    [(["log", "5", "--at", "0001-01-01T00:00:00+05:00"], "before 1900"),
     (["log", "5", "--at", "0001-01-01T00:00"], "before 1900"),
     (["log", "5", "--at", "9999-12-31T23:00-05:00"], "after 2999"),
     (["history", "--days", "1000000000"], "--days must be between 1 and"),
     (["export", "json", "--to", "9999-12-31", "--out", "x.json"], "after 2999"),
     (["export", "pdf", "--to", "0001-01-01", "--out", "x.pdf"], "before 1900"),
     (["export", "csv", "--from", "0001-01-01", "--out", "x.zip"], "before 1900")],
)
def test_impossible_values_are_refused_before_the_database(cli, db: Path, args: list[str],
                                                           fragment: str) -> None:
    r = cli(*args)
    assert r.code == 2 and fragment in r.err and "Traceback" not in r.err


def test_an_episode_needs_the_red_flag_check(cli, db: Path, tmp_path: Path) -> None:
    answers = tmp_path / "partial.json"
    answers.write_text(json.dumps({"findings": {"fever": False}}))
    r = cli("episode", "start", "--answers", str(answers))
    assert r.code == 2 and "red-flag check is not finished" in r.err
    assert json.loads(cli("episode", "list", "--json").out) == []


def test_a_local_time_the_clocks_skipped_is_refused(cli, db: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", "Europe/London")
    r = cli("log", "5", "--at", "2026-03-29T01:30")
    assert r.code == 2 and "clocks went forward" in r.err
    assert cli("log", "5", "--at", "2026-03-29T02:30").code == 0


def test_an_unknown_time_zone_is_said_not_silently_made_utc(
        cli, db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", "Mars/Olympus")
    r = cli("log", "5")
    assert r.code == 0
    assert "'Mars/Olympus' is not one this computer knows" in r.err and "UTC" in r.err


def test_the_daily_check_in_moves_the_plan(cli, db: Path, tmp_path: Path) -> None:
    assert cli("checkin", "--pain", "3").code == 2  # no episode open: one line, nothing saved
    assert start(cli, tmp_path, "--onset", "9d").code == 0
    r = cli("checkin", "--pain", "7", "--moves", "very-limited", "--not-worse")
    assert r.code == 0, r.err
    assert "Stretches start once" in r.out
    kinds = {s["kind"] for s in json.loads(cli("plan", "--json").out)["sessions"]}
    assert not kinds & {"stretch", "strength"}
    # asked one question at a time when no options are given
    r = cli("checkin", stdin="2\n1\nn\n")
    assert r.code == 0, r.err
    assert "settled enough for stretches and core work" in r.out
    guidance = json.loads(cli("plan", "--json").out)["guidance"]
    assert guidance[0]["text"].startswith("Your check-in:") and "core work" in guidance[0]["text"]
    entries = json.loads(cli("history", "--json").out)["pain_entries"]
    assert [(e["pain"], e["mobility"], e["worse_next_morning"]) for e in entries] == [
        (7, "very-limited", False), (2, "full", False)]
    assert cli("checkin", "--pain", "12", "--moves", "full").code == 2
    r = cli("checkin", "--pain", "2")  # how the back moves is never made up
    assert r.code == 2 and "--moves" in r.err
