"""Bad requests get a 4xx with a clear message, never a 500 or a traceback.

API routes (under /api/) answer JSON ``{"detail": "..."}``; pages answer a
small HTML page saying what was wrong."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.exceptions import HTTPException

from spasmcare.core.errors import BadInput, Conflict, NotFound, said_of


def install(app: FastAPI) -> None:
    app.add_exception_handler(BadInput, _bad_input)
    app.add_exception_handler(NotFound, _not_found)
    app.add_exception_handler(Conflict, _conflict)
    app.add_exception_handler(RequestValidationError, _invalid_request)
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(Exception, _unexpected)


def describe_validation(err: RequestValidationError) -> str:
    first = err.errors()[0]
    if first.get("type") == "json_invalid":
        return "the request body is not valid JSON"
    where = ".".join(str(p) for p in first.get("loc", ()) if p not in ("body", "query", "path"))
    return said_of(where, first)


async def _bad_input(request: Request, exc: Exception) -> Response:
    return _answer(request, 400, str(exc))


async def _not_found(request: Request, exc: Exception) -> Response:
    return _answer(request, 404, str(exc))


async def _conflict(request: Request, exc: Exception) -> Response:
    return _answer(request, 409, str(exc))


async def _invalid_request(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    return _answer(request, 422, describe_validation(exc))


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    headers = exc.headers
    if exc.status_code == 405:
        headers = {**(headers or {}), "Allow": ", ".join(_allowed(request))}
    return _answer(request, exc.status_code, str(exc.detail), headers)


def _allowed(request: Request) -> list[str]:
    """The methods the app answers on this path, from its OpenAPI document
    (Starlette names only the first route's when routers are included)."""
    import re

    app = request.app
    paths = getattr(app.state, "allowed_methods", None)
    if paths is None:
        paths = app.state.allowed_methods = [
            (re.compile("^" + re.sub(r"\{[^}]+\}", "[^/]+", path) + "$"),
             sorted(m.upper() for m in operations))
            for path, operations in app.openapi().get("paths", {}).items()]
    found = sorted({m for pattern, methods in paths if pattern.match(request.url.path)
                    for m in methods})
    return found or ["GET"]


async def _unexpected(request: Request, exc: Exception) -> Response:
    return _answer(request, 500, "Something went wrong on our side; nothing was saved.")


def _answer(request: Request, status: int, message: str,
            headers: dict[str, str] | None = None) -> Response:
    """The error as JSON (the API) or a small page, with the protective
    headers (a 500 is answered outside the guard that adds them)."""
    from spasmcare.web.security import error_page, protective_headers

    path = request.url.path
    headers = {**{k.decode(): v.decode() for k, v in protective_headers(path)},
               **(headers or {})}
    if path.startswith("/api/"):
        return JSONResponse({"detail": message}, status_code=status, headers=headers)
    return HTMLResponse(error_page(message), status_code=status, headers=headers)
