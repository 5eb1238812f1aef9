"""Fuzzing the command line: hostile values in every option that takes one,
and hostile files for ``import`` and ``triage --answers``. Every run must end
with exit 0 or 2 (one line on standard error), never a traceback. The CLI
runs in this process (``spasmcare.cli.app.main``, the real entry point) on a
real SQLite file, so that hundreds of runs take seconds; how many ran is
written to build/fuzz/cli.json for the README."""

from __future__ import annotations

import contextlib
import io
import json
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from spasmcare.cli.app import main
from tests.conftest import ROOT

FOLDER = Path(tempfile.mkdtemp(prefix="spasmcare-cli-fuzz-"))
ANSWERS = FOLDER / "no-flags.json"
RUNS: dict[str, int] = {"arguments": 0, "files": 0, "tracebacks": 0}

ODD = ["²", "①", "٥", "9" * 400, "-1", "1e309", "nan", "inf", "-0", "0x1F", "1_000",
       "9999-12-31", "0001-01-01", "9999-12-31T23:00-05:00", "0001-01-01T00:00+05:00",
       "2026-03-29T01:30", "2026-02-30", "24:00", "23:60", "1000000000", "-1000000000",
       "1e9h", "-3h", "3 h ago", "now", "", " ", "\x00", "\u202e", "--", "-", "%s%n",
       "../../etc/passwd", "'; DROP TABLE pain_entries; --", "=HYPERLINK(\"x\")"]
VALUES = st.one_of(st.sampled_from(ODD), st.text(max_size=40),
                   st.integers(-10**12, 10**12).map(str),
                   st.floats(allow_nan=True, allow_infinity=True).map(repr))

COMMANDS: list[Callable[[str], list[str]]] = [
    lambda v: ["log", v], lambda v: ["log", "5", "--at", v],
    lambda v: ["log", "5", "--stiffness", v], lambda v: ["log", "5", "--note", v],
    lambda v: ["log", "5", "--impact", v], lambda v: ["log", "5", "--mobility", v],
    lambda v: ["treat", "ice", "--minutes", v], lambda v: ["treat", v, "--minutes", "5"],
    lambda v: ["treat", "heat", "--minutes", "10", "--before", v, "--at", "1h"],
    lambda v: ["habit", "water", v], lambda v: ["habit", v, "1"],
    lambda v: ["medicine", v], lambda v: ["medicine", "Ibuprofen", "--at", v],
    lambda v: ["history", "--days", v], lambda v: ["insights", "--json"] if v else ["insights"],
    lambda v: ["export", "json", "--from", v, "--out", "out.json"],
    lambda v: ["export", "pdf", "--to", v, "--out", "out.pdf"],
    lambda v: ["export", "csv", "--from", "2026-01-01", "--to", v, "--out", "out.zip"],
    lambda v: ["export", "ics", "--days", v, "--out", "out.ics"],
    lambda v: ["export", v, "--out", "out.bin"],
    lambda v: ["export", "pdf", "--paper", v, "--out", "out.pdf"],
    lambda v: ["plan", "--onset", v, "--now", "2026-11-21T10:00"],
    lambda v: ["plan", "--onset", "2026-11-21T08:00", "--now", v],
    lambda v: ["plan", "--onset", "3h", "--wake", v], lambda v: ["plan", "--onset", "3h",
                                                                 "--days", v],
    lambda v: ["episode", "start", "--onset", v, "--answers", str(ANSWERS)],
    lambda v: ["episode", "start", "--where", v, "--answers", str(ANSWERS)],
    lambda v: ["episode", "start", "--trigger", v, "--answers", str(ANSWERS)],
    lambda v: ["episode", "end", "--at", v], lambda v: ["episode", "show", v],
    lambda v: ["settings", "--wake", v], lambda v: ["settings", "--sleep", v],
    lambda v: ["settings", "--units", v], lambda v: ["kb", "--topic", v],
    lambda v: ["ask", v], lambda v: ["ask", "--json", v],
    lambda v: ["triage", "--answers", v, "--json"], lambda v: ["import", v],
    lambda v: ["backup", "--out", f"backups/{v[:20]}"],
]


