"""/api/docs: Swagger UI for the JSON API, drawn from files this app serves
itself (the fastapi-offline package's copy of Swagger UI), never from a CDN,
and started by a script file rather than inline script."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from fastapi.responses import HTMLResponse

from spasmcare.web import routing

router = routing.router()

ASSETS = Path(str(files("fastapi_offline") / "static"))
PAGE = """<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>SpasmCare API</title>
  <link rel="stylesheet" href="/static/docs/swagger-ui.css">
  <link rel="icon" href="/static/icon.svg" type="image/svg+xml">
</head>
<body>
  <div id="swagger-ui" data-openapi="/api/openapi.json"></div>
  <script src="/static/docs/swagger-ui-bundle.js"></script>
  <script src="/static/api-docs.js"></script>
</body>
</html>
"""


@router.get("/api/docs", response_class=HTMLResponse)
def api_docs() -> HTMLResponse:
    return HTMLResponse(PAGE)
