"""/api/settings: the person's own settings (waking hours, units)."""

from __future__ import annotations

from spasmcare.core.errors import BadInput
from spasmcare.web import routing
from spasmcare.web.api.problems import problems
from spasmcare.web.api.schemas.diary import SettingsPublic, SettingsUpdate, settings_public
from spasmcare.web.deps import StoreDep

router = routing.router(prefix="/settings", tags=["settings"])


@router.get("")
def read_settings(diary: StoreDep) -> SettingsPublic:
    return settings_public(diary.settings())


@router.put("", responses=problems(400, 422))
def save_settings(body: SettingsUpdate, diary: StoreDep) -> SettingsPublic:
    """Replace the settings; the plan and insights use these waking hours."""
    if body.wake == body.sleep:
        raise BadInput("wake and sleep times must differ")
    diary.save_settings(body.person_settings())
    return settings_public(diary.settings())
