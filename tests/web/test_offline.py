"""The installable app: its manifest, and a service worker that keeps the app
shell for when the connection drops."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient


def test_the_manifest_describes_an_installable_app(client: TestClient) -> None:
    r = client.get("/manifest.webmanifest")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("application/manifest+json")
    manifest = r.json()
    assert manifest["name"] == "SpasmCare"
    assert manifest["start_url"] == "/"
    assert manifest["display"] == "standalone"
    assert re.fullmatch(r"#[0-9a-f]{6}", manifest["theme_color"])
    types = {icon["type"] for icon in manifest["icons"]}
    assert {"image/svg+xml", "image/png"} <= types
    for icon in manifest["icons"]:
        got = client.get(icon["src"])
        assert got.status_code == 200 and got.headers["content-type"] == icon["type"]
    assert '<link rel="manifest" href="/manifest.webmanifest">' in client.get("/").text


def test_png_icons_are_real_pngs_of_the_stated_size(client: TestClient) -> None:
    for size in (192, 512):
        data = client.get(f"/static/icon-{size}.png").content
        assert data[:8] == b"\x89PNG\r\n\x1a\n"
        assert int.from_bytes(data[16:20], "big") == int.from_bytes(data[20:24], "big") == size


def test_the_service_worker_is_served_from_the_root(client: TestClient) -> None:
    r = client.get("/sw.js")
    assert r.status_code == 200
    assert r.headers["content-type"].split(";")[0] in ("text/javascript",
                                                       "application/javascript")
    assert r.headers["service-worker-allowed"] == "/"
    assert "__VERSION__" not in r.text
    assert 'navigator.serviceWorker.register("/sw.js")' in client.get(
        "/static/register-sw.js").text


def test_everything_the_worker_keeps_can_be_fetched(client: TestClient) -> None:
    source = client.get("/sw.js").text
    shell = re.search(r"const SHELL = \[(.*?)\];", source, re.S)
    assert shell is not None
    paths = re.findall(r'"(/[^"]*)"', shell.group(1))
    for needed in ("/", "/plan", "/static/app.css", "/static/timer.js", "/timer/ice",
                   "/timer/heat", "/timer/walk", "/timer/plank"):
        assert needed in paths
    for path in paths:  # one failure would stop the worker installing
        assert client.get(path).status_code == 200, path
