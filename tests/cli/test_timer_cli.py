"""``spasmcare timer`` as a real process: a full session, refusals, pain
prompts on closed input, and Ctrl-C part way through."""

from __future__ import annotations

import os
import selectors
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from spasmcare.core.diary import TreatmentKind, TreatmentSession
from spasmcare.store.database import open_engine
from spasmcare.store.diary import DiaryStore


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path / 'd.sqlite3'}"
    monkeypatch.setenv("SPASMCARE_DATABASE_URL", url)
    return url


def sessions(url: str) -> list[TreatmentSession]:
    engine = open_engine(url)
    try:
        return DiaryStore.for_local_user(engine).records(TreatmentSession)
    finally:
        engine.dispose()


def test_a_full_session_is_recorded(cli, db: str) -> None:
    r = cli("timer", "ice", "--seconds", "2", stdin="6\n4\n")
    assert r.code == 0, r.err
    assert "Keep a cloth between the cold pack and your skin" in r.out
    assert "\a" in r.out and "Done." in r.out and "Saved: ice" in r.out
    [s] = sessions(db)
    assert s.kind is TreatmentKind.ICE and s.completed
    assert (s.pain_before, s.pain_after) == (6, 4)
    assert s.minutes == round(2 / 60, 2) and s.started_at.tzinfo is not None
    assert s.episode_id is None


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["ice", "--minutes", "25"], "frostbite or nerve damage"),
        (["walk", "--minutes", "0"], "at least one second"),
        (["heat", "--seconds", "-1"], "at least one second"),
        (["ice", "--minutes", "1", "--seconds", "5"], "not both"),
    ],
)
def test_refusals(cli, db: str, args: list[str], fragment: str) -> None:
    r = cli("timer", *args, stdin="6\n4\n")
    assert r.code == 2, r.err
    assert fragment in r.err and len(r.err.strip().splitlines()) == 1
    assert "Traceback" not in r.err and "Pain" not in r.out
    assert sessions(db) == []


def test_bad_pain_is_asked_again_and_closed_input_skips(cli, db: str) -> None:
    r = cli("timer", "walk", "--seconds", "1", stdin="12\nsome\n7\n")
    assert r.code == 0, r.err
    assert r.out.count("whole number from 0 to 10") == 2 and "Traceback" not in r.err
    [s] = sessions(db)
    assert s.kind is TreatmentKind.WALK and s.completed
    assert (s.pain_before, s.pain_after) == (7, None)


def test_no_record(cli, db: str) -> None:
    r = cli("timer", "plank", "--seconds", "1", "--no-record", stdin="")
    assert r.code == 0, r.err
    assert "hold for 1 seconds" in r.out and "Not saved" in r.out and "Pain" not in r.out
    assert sessions(db) == []


def _read_until(proc: subprocess.Popen[bytes], marker: bytes, timeout: float) -> bytes:
    assert proc.stdout is not None
    seen = b""
    with selectors.DefaultSelector() as sel:
        sel.register(proc.stdout, selectors.EVENT_READ)
        deadline = time.monotonic() + timeout
        while marker not in seen:
            left = deadline - time.monotonic()
            assert left > 0 and sel.select(left), f"no {marker!r} in {seen!r}"
            chunk = os.read(proc.stdout.fileno(), 4096)
            assert chunk, f"output ended without {marker!r}: {seen!r}"
            seen += chunk
    return seen


@pytest.mark.parametrize(("wait", "recorded"), [(6.0, True), (2.0, False)])
def test_ctrl_c_records_what_was_done(tmp_path: Path, db: str, wait: float,
                                      recorded: bool) -> None:
    env = {**os.environ, "HOME": str(tmp_path), "NO_COLOR": "1", "COLUMNS": "120"}
    proc = subprocess.Popen([sys.executable, "-m", "spasmcare", "timer", "heat", "--seconds", "30"],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env=env, cwd=tmp_path)
    try:
        _read_until(proc, b"Pain now", timeout=30)
        assert proc.stdin is not None
        proc.stdin.write(b"5\n")
        proc.stdin.flush()
        started = time.monotonic()
        time.sleep(wait)
        proc.send_signal(signal.SIGINT)
        elapsed = time.monotonic() - started
        out, err = proc.communicate(b"3\n", timeout=30)
    finally:
        proc.kill()
    assert proc.returncode == 0, err.decode()
    assert b"Traceback" not in err and b"Stopped after" in out
    if not recorded:
        assert b"nothing was saved" in out and sessions(db) == []
        return
    assert b"stopped early" in out
    [s] = sessions(db)
    assert s.kind is TreatmentKind.HEAT and not s.completed
    assert (s.pain_before, s.pain_after) == (5, 3)
    assert s.minutes * 60 == pytest.approx(elapsed, abs=1.0)
