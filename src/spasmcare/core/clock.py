"""Reading times that people and programs type (ISO 8601 instants and HH:MM
clock times), and saying times back to people."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo

from spasmcare.core.errors import BadInput

# How far ahead of "now" a time may be and still count as now: clocks on a
# phone and a server, or two calls a moment apart, never agree exactly.
CLOCK_SKEW = timedelta(minutes=1)
# The years a diary's times may lie in. Beyond them there is nothing to
# record, and date arithmetic near year 1 or 9999 overflows.
EARLIEST_YEAR = 1900
LATEST_YEAR = 2999


def check_years(value: datetime | date, what: str) -> None:
    """BadInput unless ``value`` lies within EARLIEST_YEAR..LATEST_YEAR."""
    years = [value.year]
    if isinstance(value, datetime) and value.tzinfo is not None \
            and EARLIEST_YEAR <= value.year <= LATEST_YEAR:
        years.append(value.astimezone(UTC).year)  # as it is stored: 1900-01-01+23:59 is 1899
    if min(years) < EARLIEST_YEAR:
        raise BadInput(f"{what} {value.isoformat()} is before {EARLIEST_YEAR}")
    if max(years) > LATEST_YEAR:
        raise BadInput(f"{what} {value.isoformat()} is after {LATEST_YEAR}")


def parse_instant(text: str, what: str, tz: tzinfo | None = None) -> datetime:
    """An ISO 8601 date-time; one without an offset is local time in ``tz``
    (this machine's when None). A local time that does not exist, because the
    clocks went forward over it, is BadInput rather than silently moved.
    Raises BadInput naming ``what``."""
    try:
        value = datetime.fromisoformat(text.strip())
    except ValueError:
        raise BadInput(
            f"{what} must be an ISO 8601 date-time such as 2026-11-21T09:30 or "
            f"2026-11-21T09:30:00+00:00 (got {text!r})"
        ) from None
    check_years(value, what)
    if value.tzinfo is not None:
        return value
    if tz is None:
        return value.astimezone()
    return local_time(value, tz, what)


def local_time(value: datetime, tz: tzinfo, what: str) -> datetime:
    """The naive wall-clock ``value`` in ``tz``, with its offset fixed, or
    BadInput when that wall-clock time never happened there."""
    aware = value.replace(tzinfo=tz)
    fixed = aware.astimezone(timezone(aware.utcoffset() or timedelta(0)))
    if fixed.astimezone(tz).replace(tzinfo=None) != value:
        raise BadInput(f"{what} {value:%Y-%m-%d %H:%M} did not happen in {tz}: the clocks "
                       "went forward over it; give a time outside that hour, or with an "
                       "offset such as +01:00")
    return fixed


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


def parse_onset(text: str, now: datetime, tz: tzinfo | None = None) -> datetime:
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
            if not amount >= 0 or amount == float("inf"):  # negative, NaN or infinite
                break
            try:
                began = now - timedelta(hours=amount * hours)
            except OverflowError:
                raise BadInput(f"the onset {text.strip()!r} is further back than any diary "
                               f"goes (the year {EARLIEST_YEAR})") from None
            check_years(began, "the onset")
            return began
    return parse_instant(text, "the onset", tz)


def parse_period(start: str | None, end: str | None, tz: tzinfo,
                 names: tuple[str, str] = ("--from", "--to"),
                 ) -> tuple[datetime | None, datetime | None]:
    """A range [since, until) from what a person typed: dates (``2026-11-01``,
    whole days in ``tz``, the end date included) or ISO date-times. Either
    side may be missing; an end before the start is BadInput. Messages call
    the two ends by ``names``, as the interface they were typed into does."""
    first, last = names
    since = _bound(start, first, tz, next_day=False) if start else None
    until = _bound(end, last, tz, next_day=True) if end else None
    if since is not None and until is not None and until <= since:
        raise BadInput(f"the range is inverted: {last} ({end}) is before {first} ({start})")
    return since, until


def _bound(text: str, what: str, tz: tzinfo, *, next_day: bool) -> datetime:
    try:
        day = date.fromisoformat(text.strip())
    except ValueError:
        return parse_instant(text, what, tz)
    check_years(day, what)
    if next_day:
        day += timedelta(days=1)
    return datetime.combine(day, time(), tzinfo=tz)


def said_time(moment: datetime, now: datetime) -> str:
    """``moment`` as a person reads it beside ``now``, in ``now``'s zone: the
    clock time alone when it is today ("14:05"), else ``said_date_time``."""
    local = moment.astimezone(now.tzinfo)
    return f"{local:%H:%M}" if local.date() == now.date() else said_date_time(moment, now)


def said_date_time(moment: datetime, now: datetime) -> str:
    """``moment`` with its day, in ``now``'s zone, and with its year when that
    is not ``now``'s: "Mon 3 Nov 14:05", "3 Nov 2025 14:05"."""
    local = moment.astimezone(now.tzinfo)
    if local.year == now.year:
        return f"{local:%a} {local.day} {local:%b %H:%M}"
    return f"{local.day} {local:%b %Y %H:%M}"


def said_minutes(amount: float) -> str:
    """A duration as a person says it: "1 minute", "32 minutes", "1 hour",
    "1 hour 30 minutes"."""
    whole = round(amount)
    if abs(amount - whole) > 0.05:
        return f"{amount:.1f} minutes"
    hours, mins = divmod(whole, 60)
    if hours == 0:
        return f"{mins} minute{'s' if mins != 1 else ''}"
    said = f"{hours} hour{'s' if hours != 1 else ''}"
    return said + (f" {mins} minute{'s' if mins != 1 else ''}" if mins else "")


def said_span(span: timedelta) -> str:
    """A length of time as a person says it: "45 minutes", "1 hour",
    "30 hours", "2.5 days" (never "0.61 hours" or "1 hours")."""
    minutes = max(span.total_seconds(), 0) / 60
    if minutes < 59.5:
        return said_minutes(round(minutes))
    hours = round(minutes / 60)
    if hours < 48:
        return f"{hours} hour{'s' if hours != 1 else ''}"
    return f"{minutes / 1440:.1f}".removesuffix(".0") + " days"
