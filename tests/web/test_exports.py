"""Exports from the web app: /api/export/{format} and the report page's
downloads, the same files ``spasmcare export`` writes."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from pypdf import PdfReader

from tests.web.api_helpers import ago, created, start_episode

MEDIA = {"pdf": "application/pdf", "fhir": "application/fhir+json", "ics": "text/calendar",
         "csv": "application/zip", "json": "application/json"}


def fill(client: TestClient) -> None:
    start_episode(client, onset=ago(hours=30), triggers=["lifting"])
    created(client, "/api/pain", {"pain": 6, "at": ago(hours=20)})
    created(client, "/api/sessions", {"kind": "ice", "minutes": 15, "pain_before": 6,
                                      "pain_after": 4, "started_at": ago(hours=19)})
    created(client, "/api/medicines", {"name": "Paracetamol", "at": ago(hours=18)})


@pytest.mark.parametrize("fmt", MEDIA)
def test_each_format_downloads_as_a_private_attachment(client: TestClient, fmt: str) -> None:
    fill(client)
    r = client.get(f"/api/export/{fmt}")
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith(MEDIA[fmt])
    assert r.headers["content-disposition"].startswith(f'attachment; filename="spasmcare-{fmt}-')
    assert r.headers["cache-control"] == "no-store"
    if fmt == "pdf":
        text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(r.content)).pages)
        assert "Paracetamol" in text
    elif fmt == "fhir":
        assert json.loads(r.content)["resourceType"] == "Bundle"
    elif fmt == "ics":
        assert b"BEGIN:VEVENT" in r.content
    elif fmt == "csv":
        assert "pain_entries.csv" in zipfile.ZipFile(io.BytesIO(r.content)).namelist()
    else:
        assert json.loads(r.content)["counts"]["medicines"] == 1


def test_a_range_limits_the_records(client: TestClient) -> None:
    fill(client)
    r = client.get("/api/export/json", params={"from": "2001-01-01", "to": "2001-12-31"})
    assert r.status_code == 200
    assert json.loads(r.content)["counts"]["pain_entries"] == 0


@pytest.mark.parametrize(
    ("path", "status", "fragment"),
    [("/api/export/docx", 422, "fmt"),
     ("/api/export/pdf?from=2026-03-01&to=2026-01-01", 400, "inverted"),
     ("/api/export/pdf?from=yesterday", 400, "the start date (from) must be"),
     ("/api/export/json?to=9999-12-31", 400, "the end date (to) 9999-12-31 is after 2999"),
     ("/api/export/pdf?paper=A3", 422, "paper"),
     ("/api/export/ics?days=99", 422, "days"),
     ("/api/export/ics?from=2026-01-01", 400, "does not apply to ics")],
)
def test_bad_requests_are_4xx_with_a_reason(client: TestClient, path: str, status: int,
                                            fragment: str) -> None:
    r = client.get(path)
    assert r.status_code == status and fragment in r.json()["detail"]
    assert "--" not in r.json()["detail"]  # the web's words, not the CLI's options


def test_the_report_page_offers_every_format(client: TestClient) -> None:
    page = client.get("/report")
    assert page.status_code == 200
    for fmt in MEDIA:
        assert f'data-testid="export-{fmt}"' in page.text
    assert 'href="/report"' in client.get("/").text


def test_the_report_page_downloads_and_explains_a_bad_range(client: TestClient) -> None:
    fill(client)
    r = client.get("/report/download", params={"format": "pdf", "paper": "Letter"})
    assert r.status_code == 200 and r.content.startswith(b"%PDF")
    width = float(PdfReader(io.BytesIO(r.content)).pages[0].mediabox.width)
    assert round(width) == 612  # Letter is 8.5 inches of 72 points
    bad = client.get("/report/download", params={"format": "pdf", "from": "2026-05-01",
                                                  "to": "2026-04-01"})
    assert bad.status_code == 400 and "inverted" in bad.text
    assert 'value="2026-05-01"' in bad.text  # what was typed is kept
    hostile = client.get("/report/download", params={"format": "<script>"})
    assert hostile.status_code == 400 and "<script>" not in hostile.text


def test_the_calendar_from_the_report_page_ignores_the_dates_and_groups_reminders(
        client: TestClient) -> None:
    fill(client)
    form = {"format": "ics", "from": "2026-01-01", "paper": "A4"}
    grouped = client.get("/report/download", params={**form, "reminders": "3"})
    assert grouped.status_code == 200 and grouped.headers["content-type"].startswith("text/cal")
    each = client.get("/report/download", params={**form, "reminders": "0"})
    assert each.text.count("BEGIN:VEVENT") > grouped.text.count("BEGIN:VEVENT")
    bad = client.get("/report/download", params={**form, "reminders": "99"})
    assert bad.status_code == 400 and "calendar reminders" in bad.text
    assert 'data-testid="reminders"' in client.get("/report").text


def test_the_report_page_previews_the_first_page(client: TestClient) -> None:
    empty = client.get("/report").text
    assert 'data-testid="report-empty"' in empty
    start = (datetime.now() - timedelta(days=90)).date().isoformat()
    assert f'name="from" value="{start}"' in empty  # the form starts with the previewed range
    fill(client)
    page = client.get("/report").text
    assert 'data-testid="report-preview"' in page
    assert "Paracetamol × 1" in page and "6/10" in page
    assert 'data-testid="report-red-flags"' not in page


def test_a_red_flag_answered_yes_leads_the_preview(client: TestClient) -> None:
    from tests.contract import FINDING_TIERS

    urgent = next(f for f, tier in FINDING_TIERS.items() if tier == "urgent")
    answers = {"findings": {**dict.fromkeys(FINDING_TIERS, False), urgent: True}}
    r = client.post("/api/episodes", json={"answers": answers, "onset": ago(hours=3)})
    assert r.status_code == 201, r.text
    page = client.get("/report").text
    assert 'class="alert urgent" role="alert" data-testid="report-red-flags"' in page
