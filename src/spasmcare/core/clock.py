"""Reading times that people and programs type: ISO 8601 instants and HH:MM clock times."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, tzinfo

from spasmcare.core.errors import BadInput

# How far ahead of "now" a time may be and still count as now: clocks on a
# phone and a server, or two calls a moment apart, never agree exactly.
CLOCK_SKEW = timedelta(minutes=1)


def parse_instant(text: str, what: str) -> datetime:
    """An ISO 8601 date-time; one without an offset is read as local time.
    Raises BadInput naming ``what``."""
    try:
        value = datetime.fromisoformat(text.strip())
    except ValueError:
        raise BadInput(
            f"{what} must be an ISO 8601 date-time such as 2026-11-21T09:30 or "
            f"2026-11-21T09:30:00+00:00 (got {text!r})"
        ) from None
    if value.tzinfo is not None:
        return value
    try:
        return value.astimezone()
    except (OverflowError, ValueError):
        raise BadInput(f"{what} {text!r} is too far in the past or future") from None


def parse_clock(text: str, what: str) -> time:
    """An HH:MM wall-clock time. Raises BadInput naming ``what``."""
    try:
        hours, minutes = text.strip().split(":")
        if len(hours) != 2 or len(minutes) != 2:
            raise ValueError
        return time(int(hours), int(minutes))
    except ValueError:
        raise BadInput(f"{what} must be a time of day as HH:MM, such as 07:00 (got {text!r})") \
            from None


def hours_between(start: datetime, end: datetime) -> float:
    """Hours elapsed, in real time. Subtracting two times that share a
    ZoneInfo gives wall-clock time instead, an hour out across a change of
    the clocks; timestamps count real seconds (and are quick: planning asks
    thousands of times)."""
    return (end.timestamp() - start.timestamp()) / 3600


_UNITS = {"m": 1 / 60, "min": 1 / 60, "h": 1.0, "d": 24.0}


def parse_onset(text: str, now: datetime) -> datetime:
    """When a spasm began, typed as ``now``, a time ago (``30m``, ``3h``,
    ``2d``, optionally followed by ``ago``) or an ISO 8601 date-time."""
    cleaned = text.strip().lower().removesuffix("ago").strip()
    if cleaned in ("now", "just now"):
        return now
    for unit, hours in sorted(_UNITS.items(), key=lambda u: -len(u[0])):
        number = cleaned.removesuffix(unit).strip()
        if number != cleaned:
            try:
                amount = float(number)
            except ValueError:
                break
            if amount < 0:
                break
            return now - timedelta(hours=amount * hours)
    return parse_instant(text, "the onset")


def parse_period(start: str | None, end: str | None,
                 tz: tzinfo) -> tuple[datetime | None, datetime | None]:
    """A range [since, until) from what a person typed: dates (``2026-11-01``,
    whole days in ``tz``, the end date included) or ISO date-times. Either
    side may be missing; an end before the start is BadInput."""
    since = _bound(start, "--from", tz, next_day=False) if start else None
    until = _bound(end, "--to", tz, next_day=True) if end else None
    if since is not None and until is not None and until <= since:
        raise BadInput(f"the range is inverted: --to ({end}) is before --from ({start})")
    return since, until


def _bound(text: str, what: str, tz: tzinfo, *, next_day: bool) -> datetime:
    try:
        day = date.fromisoformat(text.strip())
    except ValueError:
        return parse_instant(text, what)
    if next_day:
        day += timedelta(days=1)
    return datetime.combine(day, time(), tzinfo=tz)
