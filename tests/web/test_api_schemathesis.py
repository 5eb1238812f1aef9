"""The JSON API against its own OpenAPI document (schemathesis, every check):
no request, valid or not, gets a 5xx; valid requests are accepted (or refused
with a documented 400, 404 or 409, see schemathesis.toml), invalid ones
refused; answers match the document. The counts go to build/fuzz/api.json.

The app is built when this module is collected (schemathesis generates one test
per operation from it), on a fresh SQLite file in a folder of its own that is
removed afterwards. Its database is opened only when the first request runs.
(``schemathesis.pytest.from_fixture`` would build it in a fixture instead, but
schemathesis 4.32 sets ``node._nodeid``, which pytest 9 no longer has.)"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from spasmcare.settings import Settings
from spasmcare.web.app import create_app
from tests.conftest import ROOT

FOLDER = Path(tempfile.mkdtemp(prefix="spasmcare-api-fuzz-"))
# schemathesis calls an ASGI app by the name "testserver".
app = create_app(Settings(database_url=f"sqlite:///{FOLDER / 'fuzz.sqlite3'}",
                          allowed_hosts="testserver"))
schema = schemathesis.openapi.from_asgi("/api/openapi.json", app)


RUNS: dict[str, Any] = {"checks": "all", "operations": set(), "requests": 0,
                        "server_errors": 0}


@pytest.fixture(scope="module", autouse=True)
def _remove_the_database() -> Iterator[None]:
    yield
    shutil.rmtree(FOLDER, ignore_errors=True)
    report = ROOT / "build" / "fuzz"
    report.mkdir(parents=True, exist_ok=True)
    (report / "api.json").write_text(json.dumps(
        {**RUNS, "operations": len(RUNS["operations"])}, indent=1) + "\n")


# Derandomized, so that CI sees the same requests for the same code; set
# SPASMCARE_FUZZ_EXAMPLES (and SPASMCARE_FUZZ_RANDOM=1) for a longer, fresh run.
EXAMPLES = int(os.environ.get("SPASMCARE_FUZZ_EXAMPLES", "25"))


@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None,
          derandomize=not os.environ.get("SPASMCARE_FUZZ_RANDOM"),
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
def test_no_request_gets_a_server_error(case: schemathesis.Case) -> None:
    RUNS["operations"].add(case.operation.label)
    RUNS["requests"] += 1
    response = case.call()
    if response.status_code >= 500:
        RUNS["server_errors"] += 1
    case.validate_response(response)
