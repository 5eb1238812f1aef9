"""This machine's time zone, by name (the TZ variable, else the system's), which
the adapters use to read times typed without an offset and to show times.
A zone that cannot be found falls back to UTC, and ``unknown_zone`` says so,
so that the CLI and the server can tell the person rather than shift their
times silently."""

from __future__ import annotations

import functools
import os
from zoneinfo import ZoneInfo


@functools.cache
def _find() -> tuple[ZoneInfo, str | None]:
    import tzlocal

    try:
        zone = tzlocal.get_localzone()
    except Exception:
        return ZoneInfo("UTC"), os.environ.get("TZ") or "the system's time zone"
    if isinstance(zone, ZoneInfo):
        return zone, None
    return ZoneInfo("UTC"), str(zone)


def local_zone() -> ZoneInfo:
    return _find()[0]


def unknown_zone() -> str | None:
    """One line for the person when their time zone setting is not known, else None."""
    failed = _find()[1]
    if failed is None:
        return None
    return (f"the time zone {failed!r} is not one this computer knows (use a name such as "
            "Europe/London); times are read and shown in UTC")
