"""How the app's routes run: a plain ``def`` endpoint in the thread pool, in
one hand-over.

FastAPI hands a plain ``def`` endpoint to its thread pool, and then hands its
answer over again to check it against the response model; each hand-over
costs about as much as a small create's own work. ``Route`` runs such an
endpoint in the thread pool in one hand-over and lets FastAPI check the
answer on the event loop, where it is as quick as in the pool. Endpoints that
are ``async`` already are left as they are.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Any

from fastapi import APIRouter
from fastapi.routing import APIRoute
from starlette.concurrency import run_in_threadpool


class Route(APIRoute):
    def __init__(self, path: str, endpoint: Callable[..., Any], **kwargs: Any) -> None:
        if not inspect.iscoroutinefunction(endpoint):
            endpoint = _in_thread_pool(endpoint)
        super().__init__(path, endpoint, **kwargs)


def router(**kwargs: Any) -> APIRouter:
    """An ``APIRouter`` whose routes are ``Route``s."""
    return APIRouter(route_class=Route, **kwargs)


def _in_thread_pool(endpoint: Callable[..., Any]) -> Callable[..., Any]:
    # ``wraps`` keeps the signature and names that FastAPI reads the
    # parameters, dependencies and response model from.
    @functools.wraps(endpoint)
    async def run(*args: Any, **kwargs: Any) -> Any:
        return await run_in_threadpool(endpoint, *args, **kwargs)

    return run
