"""``spasmcare serve``: the web app and its JSON API."""

from __future__ import annotations

import typer

from spasmcare.cli import render


def serve_command(
    host: str = typer.Option(None, "--host", help="Address to listen on (default 127.0.0.1)."),
    port: int = typer.Option(None, "--port", help="Port to listen on (default 8000)."),
) -> None:
    """Start the web app on the diary's database (the embedded SQLite file by default)."""
    import uvicorn

    from spasmcare.settings import Settings
    from spasmcare.web.app import create_app

    settings = Settings.from_env()
    host = host or settings.host
    port = port or int(settings.port)
    render.say(f"SpasmCare is running at http://{host}:{port}/  (Ctrl-C to stop)")
    uvicorn.run(create_app(settings), host=host, port=port, log_level="warning")
