"""How routes run (``web.routing``): a plain ``def`` endpoint in the thread
pool, in one hand-over, with its answer still checked against its model; and
no route that reaches the diary runs on the event loop."""

from __future__ import annotations

import inspect
import threading

from fastapi import APIRouter, FastAPI
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from pydantic import BaseModel

from spasmcare.web import routing
from spasmcare.web.api import API_ROUTERS
from spasmcare.web.deps import get_store
from spasmcare.web.pages import PAGE_ROUTERS


class Answer(BaseModel):
    thread: int
    score: int


def _app() -> tuple[FastAPI, APIRouter, dict[str, int]]:
    seen: dict[str, int] = {}
    router = routing.router()

    @router.get("/plain")
    def plain() -> Answer:
        return Answer(thread=threading.get_ident(), score=1)

    @router.get("/wrong")
    def wrong() -> Answer:
        return {"thread": threading.get_ident(), "score": "many"}  # type: ignore[return-value]

    @router.get("/async")
    async def on_loop() -> Answer:
        seen["loop"] = threading.get_ident()
        return Answer(thread=threading.get_ident(), score=2)

    app = FastAPI()
    app.include_router(router)
    return app, router, seen


def test_a_plain_endpoint_runs_off_the_event_loop() -> None:
    app, _, seen = _app()
    with TestClient(app) as client:
        loop = client.get("/async").json()["thread"]
        assert seen["loop"] == loop
        plain = client.get("/plain")
    assert plain.status_code == 200
    assert plain.json()["thread"] != loop


def test_the_answer_is_still_checked_against_its_model() -> None:
    app, _, _ = _app()
    with TestClient(app, raise_server_exceptions=False) as client:
        assert client.get("/wrong").status_code == 500


def test_the_endpoint_keeps_its_name_and_parameters() -> None:
    _, router, _ = _app()
    route = next(r for r in router.routes if isinstance(r, APIRoute) and r.path == "/plain")
    assert route.name == "plain"
    assert inspect.iscoroutinefunction(route.endpoint)
    assert route.response_model is Answer


def test_no_route_that_reaches_the_diary_runs_on_the_event_loop() -> None:
    """Reading or writing the database on the event loop would hold up every
    other request while it waits (on SQLite, for the write lock)."""
    routes = [r for router in (*API_ROUTERS, *PAGE_ROUTERS) for r in router.routes
              if isinstance(r, APIRoute)]
    assert {"/pain", "/diary/pain", "/plan/checkin"} <= {r.path for r in routes}
    on_loop = [r.path for r in routes
               if any(d.call is get_store for d in r.dependant.dependencies)
               and inspect.iscoroutinefunction(inspect.unwrap(r.endpoint))]
    assert not on_loop, on_loop
