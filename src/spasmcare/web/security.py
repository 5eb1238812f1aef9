"""What stands between the browser and the diary. The diary is health data and
the browser is hostile: any website the person visits can make their browser
send requests to 127.0.0.1. One ASGI middleware, ``Guard``, checks every
request before any route sees it:

- the Host header must name this app (DNS rebinding: a page on evil.example
  whose name is re-pointed at 127.0.0.1 sends ``Host: evil.example``);
- without a passphrase, only this machine may connect;
- a request that may change something must come from this app's own pages:
  ``Sec-Fetch-Site`` and ``Origin``, when the browser sends them, must say
  same-origin; the API takes no body a cross-site form can send (forms send
  form-encoded, multipart or plain text, never JSON without CORS, which the
  app never grants); and every form post on the pages carries the
  per-browser form token that the page was rendered with (a double-submit
  cookie, signed so that a cookie planted by another app on 127.0.0.1
  cannot stand in for it);
- a body may not be larger than ``max_body_bytes``;
- with a passphrase set (required when listening beyond this machine), nothing
  but the unlock page and the static files is served until the browser has
  given it, and wrong guesses are slowed.

Every response gets the headers that keep pages from being framed, sniffed,
leaking their address or running script from anywhere but the app.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import ipaddress
import json
import re
import secrets
from collections.abc import Awaitable, Callable, MutableMapping
from html import escape
from typing import Any
from urllib.parse import quote, urlsplit

from spasmcare.settings import Settings, host_name
from spasmcare.web.passphrase import Lock

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

FORM_COOKIE = "spasmcare_form"
FORM_FIELD = "form_token"
UNLOCK_COOKIE = "spasmcare_unlock"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# Content types a page on another site can send without asking first (CORS
# "simple requests"): the API refuses them, so that only the app's own
# scripts, which send JSON, can write through it.
# The page form that imports an export takes a file as large as an import
# may be, with room for the form around it; every other body keeps the limit.
IMPORT_PATH = "/report/import"
IMPORT_FORM_BYTES = 64 * 1024
SIMPLE_BODIES = ("application/x-www-form-urlencoded", "multipart/form-data", "text/plain")
# Served to a locked browser: the unlock page and what it is drawn with.
OPEN_WHEN_LOCKED = frozenset({"/unlock", "/manifest.webmanifest", "/sw.js"})
LOCKED_BODY_BYTES = 16 * 1024
BODY_SECONDS = 30  # a body trickled slower than this holds memory for nothing
TOKEN = re.compile(r"[A-Za-z0-9_-]{43}\.[0-9a-f]{32}")

CSP = "; ".join([
    "default-src 'none'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:",
    "font-src 'self'", "connect-src 'self'", "manifest-src 'self'", "worker-src 'self'",
    "form-action 'self'", "frame-ancestors 'none'", "base-uri 'none'",
])
# Swagger UI sets style attributes in the markup it builds; the docs page
# alone allows inline style (still no inline script).
DOCS_CSP = CSP.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")
HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    # Not "no-referrer": with it Chromium sends "Origin: null" on the app's own
    # form posts. "same-origin" still tells other sites nothing.
    (b"referrer-policy", b"same-origin"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=(), interest-cohort=()"),
]


def protective_headers(path: str) -> list[tuple[bytes, bytes]]:
    """The headers every response carries, for a response to ``path``."""
    policy = DOCS_CSP if path == "/api/docs" else CSP
    extra = [(b"cache-control", b"no-store")] if path.startswith("/api/") else []
    return [*HEADERS, (b"content-security-policy", policy.encode()), *extra]


def error_page(message: str) -> str:
    """The small HTML page that says what was wrong, for pages (not the API)."""
    return (f"<!doctype html><html lang='en'><meta charset='utf-8'><meta name='viewport' "
            f"content='width=device-width,initial-scale=1'><title>SpasmCare</title>"
            f"<link rel='stylesheet' href='/static/app.css'><main class='page'>"
            f"<h1>That did not work</h1><p role='alert'>{escape(message)}</p>"
            f"<p><a href='/'>Back to the start</a></p></main></html>")


class Refused(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status, self.message = status, message


class _Locked(Exception):
    pass


class Guard:
    """The ASGI middleware described in the module's docstring."""

    def __init__(self, app: ASGIApp, settings: Settings, lock: Lock) -> None:
        self.app = app
        self.hosts = settings.host_names()
        self.max_body = settings.body_limit()
        self.lock = lock
        self.secret = secrets.token_bytes(32)  # signs form tokens for this process

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "websocket":  # the app has none; refuse rather than guard
            await send({"type": "websocket.close", "code": 1008})
            return
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        try:
            headers = _headers(scope)
        except Refused as refused:
            await _refuse(scope, send, refused)
            return
        path: str = scope["path"]
        cookies = _cookies(headers.get("cookie", ""))
        token = cookies.get(FORM_COOKIE, "")
        known = self._signed(token)
        if not known:  # the API renders no forms: a token is made for the pages only
            token = "" if path.startswith("/api/") else self._new_token()
        scope.setdefault("state", {})["form_token"] = token
        try:
            self._check_host(headers)
            self._check_client(scope)
            if self.lock.enabled and not _open_when_locked(path):
                self._check_unlocked(headers, cookies, scope)
            if scope["method"] not in SAFE_METHODS:
                self._check_same_origin(scope, headers)
                limit = self._body_limit(path, cookies)
                self._check_size(headers, limit)
                receive = await self._checked_body(scope, receive, headers, known, limit)
        except Refused as refused:
            await _refuse(scope, send, refused)
            return
        except _Locked:
            await _to_unlock(scope, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                extra = protective_headers(path)
                if not known and not path.startswith("/api/"):
                    extra.append((b"set-cookie", _cookie(FORM_COOKIE, token, scope)))
                present = {name.lower() for name, _ in message.get("headers", [])}
                message["headers"] = [*message.get("headers", []),
                                      *[(n, v) for n, v in extra
                                        if n not in present or n == b"set-cookie"]]
            await send(message)

        await self.app(scope, receive, send_with_headers)

    # --- form tokens -----------------------------------------------------------

    def _new_token(self) -> str:
        nonce = secrets.token_urlsafe(32)
        return f"{nonce}.{self._signature(nonce)}"

    def _signature(self, nonce: str) -> str:
        return hmac.new(self.secret, nonce.encode(), hashlib.sha256).hexdigest()[:32]

    def _signed(self, token: str) -> bool:
        if not TOKEN.fullmatch(token):
            return False
        nonce, signature = token.split(".")
        return hmac.compare_digest(signature.encode(), self._signature(nonce).encode())

    # --- the checks ----------------------------------------------------------

    def _check_host(self, headers: dict[str, str]) -> None:
        name = host_name(headers.get("host", ""))
        if name not in self.hosts:
            shown = name or "(none)"
            raise Refused(400, f"this app does not answer to the host name {shown!r}; "
                               f"open it at http://127.0.0.1 or a name set in "
                               f"SPASMCARE_ALLOWED_HOSTS")

    def _check_client(self, scope: Scope) -> None:
        """Without a passphrase, only this machine may connect, whatever
        address the server was started on."""
        client = scope.get("client")
        if self.lock.enabled or not client:
            return
        try:
            loopback = ipaddress.ip_address(client[0]).is_loopback
        except ValueError:  # not an address (a test client's name, a socket path)
            loopback = True
        if not loopback:
            raise Refused(403, "this diary has no passphrase, so it answers only on this "
                               "machine; start it with SPASMCARE_PASSPHRASE to open it to "
                               "your network")

    def _check_same_origin(self, scope: Scope, headers: dict[str, str]) -> None:
        site = headers.get("sec-fetch-site")
        if site is not None and site not in ("same-origin", "none"):
            raise Refused(403, f"refused: the request came from another site "
                               f"(Sec-Fetch-Site: {site}); nothing was changed")
        origin = headers.get("origin")
        if origin is None or (origin == "null" and site == "same-origin"):
            return  # no Origin, or one hidden by a strict referrer setting of our own page
        own = f"{scope.get('scheme', 'http')}://{headers.get('host', '')}".lower()
        parts = urlsplit(origin.lower()) if origin != "null" else None
        if parts is None or f"{parts.scheme}://{parts.netloc}" != own:
            raise Refused(403, f"refused: the request came from another site "
                               f"(Origin: {origin[:80]}); nothing was changed")

    def _body_limit(self, path: str, cookies: dict[str, str]) -> int:
        """A locked diary takes only small bodies (the unlock form) from a
        browser that has not given the passphrase."""
        if self.lock.enabled and not self.lock.unlocked(cookies.get(UNLOCK_COOKIE)):
            return min(self.max_body, LOCKED_BODY_BYTES)
        if path == IMPORT_PATH:  # an export brought back: as large as the CLI takes
            from spasmcare.exports.formats import MAX_IMPORT_BYTES

            return max(self.max_body, MAX_IMPORT_BYTES + IMPORT_FORM_BYTES)
        return self.max_body

    def _check_size(self, headers: dict[str, str], limit: int) -> None:
        length = headers.get("content-length")
        if length is not None:
            if not (length.isascii() and length.isdigit()):
                raise Refused(400, "the Content-Length header is not a number")
            if int(length) > limit:
                raise Refused(413, f"the request body is larger than the "
                                   f"{limit:,} bytes this app accepts")

    def _check_unlocked(self, headers: dict[str, str], cookies: dict[str, str],
                        scope: Scope) -> None:
        if self.lock.unlocked(cookies.get(UNLOCK_COOKIE)):
            return
        bearer = headers.get("authorization", "")
        if bearer.lower().startswith("bearer "):
            tried = self.lock.attempt((scope.get("client") or ("?",))[0], bearer[7:].strip())
            if tried == "wait":
                raise Refused(429, "too many wrong passphrases; wait a minute")
            if tried == "right":
                return
            raise Refused(401, "that is not the passphrase")
        if scope["path"].startswith("/api/") or scope["method"] not in SAFE_METHODS:
            raise Refused(401, "this diary is locked: unlock it at /unlock with its "
                               "passphrase (or send Authorization: Bearer <passphrase>)")
        raise _Locked

    async def _checked_body(self, scope: Scope, receive: Receive, headers: dict[str, str],
                            has_token: bool, limit: int) -> Receive:
        """The body, read whole within BODY_SECONDS (it is small: the limit is
        checked as it comes), with the API's content type and the pages' form
        token checked; then handed on to the app as if it had not been read."""
        body = bytearray()
        more = True
        try:
            async with asyncio.timeout(BODY_SECONDS):
                while more:
                    message = await receive()
                    if message["type"] == "http.disconnect":
                        raise Refused(400, "the connection closed before the request was "
                                           "complete")
                    body += message.get("body", b"")
                    if len(body) > limit:
                        raise Refused(413, f"the request body is larger than the "
                                           f"{limit:,} bytes this app accepts")
                    more = message.get("more_body", False)
        except TimeoutError:
            raise Refused(408, f"the request body did not arrive within {BODY_SECONDS} "
                               "seconds") from None
        kind = headers.get("content-type", "").split(";")[0].strip().lower()
        if scope["path"].startswith("/api/"):
            if kind in SIMPLE_BODIES:
                raise Refused(415, f"the API takes JSON (Content-Type: application/json), "
                                   f"not {kind}")
        else:
            given = await _form_field(scope, bytes(body), kind, FORM_FIELD)
            expected = scope["state"]["form_token"]
            if not (has_token and given is not None
                    and hmac.compare_digest(given.encode(), expected.encode())):
                raise Refused(403, "this form did not come from this app's own page, or the "
                                   "page is too old; go back, reload it and try again. "
                                   "Nothing was saved.")
        sent = False

        async def replay() -> Message:
            nonlocal sent
            if sent:
                return await receive()
            sent = True
            return {"type": "http.request", "body": bytes(body), "more_body": False}

        return replay


def _open_when_locked(path: str) -> bool:
    return path in OPEN_WHEN_LOCKED or path.startswith("/static/")


# Headers the checks read: sent twice, one part of the stack might read the
# first and another the last, so a request that repeats one is refused.
SINGLE = frozenset({"host", "origin", "sec-fetch-site", "content-type", "content-length",
                    "authorization"})


def _headers(scope: Scope) -> dict[str, str]:
    found: dict[str, str] = {}
    for raw_name, raw_value in scope["headers"]:
        name = raw_name.decode("latin-1").lower()
        if name in found and name in SINGLE:
            raise Refused(400, f"the request repeats the {name} header")
        found[name] = raw_value.decode("latin-1")
    return found


def _cookies(header: str) -> dict[str, str]:
    found = {}
    for part in header.split(";"):
        name, _, value = part.strip().partition("=")
        if name:
            found[name] = value
    return found


def _cookie(name: str, value: str, scope: Scope, max_age: int = 400 * 86400) -> bytes:
    secure = "; Secure" if scope.get("scheme") == "https" else ""
    return (f"{name}={value}; Path=/; Max-Age={max_age}; HttpOnly; SameSite=Strict"
            f"{secure}").encode()


async def _form_field(scope: Scope, body: bytes, kind: str, name: str) -> str | None:
    if kind not in ("application/x-www-form-urlencoded", "multipart/form-data"):
        return None
    from starlette.requests import Request

    async def once() -> Message:
        return {"type": "http.request", "body": body, "more_body": False}

    try:
        form = await Request(scope, once).form()
    except Exception:
        return None
    value = form.get(name)
    return value if isinstance(value, str) else None


async def _refuse(scope: Scope, send: Send, refused: Refused) -> None:
    if scope["path"].startswith("/api/"):
        body = json.dumps({"detail": refused.message}).encode()
        kind = b"application/json"
    else:
        body = error_page(refused.message).encode()
        kind = b"text/html; charset=utf-8"
    headers = [(b"content-type", kind), (b"content-length", str(len(body)).encode()),
               *protective_headers(scope["path"])]
    if not scope["path"].startswith("/api/"):
        headers.append((b"cache-control", b"no-store"))
    await send({"type": "http.response.start", "status": refused.status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


async def _to_unlock(scope: Scope, send: Send) -> None:
    target = scope["path"] + (("?" + scope["query_string"].decode("latin-1"))
                              if scope.get("query_string") else "")
    location = "/unlock?next=" + quote(target, safe="")
    headers = [(b"location", location.encode()), (b"content-length", b"0"),
               (b"cache-control", b"no-store"), *protective_headers(scope["path"])]
    await send({"type": "http.response.start", "status": 303, "headers": headers})
    await send({"type": "http.response.body", "body": b""})
