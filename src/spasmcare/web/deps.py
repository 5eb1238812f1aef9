"""What routes are given: the knowledge base, the person's diary, the time.

FastAPI runs a plain ``def`` dependency in its thread pool, a hand-over that
costs more than these take, so those that neither wait nor block are
``async`` and run on the event loop at once. The diary's store reads the
database only when the route first uses it (see ``web.routing``)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import Depends, Request
from starlette.datastructures import FormData

from spasmcare.core.knowledge import KnowledgeBase
from spasmcare.local_zone import local_zone
from spasmcare.store.diary import DiaryStore


async def get_knowledge(request: Request) -> KnowledgeBase:
    return request.app.state.knowledge  # type: ignore[no-any-return]


async def get_store(request: Request) -> DiaryStore:
    """The diary of the person using the app. In this local-first version the
    app serves the one person whose machine it runs on. The store finds the
    person on first use, in the route's own turn in the thread pool."""
    return DiaryStore.for_local_user(request.app.state.engine)


async def get_form(request: Request) -> FormData:
    """The posted form. Reading it waits for the body, which the event loop
    does best, so that the route itself can be a plain ``def`` that reads
    and writes the diary in the thread pool."""
    return await request.form()


async def get_now() -> datetime:
    return datetime.now(local_zone())


KnowledgeDep = Annotated[KnowledgeBase, Depends(get_knowledge)]
StoreDep = Annotated[DiaryStore, Depends(get_store)]
NowDep = Annotated[datetime, Depends(get_now)]
FormDep = Annotated[FormData, Depends(get_form)]
