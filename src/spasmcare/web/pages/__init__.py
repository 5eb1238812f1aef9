"""The HTML pages: one module per page type, each with its own router."""

from fastapi import APIRouter

from spasmcare.web.pages import (
    api_docs,
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

pages_router = APIRouter(include_in_schema=False)
for module in (home, triage, plan, timer, diary, insights, learn, prevention, report, settings,
               offline, unlock, api_docs):
    pages_router.include_router(module.router)
