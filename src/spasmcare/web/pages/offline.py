"""The installable, offline-capable app: the web app manifest, and the service
worker served from the root so that it may look after every page."""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path

from fastapi.responses import JSONResponse, Response

from spasmcare.web import routing

router = routing.router()

STATIC = Path(__file__).resolve().parent.parent / "static"
THEME = "#1d4e89"


@router.get("/manifest.webmanifest")
def manifest() -> Response:
    return JSONResponse({
        "name": "SpasmCare",
        "short_name": "SpasmCare",
        "description": "Back-spasm self-care: a warning-sign check, today's plan, timers "
                       "and a diary.",
        "id": "/",
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": THEME,
        "icons": [
            {"src": "/static/icon.svg", "sizes": "any", "type": "image/svg+xml"},
            {"src": "/static/icon-192.png", "sizes": "192x192", "type": "image/png"},
            {"src": "/static/icon-512.png", "sizes": "512x512", "type": "image/png"},
        ],
        "shortcuts": [
            {"name": "My back has just gone", "url": "/triage"},
            {"name": "Today's plan", "url": "/plan"},
            {"name": "Log pain", "url": "/diary"},
        ],
    }, media_type="application/manifest+json")


@router.get("/sw.js")
def service_worker() -> Response:
    return Response(_service_worker(), media_type="text/javascript",
                    headers={"Service-Worker-Allowed": "/", "Cache-Control": "no-cache"})


@functools.cache
def _service_worker() -> str:
    """The worker's source with a version that changes whenever a static file
    does, so that browsers install it afresh and refill its cache."""
    digest = hashlib.sha256()
    for path in sorted(STATIC.iterdir()):
        digest.update(path.name.encode() + path.read_bytes())
    return (STATIC / "sw.js").read_text(encoding="utf-8").replace(
        "__VERSION__", digest.hexdigest()[:12])
