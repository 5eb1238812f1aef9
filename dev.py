#!/usr/bin/env python3
"""Set up and run SpasmCare on a fresh machine with nothing but Python 3.11+.

    python3 dev.py start     # install (first time) and start the web app on http://127.0.0.1:8000/
    python3 dev.py test      # install (first time) and run the test suite
    python3 dev.py lint      # ruff, mypy on the core, and the verbatim check
    python3 dev.py bench     # the benchmarks in benchmarks/
    python3 dev.py lock      # re-lock the dependencies after editing pyproject.toml
    python3 dev.py embed     # re-make the shipped vectors after editing the knowledge base

The virtual environment lives in .venv and is rebuilt when a lock file changes.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
LOCKS = {"app": ROOT / "requirements.lock", "dev": ROOT / "requirements-dev.lock"}
SHARED = ROOT.parent / "shared"


def main(argv: list[str]) -> int:
    if sys.version_info < (3, 11):  # noqa: UP036 - this script may be run by an older python3
        sys.exit("SpasmCare needs Python 3.11 or newer; this is " + sys.version.split()[0])
    command, rest = (argv[0], argv[1:]) if argv else ("help", [])
    if command == "start":
        ensure_env("app")
        compile_package()
        return run([str(BIN / "spasmcare"), "serve", *rest])
    if command == "test":
        ensure_env("dev")
        ensure_axe()
        return run([str(BIN / "python"), "-m", "pytest", *rest])
    if command == "lint":
        ensure_env("dev")
        return lint()
    if command == "bench":
        ensure_env("dev")
        return run([str(BIN / "python"), "benchmarks/run.py", *rest])
    if command == "lock":
        return lock()
    if command == "embed":
        ensure_env("app")
        return run([str(BIN / "python"), "benchmarks/embed_vectors.py", *rest])
    print(__doc__)
    return 0 if command in ("help", "-h", "--help") else 2


def ensure_env(kind: str) -> None:
    """Create .venv and install the locked dependencies and the package, once
    per lock-file version (the dev lock includes the app's)."""
    lock = LOCKS[kind]
    stamp = VENV / f".installed-{kind}"
    digest = hashlib.sha256(lock.read_bytes() + (ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if stamp.exists() and stamp.read_text() == digest:
        return
    if not (BIN / "python").exists():
        print("Creating the virtual environment in .venv ...", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    pip = [str(BIN / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    print(f"Installing the locked dependencies from {lock.name} ...", flush=True)
    check([*pip, "-r", str(lock)])
    check([*pip, "--no-deps", "-e", str(ROOT)])
    compile_package()
    stamp.write_text(digest)


def ensure_axe() -> None:
    """Install axe-core, the accessibility engine the browser tests inject,
    from npm by its lock file, once per lock-file version. Without npm the
    accessibility test fails and says so; the other tests run."""
    folder = ROOT / "tests" / "browser" / "axe"
    stamp = folder / "node_modules" / ".installed"
    digest = hashlib.sha256((folder / "package-lock.json").read_bytes()).hexdigest()
    if stamp.exists() and stamp.read_text() == digest:
        return
    npm = shutil.which("npm")
    if npm is None:
        print("npm is not installed, so axe-core is not (apt-get install npm)", flush=True)
        return
    print("Installing axe-core from tests/browser/axe/package-lock.json ...", flush=True)
    check([npm, "ci", "--prefix", str(folder), "--no-audit", "--no-fund", "--loglevel=error"])
    stamp.write_text(digest)


def compile_package() -> None:
    """Byte-compile SpasmCare's own modules, as pip does for an installed
    package (an editable install does not), so that each command starts
    without compiling them first, even where PYTHONDONTWRITEBYTECODE is set.
    Only changed modules are compiled again."""
    check([str(BIN / "python"), "-m", "compileall", "-q", str(ROOT / "src" / "spasmcare")])


def lint() -> int:
    failures = 0
    failures += run([str(BIN / "ruff"), "check", "src", "tests", "benchmarks", "dev.py"])
    failures += run([str(BIN / "mypy")])
    checker = SHARED / "tools" / "verbatim_check.py"
    if checker.exists():
        failures += run([sys.executable, str(checker), str(ROOT)])
    else:
        print(f"note: {checker} not found; skipped the verbatim check")
    return 1 if failures else 0


def lock() -> int:
    """Pin every dependency with uv (installed into .venv on demand)."""
    ensure_env("dev")
    if not (BIN / "uv").exists():
        check([str(BIN / "python"), "-m", "pip", "install", "--quiet", "uv"])
    uv = str(BIN / "uv")
    base = [uv, "pip", "compile", "--quiet", "--python-version", "3.11", "pyproject.toml"]
    check([*base, "-o", str(LOCKS["app"])])
    check([*base, "--extra", "dev", "-o", str(LOCKS["dev"])])
    return 0


def run(cmd: list[str]) -> int:
    return subprocess.call(cmd, cwd=ROOT)


def check(cmd: list[str]) -> None:
    code = run(cmd)
    if code:
        sys.exit(f"command failed ({code}): {' '.join(cmd)}")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
