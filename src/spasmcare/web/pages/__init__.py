"""The HTML pages: one module per page type, each with its own router."""

from spasmcare.web import routing
from spasmcare.web.pages import (
    adding,
    api_docs,
    corrections,
    diary,
    home,
    insights,
    learn,
    offline,
    plan,
    prevention,
    report,
    settings,
    timer,
    triage,
    unlock,
)

PAGE_ROUTERS = tuple(module.router for module in (
    home, triage, plan, timer, diary, adding, corrections, insights, learn, prevention, report,
    settings, offline, unlock, api_docs))
pages_router = routing.router(include_in_schema=False)
for page_router in PAGE_ROUTERS:
    pages_router.include_router(page_router)
