"""``spasmcare insights`` (being written)."""

from __future__ import annotations

from spasmcare.core.errors import BadInput


def insights_command() -> None:
    """What your diary says: triggers, what helps, how often spasms come back."""
    raise BadInput("insights are not available yet")
