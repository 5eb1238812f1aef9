"""The app factory and error handling."""

from __future__ import annotations

from fastapi.testclient import TestClient

from spasmcare.web.app import create_app


def test_nothing_is_built_at_import() -> None:
    import spasmcare.web.app as module

    assert not hasattr(module, "app")
    assert callable(create_app)


def test_home_offers_help_first(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200
    assert "My back has just gone" in page.text


def test_unknown_api_path_is_json_404(client: TestClient) -> None:
    r = client.get("/api/no-such-thing")
    assert r.status_code == 404 and r.json() == {"detail": "Not Found"}


def test_unknown_page_is_html_404(client: TestClient) -> None:
    r = client.get("/no-such-page")
    assert r.status_code == 404 and "That did not work" in r.text


def test_openapi_document_is_served(client: TestClient) -> None:
    assert client.get("/api/openapi.json").json()["info"]["title"] == "SpasmCare"
