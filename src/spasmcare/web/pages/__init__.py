"""The HTML pages: one module per page type, each with its own router."""

from fastapi import APIRouter

from spasmcare.web.pages import home

pages_router = APIRouter(include_in_schema=False)
pages_router.include_router(home.router)
