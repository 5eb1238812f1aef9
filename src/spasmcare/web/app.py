"""Building the web app. Nothing happens at import time: ``create_app(settings)``
makes the app, and the database is opened when the app starts."""

from __future__ import annotations

import gc
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from spasmcare.core.errors import BadInput
from spasmcare.core.loader import load_index, load_knowledge
from spasmcare.settings import Settings
from spasmcare.web import errors
from spasmcare.web.api import API_ROUTERS
from spasmcare.web.pages import api_docs, pages_router
from spasmcare.web.passphrase import Lock, check_passphrase
from spasmcare.web.security import Guard

STATIC = Path(__file__).resolve().parent / "static"


def create_app(settings: Settings | None = None) -> FastAPI:
    """The web app on the database ``settings`` name (the default SQLite file
    unless SPASMCARE_DATABASE_URL says otherwise)."""
    settings = settings or Settings.from_env()
    settings.body_limit()  # a bad setting is one line now, not an error at the first request
    if settings.listens_beyond_this_machine():
        if not settings.passphrase:
            raise BadInput("the web app would listen beyond this machine with no passphrase; "
                           "set SPASMCARE_PASSPHRASE (see the README)")
        check_passphrase(settings.passphrase)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        from spasmcare.store.database import open_engine

        app.state.knowledge = load_knowledge()
        app.state.engine = open_engine(settings.effective_database_url())
        _keep_out_of_collections()
        warming = threading.Thread(target=_warm_up, name="spasmcare-warm-up")
        warming.start()
        yield
        warming.join()
        app.state.engine.dispose()

    app = FastAPI(
        title="SpasmCare",
        summary="Back-spasm self-care: triage, care plan, diary, insights and a sourced "
                "knowledge base.",
        version="0.1.0",
        lifespan=lifespan,
        docs_url=None,  # served by pages.api_docs from local files
        openapi_url="/api/openapi.json",
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.lock = lock = Lock(settings.passphrase)
    errors.install(app)
    app.add_middleware(Guard, settings=settings, lock=lock)
    for router in API_ROUTERS:
        app.include_router(router, prefix="/api")
    app.include_router(pages_router)
    app.mount("/static/docs", StaticFiles(directory=api_docs.ASSETS), name="docs-assets")
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    return app


def _keep_out_of_collections() -> None:
    """What start-up built lives as long as the app: take it out of the
    garbage collector's sight, so that collections during requests stay short
    (they were the slow tail of the insights page)."""
    gc.collect()
    gc.freeze()


def _warm_up() -> None:
    """Build what answering a question needs (the search index, the embedding
    model and the safety screen's patterns: about half a second) once the app
    is already answering, so that the first page is not kept waiting for it.
    A question asked sooner waits for the same build (``load_index``)."""
    try:
        load_index()
        load_knowledge().safety_phrases.compiled()
    except Exception:  # the first question meets the same error, told in one line
        return
    _keep_out_of_collections()
