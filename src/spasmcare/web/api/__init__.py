"""The JSON API under /api/: one router per resource."""

from fastapi import APIRouter

api_router = APIRouter()
