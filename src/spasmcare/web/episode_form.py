"""The "When did it start?" form that begins an episode: a quick button (just
now, an hour ago...) or a typed time, and optionally where it hurts and what
set it off. Every problem names its field (``FieldError``)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from spasmcare.core.clock import parse_instant, parse_onset
from spasmcare.core.diary_terms import Region, Side, Trigger
from spasmcare.core.errors import BadInput
from spasmcare.core.knowledge import Urgency
from spasmcare.local_zone import local_zone
from spasmcare.web.form_fields import FieldError, choice, optional_choice

# (button value, label): the values are what core.clock.parse_onset reads.
ONSET_CHOICES = (("now", "Just now"), ("1h", "1 hour ago"), ("3h", "3 hours ago"),
                 ("24h", "Yesterday"))
TYPED = "at"


def read_episode(form: Any, now: datetime, urgency: Urgency,
                 answers: dict[str, bool]) -> Any:
    """An Episode (not yet stored) from the form, or FieldError."""
    from spasmcare.core.diary import Episode, make

    onset = _onset(form, now)
    region, side = _spot(form)
    triggers: list[str] = []
    for raw in form.getlist("trigger"):
        value = choice(raw, "trigger", "What set it off", [t.value for t in Trigger])
        if value not in triggers:
            triggers.append(value)
    try:
        return make(Episode, now, onset=onset, region=region, side=side,
                    triggers=tuple(triggers), triage_urgency=urgency, triage_answers=answers)
    except BadInput as err:
        field = "onset_at" if form.get("onset") == TYPED else "onset"
        raise FieldError(field, str(err)) from None


# The body map: the back as seen from behind, a row for each part and a
# column for each side, as (region, side) by the spot's value.
SPOTS = {f"{r.value}-{c.value}": (r.value, c.value)
         for r in Region for c in (Side.LEFT, Side.CENTRE, Side.RIGHT)}


def _spot(form: Any) -> tuple[str | None, str | None]:
    """Where it hurts: the spot tapped on the body map (and "both sides"),
    or the region and side fields that the API-like form posts."""
    spot = optional_choice(form.get("spot"), "spot", "Where it hurts", list(SPOTS))
    if spot is None:
        region = optional_choice(form.get("region"), "region", "Where", [r.value for r in Region])
        side = optional_choice(form.get("side"), "side", "Side", [s.value for s in Side])
    else:
        region, side = SPOTS[spot]
    if form.get("both_sides"):
        side = Side.BOTH.value
    return region, side


def _onset(form: Any, now: datetime) -> datetime:
    pressed = choice(form.get("onset"), "onset", "When it started",
                     [v for v, _ in ONSET_CHOICES] + [TYPED])
    if pressed != TYPED:
        return parse_onset(pressed, now)
    typed = str(form.get("onset_at") or "").strip()
    if not typed:
        raise FieldError("onset_at", "Give the date and time it started, or tap one of the "
                                     "buttons such as 'Just now'.")
    try:
        return parse_instant(typed, "The time it started", local_zone())
    except BadInput as err:
        raise FieldError("onset_at", str(err)) from None
