"""``spasmcare serve``: the web app and its JSON API."""

from __future__ import annotations

import contextlib
import dataclasses
import socket
import sys

import typer

from spasmcare.cli import render
from spasmcare.core.errors import BadInput
from spasmcare.web.passphrase import check_passphrase


def serve_command(
    host: str = typer.Option(None, "--host", help="Address to listen on (default 127.0.0.1). "
                             "Anything else needs a passphrase (SPASMCARE_PASSPHRASE, or you "
                             "are asked for one)."),
    port: int = typer.Option(None, "--port", help="Port to listen on (default 8000)."),
    allow_host: list[str] = typer.Option(
        [], "--allow-host", help="A host name the app may be reached by, besides 127.0.0.1 "
        "and localhost (repeatable)."),
) -> None:
    """Start the web app on the diary's database (the embedded SQLite file by default)."""
    import uvicorn

    from spasmcare.settings import Settings
    from spasmcare.web.app import create_app

    settings = Settings.from_env()
    settings = dataclasses.replace(
        settings, host=host or settings.host, port=str(port or settings.port_number()),
        allowed_hosts=",".join([settings.allowed_hosts, *allow_host]).strip(","))
    addresses: list[str] = []
    if settings.listens_beyond_this_machine():
        settings = dataclasses.replace(settings, passphrase=_passphrase(settings.passphrase))
        addresses = _own_addresses() if settings.host in ("0.0.0.0", "::") else [settings.host]
        settings = dataclasses.replace(
            settings, allowed_hosts=",".join([settings.allowed_hosts, *addresses]).strip(","))
    app = create_app(settings)
    render.say(f"SpasmCare is running at http://{settings.host}:{settings.port}/  "
               "(Ctrl-C to stop)")
    for address in filter(_is_address, addresses):
        render.say(f"  from another device: http://{address}:{settings.port}/  "
                   "(it asks for the passphrase)")
    # No proxy headers: the app is never behind a proxy, and trusting
    # X-Forwarded-For from 127.0.0.1 would let any local process pose as
    # another address (and escape the passphrase's rate limit).
    uvicorn.run(app, host=settings.host, port=settings.port_number(), log_level="warning",
                proxy_headers=False, limit_concurrency=CONCURRENT_CONNECTIONS,
                timeout_keep_alive=5)


CONCURRENT_CONNECTIONS = 200  # beyond this, 503: a person's phone and laptop need a few


def _passphrase(given: str) -> str:
    """The passphrase from SPASMCARE_PASSPHRASE, or asked for in the terminal."""
    if not given:
        if not sys.stdin.isatty():
            raise BadInput("listening beyond this machine exposes the diary to the network: "
                           "set a passphrase in SPASMCARE_PASSPHRASE (or run in a terminal to "
                           "be asked for one)")
        given = typer.prompt("Choose a passphrase for other devices", hide_input=True,
                             confirmation_prompt=True)
    return check_passphrase(given)


def _is_address(text: str) -> bool:
    import ipaddress

    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def _own_addresses() -> list[str]:
    """This machine's names and addresses on the local network, which the
    Host header of a phone's request will carry."""
    found: list[str] = []
    name = socket.gethostname()
    candidates = [name.lower(), f"{name.lower()}.local"]
    # No packet is sent: connecting a UDP socket only picks the interface.
    with contextlib.suppress(OSError), socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.connect(("192.0.2.1", 9))
        candidates.append(probe.getsockname()[0])
    with contextlib.suppress(OSError):
        candidates += [info[4][0] for info in socket.getaddrinfo(name, None, socket.AF_INET)]
    for candidate in candidates:
        if candidate not in found and not candidate.startswith("127."):
            found.append(candidate)
    return found
