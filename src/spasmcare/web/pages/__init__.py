"""The HTML pages: one module per page type, each with its own router."""

from fastapi import APIRouter

from spasmcare.web.pages import (
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
)

pages_router = APIRouter(include_in_schema=False)
for module in (home, triage, plan, timer, diary, insights, learn, prevention, report, settings,
               offline):
    pages_router.include_router(module.router)
