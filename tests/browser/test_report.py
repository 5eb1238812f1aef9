"""The report page on a phone: the clinician's PDF downloads from a tap, and
a bad range is explained on the page."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page, expect
from pypdf import PdfReader

from tests.browser import conftest
from tests.browser import server_api as api
from tests.browser.conftest import Server

pytestmark = conftest.pytestmark


def test_the_report_downloads_as_a_pdf(server: Server, phone: Page, tmp_path: Path) -> None:
    api.send(server, "POST", "/api/pain", {"pain": 5})
    phone.goto(server.url + "/")
    phone.get_by_role("link", name="Report for your doctor").tap()
    expect(phone).to_have_url(server.url + "/report")
    with phone.expect_download() as download:
        phone.get_by_test_id("export-pdf").tap()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    assert saved.suffix == ".pdf"
    text = "".join(page.extract_text() for page in PdfReader(saved).pages)
    assert "patient-reported" in text.lower()


def test_an_inverted_range_is_explained(server: Server, phone: Page) -> None:
    phone.goto(server.url + "/report")
    phone.locator("#from").fill("2026-05-02")
    phone.locator("#to").fill("2026-05-01")
    phone.get_by_test_id("export-csv").tap()
    expect(phone.get_by_test_id("export-error")).to_contain_text("inverted")
    expect(phone.locator("#from")).to_have_value("2026-05-02")
