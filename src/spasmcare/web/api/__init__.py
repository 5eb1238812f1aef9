"""The JSON API under /api/: one router per resource."""

from fastapi import APIRouter

from spasmcare.web.api import (
    ask,
    entries,
    episodes,
    exports,
    insights,
    knowledge,
    plan,
    sessions,
    settings,
    triage,
)

api_router = APIRouter()
for router in (triage.router, plan.router, episodes.router, entries.pain_router,
               sessions.router, entries.medicines_router, entries.habits_router,
               insights.router, knowledge.router, settings.router, ask.router,
               exports.router):
    api_router.include_router(router)
