"""``spasmcare timer`` (being written)."""

from __future__ import annotations

from spasmcare.core.errors import BadInput


def timer_command() -> None:
    """A live countdown for an ice, heat, plank or walking session."""
    raise BadInput("the timer is not available yet")
