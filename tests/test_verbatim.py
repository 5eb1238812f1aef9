"""Nothing in the repository repeats a source article word for word."""

import subprocess
import sys

import pytest

from tests.conftest import ROOT, SHARED


def test_verbatim_check_passes() -> None:
    checker = SHARED / "tools" / "verbatim_check.py"
    if not checker.exists():
        pytest.skip("shared/tools/verbatim_check.py is not beside the repository")
    proc = subprocess.run([sys.executable, str(checker), str(ROOT)], capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout
