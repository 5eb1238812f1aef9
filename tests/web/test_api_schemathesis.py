"""The JSON API against its own OpenAPI document (schemathesis): whatever the
document allows, and requests it does not, get an answer that is not a 5xx.

The app is built when this module is collected (schemathesis generates one test
per operation from it), on a fresh SQLite file in a folder of its own that is
removed afterwards. Its database is opened only when the first request runs.
(``schemathesis.pytest.from_fixture`` would build it in a fixture instead, but
schemathesis 4.32 sets ``node._nodeid``, which pytest 9 no longer has.)"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from spasmcare.settings import Settings
from spasmcare.web.app import create_app

FOLDER = Path(tempfile.mkdtemp(prefix="spasmcare-api-fuzz-"))
# schemathesis calls an ASGI app by the name "testserver".
app = create_app(Settings(database_url=f"sqlite:///{FOLDER / 'fuzz.sqlite3'}",
                          allowed_hosts="testserver"))
schema = schemathesis.openapi.from_asgi("/api/openapi.json", app)


@pytest.fixture(scope="module", autouse=True)
def _remove_the_database() -> Iterator[None]:
    yield
    shutil.rmtree(FOLDER, ignore_errors=True)


@schema.parametrize()
@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
def test_no_request_gets_a_server_error(case: schemathesis.Case) -> None:
    case.call_and_validate()
