"""The person's settings: waking hours (the plan's day) and units."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from spasmcare.core.clock import parse_clock
from spasmcare.core.errors import BadInput
from spasmcare.store.diary import PersonSettings
from spasmcare.web import routing
from spasmcare.web.deps import FormDep, StoreDep
from spasmcare.web.form_fields import FieldError, choice
from spasmcare.web.pages.templates import templates

router = routing.router()

UNITS = (("metric", "Metric (°C, kg, km)"), ("imperial", "Imperial (°F, lb, miles)"))


@router.get("/settings", response_class=HTMLResponse)
def settings_page(request: Request, diary: StoreDep) -> Response:
    mine = diary.settings()
    return _page(request, {"wake": mine.wake, "sleep": mine.sleep, "units": mine.units},
                 saved="saved" in request.query_params)


@router.post("/settings", response_class=HTMLResponse)
def save_settings(request: Request, form: FormDep, diary: StoreDep) -> Response:
    values = {name: str(form.get(name) or "").strip() for name in ("wake", "sleep", "units")}
    try:
        diary.save_settings(_read(values))
    except FieldError as err:
        return _page(request, values, error=err, status=400)
    return RedirectResponse("/settings?saved=1", status_code=303)


def _read(values: dict[str, str]) -> PersonSettings:
    for name, label in (("wake", "Wake time"), ("sleep", "Bedtime")):
        try:
            parse_clock(values[name], label)
        except BadInput as err:
            raise FieldError(name, str(err)) from None
    if values["wake"] == values["sleep"]:
        raise FieldError("sleep", "Bedtime must differ from the wake time.")
    units = choice(values["units"], "units", "Units", [u for u, _ in UNITS])
    return PersonSettings(wake=values["wake"], sleep=values["sleep"], units=units)


def _page(request: Request, values: dict[str, Any], *, saved: bool = False,
          error: FieldError | None = None, status: int = 200) -> Response:
    return templates.TemplateResponse(request, "settings.html", {
        "values": values, "units": UNITS, "saved": saved, "error": error,
        "locked": request.app.state.lock.enabled,
    }, status_code=status)