def run(args: list[str], stdin: str = "") -> int:
    """One run of the CLI; its exit code. A traceback fails the test."""
    out, err = io.StringIO(), io.StringIO()
    old_stdin = sys.stdin
    sys.stdin = io.StringIO(stdin)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            main(args)
        code = 0
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    except BaseException:
        RUNS["tracebacks"] += 1
        raise
    finally:
        sys.stdin = old_stdin
    assert code in (0, 2), (args, code, err.getvalue())
    if code == 2:
        assert len(err.getvalue().strip().splitlines()) == 1, (args, err.getvalue())
    return code


@pytest.fixture(scope="module", autouse=True)
def diary() -> Iterator[None]:
    from spasmcare.cli.database import store

    ANSWERS.write_text(json.dumps({"findings": {}}))
    (FOLDER / "backups").mkdir()
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SPASMCARE_DATABASE_URL", f"sqlite:///{FOLDER / 'fuzz.sqlite3'}")
        patch.setenv("HOME", str(FOLDER))
        patch.setenv("NO_COLOR", "1")
        patch.chdir(FOLDER)
        store.cache_clear()
        answers = json.loads(run_json(["triage", "--list", "--json"]))
        ANSWERS.write_text(json.dumps({"findings": {f["id"]: False for f in answers}}))
        run(["log", "4", "--note", "seed"])
        run(["export", "json", "--out", str(FOLDER / "seed.json")])
        yield
        store.cache_clear()
    report = ROOT / "build" / "fuzz"
    report.mkdir(parents=True, exist_ok=True)
    (report / "cli.json").write_text(json.dumps(RUNS, indent=1) + "\n")


def run_json(args: list[str]) -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        try:
            main(args)
        except SystemExit as exit_:
            assert not exit_.code
    return out.getvalue()


@settings(max_examples=400, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
@given(command=st.sampled_from(COMMANDS), value=VALUES)
def test_no_argument_value_gets_a_traceback(command: Callable[[str], list[str]],
                                            value: str) -> None:
    RUNS["arguments"] += 1
    run(command(value))


JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
                    lambda inner: st.lists(inner, max_size=5)
                    | st.dictionaries(st.text(max_size=10), inner, max_size=5), max_leaves=30)


def _export_like(draw: Any) -> Any:
    """An export of this diary with one value somewhere replaced by junk."""
    document = json.loads((FOLDER / "seed.json").read_text())
    records = [r for kind in document["diary"].values() for r in kind]
    if records:
        record = draw(st.sampled_from(records))
        record[draw(st.sampled_from(sorted(record)))] = draw(JSON)
    return document


@st.composite
def hostile_files(draw: Any) -> bytes:
    kind = draw(st.sampled_from(["json", "bytes", "export", "bundle", "deep"]))
    if kind == "json":
        return json.dumps(draw(JSON)).encode()
    if kind == "bytes":
        return draw(st.binary(max_size=200))
    if kind == "deep":
        depth = draw(st.integers(30, 50_000))
        return b"[" * depth + b"]" * draw(st.sampled_from([depth, depth - 1]))
    document = _export_like(draw)
    if kind == "bundle":
        document = {"resourceType": "Bundle", "type": draw(st.sampled_from(["collection",
                                                                             "batch"])),
                    "entry": [{"resource": {"resourceType": draw(st.sampled_from(
                        ["Patient", "Observation", "Condition", "Procedure"])), **draw(
                        st.dictionaries(st.sampled_from(["identifier", "effectiveDateTime",
                                                         "valueInteger", "code", "status"]),
                                        JSON, max_size=3))}}]}
    return json.dumps(document).encode()


@settings(max_examples=150, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
@given(content=hostile_files(), command=st.sampled_from(["import", "triage"]))
def test_no_file_gets_a_traceback(content: bytes, command: str) -> None:
    path = FOLDER / "hostile.json"
    path.write_bytes(content)
    RUNS["files"] += 1
    run(["import", str(path)] if command == "import" else ["triage", "--answers", str(path),
                                                            "--json"])
