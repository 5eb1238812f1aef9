"""The JSON API under /api/: one router per resource."""

from fastapi import APIRouter

from spasmcare.web.api import (
    ask,
    corrections,
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

# Each is included in the app itself under /api: FastAPI matches a request
# against every level of included routers, so one level fewer is a cheaper
# match on every request.
API_ROUTERS: tuple[APIRouter, ...] = (
    triage.router, plan.router, episodes.router, entries.pain_router, sessions.router,
    entries.medicines_router, entries.habits_router, insights.router, knowledge.router,
    settings.router, ask.router, exports.router, corrections.router)
