"""Importing an export from the web app's file picker, with the CLI's
one-line refusals, in-process on a real SQLite file."""

from __future__ import annotations

import html
import io
import zipfile

import pytest
from fastapi.testclient import TestClient

from tests.web.api_helpers import created, start_episode
from tests.web.conftest import PageClient
from tests.web.forms import store


def _send(client: TestClient, name: str, data: bytes) -> object:
    return client.post("/report/import", files={"file": (name, data, "application/json")})


def _export(client: TestClient, fmt: str) -> bytes:
    r = client.get(f"/api/export/{fmt}")
    assert r.status_code == 200, r.text
    return r.content


@pytest.mark.parametrize("fmt", ["json", "fhir"])
def test_an_export_comes_back_into_another_diary(client: TestClient, fmt: str,
                                                 tmp_path: object) -> None:
    from spasmcare.settings import Settings
    from spasmcare.web.app import create_app

    start_episode(client)
    created(client, "/api/pain", {"pain": 6, "note": "sharp"})
    created(client, "/api/medicines", {"name": "Ibuprofen"})
    data = _export(client, fmt)
    before = store(client).diary()
    with PageClient(create_app(Settings(database_url=f"sqlite:///{tmp_path}/other.db"))) as other:
        r = _send(other, f"spasmcare.{fmt}.json", data)
        assert r.status_code == 200, r.text  # type: ignore[attr-defined]
        assert f"Imported {before.count()} records" in r.text  # type: ignore[attr-defined]
        assert store(other).diary().count() == before.count()
        again = _send(other, "again.json", data)
        assert "Imported 0 records" in again.text  # type: ignore[attr-defined]
        assert store(other).diary().count() == before.count()


def test_the_csv_zip_is_refused_with_a_reason(client: TestClient) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("pain.csv", "at,pain\n")
    r = _send(client, "spasmcare.csv.zip", buffer.getvalue())
    assert r.status_code == 400  # type: ignore[attr-defined]
    said = html.unescape(r.text)  # type: ignore[attr-defined]
    assert "CSV is for spreadsheets and cannot be imported" in said
    assert "spasmcare export" not in said  # no CLI words in the web app


@pytest.mark.parametrize(("name", "data", "said"), [
    ("empty.json", b"", "is empty"),
    ("junk.json", b"\x00\xff not json", "neither a SpasmCare JSON export nor a FHIR Bundle"),
    ("list.json", b"[1, 2, 3]", "not a SpasmCare JSON export"),
])
def test_a_file_that_cannot_be_used_changes_nothing(client: TestClient, name: str,
                                                    data: bytes, said: str) -> None:
    r = _send(client, name, data)
    assert r.status_code == 400  # type: ignore[attr-defined]
    assert said in html.unescape(r.text)  # type: ignore[attr-defined]
    assert store(client).diary().count() == 0


def test_no_file_chosen_says_so(client: TestClient) -> None:
    r = client.post("/report/import", data={})
    assert r.status_code == 400 and "Choose the file to import" in r.text


def test_a_file_larger_than_other_forms_may_be_is_read(client: TestClient) -> None:
    big = b" " * (2 * 1024 * 1024) + b"{}"  # beyond the 1 MiB of other bodies
    r = _send(client, "big.json", big)
    assert r.status_code == 400 and "413" not in str(r.status_code)  # type: ignore[attr-defined]
    assert "neither" in html.unescape(r.text) or "export" in r.text  # type: ignore[attr-defined]
