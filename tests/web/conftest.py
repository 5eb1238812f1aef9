"""The web app in-process on a real SQLite file, one per test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from spasmcare.settings import Settings
from spasmcare.web.app import create_app
from spasmcare.web.security import FORM_COOKIE, FORM_FIELD
from tests.store.conftest import BACKENDS, fresh_url


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(database_url=f"sqlite:///{tmp_path / 'web.sqlite3'}")


class PageClient(TestClient):
    """The app as a browser on this machine sees it: at http://127.0.0.1, and
    its form posts carry the form token that the app's pages put in every
    form (its cookie's value), as a real form would. Tests of the checks
    themselves send requests without it."""

    def __init__(self, app: Any) -> None:
        super().__init__(app, base_url="http://127.0.0.1")

    def post(self, url: Any, *, data: Any = None, **kwargs: Any) -> Any:  # type: ignore[override]
        if not str(url).startswith("/api/") and "content" not in kwargs:
            if FORM_COOKIE not in self.cookies:
                self.get("/static/app.css")
            data = data or {}
            fields = list(data.items()) if isinstance(data, dict) else list(data)
            if not any(name == FORM_FIELD for name, _ in fields):
                data = {**dict(fields), FORM_FIELD: self.cookies[FORM_COOKIE]}
        return super().post(url, data=data, **kwargs)


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    with PageClient(create_app(settings)) as test_client:
        yield test_client


@pytest.fixture(params=BACKENDS)
def any_db_client(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[TestClient]:
    """The web app on a fresh SQLite file, and again on PostgreSQL when the
    environment offers a scratch database (CI does)."""
    url = fresh_url(request.param, tmp_path / "web.sqlite3")
    with PageClient(create_app(Settings(database_url=url))) as test_client:
        yield test_client
