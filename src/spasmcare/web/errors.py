"""Bad requests get a 4xx with a clear message, never a 500 or a traceback.

API routes (under /api/) answer JSON ``{"detail": "..."}``; pages answer a
small HTML page saying what was wrong."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.exceptions import HTTPException

from spasmcare.core.errors import BadInput, Conflict, NotFound


def install(app: FastAPI) -> None:
    app.add_exception_handler(BadInput, _bad_input)
    app.add_exception_handler(NotFound, _not_found)
    app.add_exception_handler(Conflict, _conflict)
    app.add_exception_handler(RequestValidationError, _invalid_request)
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(Exception, _unexpected)


# What was wrong, in SpasmCare's words rather than the validation library's,
# by the error's type: each takes the value given and the error's context.
SAID: dict[str, Callable[[Any, dict[str, Any]], str]] = {
    "missing": lambda got, ctx: "is required",
    "less_than_equal": lambda got, ctx: f"must be {ctx['le']} or less (got {got!r})",
    "less_than": lambda got, ctx: f"must be less than {ctx['lt']} (got {got!r})",
    "greater_than_equal": lambda got, ctx: f"must be {ctx['ge']} or more (got {got!r})",
    "greater_than": lambda got, ctx: f"must be more than {ctx['gt']} (got {got!r})",
    "int_parsing": lambda got, ctx: f"must be a whole number (got {got!r})",
    "int_type": lambda got, ctx: f"must be a whole number (got {got!r})",
    "int_from_float": lambda got, ctx: f"must be a whole number (got {got!r})",
    "float_parsing": lambda got, ctx: f"must be a number (got {got!r})",
    "float_type": lambda got, ctx: f"must be a number (got {got!r})",
    "finite_number": lambda got, ctx: f"must be a number (got {got!r})",
    "bool_parsing": lambda got, ctx: f"must be true or false (got {got!r})",
    "bool_type": lambda got, ctx: f"must be true or false (got {got!r})",
    "string_type": lambda got, ctx: "must be text",
    "string_too_long": lambda got, ctx: f"must be at most {ctx['max_length']} characters",
    "string_too_short": lambda got, ctx: f"must be at least {ctx['min_length']} characters",
    "too_long": lambda got, ctx: f"must have at most {ctx['max_length']} items",
    "enum": lambda got, ctx: f"must be one of {ctx['expected']} (got {got!r})",
    "literal_error": lambda got, ctx: f"must be one of {ctx['expected']} (got {got!r})",
    "extra_forbidden": lambda got, ctx: "is not a field this request takes",
    "dict_type": lambda got, ctx: "must be a JSON object",
    "list_type": lambda got, ctx: "must be a JSON array",
    "model_attributes_type": lambda got, ctx: "must be a JSON object",
}


def describe_validation(err: RequestValidationError) -> str:
    first = err.errors()[0]
    if first.get("type") == "json_invalid":
        return "the request body is not valid JSON"
    where = ".".join(str(p) for p in first.get("loc", ()) if p not in ("body", "query", "path"))
    said = SAID.get(str(first.get("type")))
    try:
        message = (said(_shown(first.get("input")), first.get("ctx") or {}) if said
                   else str(first.get("msg", "is not valid")).removeprefix("Value error, "))
    except KeyError:  # a context without the bound: the library's words, then
        message = str(first.get("msg", "is not valid"))
    if not where:
        return message
    # "pain must be ...", but "answers: a sentence of its own"
    return f"{where} {message}" if message.startswith(FOLLOWS_NAME) else f"{where}: {message}"


FOLLOWS_NAME = ("must ", "is ", "cannot ", "has ", "needs ")


def _shown(value: Any) -> Any:
    """A value as a message shows it: short, and its type's name for a whole
    object or list."""
    if isinstance(value, dict | list):
        return type(value).__name__
    if isinstance(value, str) and len(value) > 40:
        return value[:37] + "..."
    return value


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
