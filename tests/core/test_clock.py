from datetime import UTC, datetime, time, timedelta

import pytest

from spasmcare.core.clock import parse_clock, parse_instant, parse_onset, parse_period
from spasmcare.core.errors import BadInput

NOW = datetime(2026, 11, 21, 12, tzinfo=UTC)


def test_instant_with_offset_is_kept() -> None:
    assert parse_instant("2026-11-21T10:00:00+02:00", "x").utcoffset() == timedelta(hours=2)


def test_instant_without_offset_is_local() -> None:
    value = parse_instant("2026-11-21T10:00", "x")
    assert value.tzinfo is not None and value.hour == 10


@pytest.mark.parametrize("text", ["yesterday", "2026-02-30T10:00", "2026-11-21T25:00", ""])
def test_impossible_instants_are_refused(text: str) -> None:
    with pytest.raises(BadInput, match="ISO 8601"):
        parse_instant(text, "--onset")


@pytest.mark.parametrize("text", ["7:00", "24:00", "07:60", "noon", "0700"])
def test_bad_clock_times_are_refused(text: str) -> None:
    with pytest.raises(BadInput, match="HH:MM"):
        parse_clock(text, "--wake")


def test_clock_time() -> None:
    assert parse_clock("06:45", "--wake") == time(6, 45)


@pytest.mark.parametrize(
    ("text", "hours"),
    [("now", 0), ("3h", 3), ("3h ago", 3), ("2d", 48), ("90m", 1.5), ("1.5 h", 1.5)],
)
def test_relative_onsets(text: str, hours: float) -> None:
    assert parse_onset(text, NOW) == NOW - timedelta(hours=hours)


def test_onset_as_instant() -> None:
    assert parse_onset("2026-11-21T08:00:00+00:00", NOW).hour == 8


def test_negative_relative_onset_is_refused() -> None:
    with pytest.raises(BadInput):
        parse_onset("-3h", NOW)


def test_a_far_past_local_time_is_refused_cleanly() -> None:
    with pytest.raises(BadInput, match="before 1900"):
        parse_instant("0001-01-01T00:00", "--onset")


def test_a_period_of_dates_covers_whole_days_in_the_zone() -> None:
    from zoneinfo import ZoneInfo

    paris = ZoneInfo("Europe/Paris")
    since, until = parse_period("2026-11-01", "2026-11-21", paris)
    assert since == datetime(2026, 11, 1, tzinfo=paris)
    assert until == datetime(2026, 11, 22, tzinfo=paris)  # the end date is included


def test_a_period_may_be_open_and_may_use_times() -> None:
    assert parse_period(None, None, UTC) == (None, None)
    since, until = parse_period("2026-11-01T10:00+00:00", None, UTC)
    assert since == datetime(2026, 11, 1, 10, tzinfo=UTC) and until is None


@pytest.mark.parametrize(("start", "end", "fragment"), [
    ("2026-11-21", "2026-11-01", "inverted"),
    ("2026-11-21T12:00+00:00", "2026-11-21T12:00+00:00", "inverted"),
    ("2026-02-30", None, "--from must be"),
    (None, "last week", "--to must be"),
])
def test_a_bad_period_is_refused(start: str | None, end: str | None, fragment: str) -> None:
    with pytest.raises(BadInput, match=fragment):
        parse_period(start, end, UTC)


LONDON = "Europe/London"


@pytest.mark.parametrize("text", ["2026-03-29T01:00", "2026-03-29T01:30", "2026-03-29T01:59"])
def test_a_local_time_the_clocks_skipped_is_refused(text: str) -> None:
    from zoneinfo import ZoneInfo

    with pytest.raises(BadInput, match="clocks went forward"):
        parse_instant(text, "--at", ZoneInfo(LONDON))


def test_local_times_either_side_of_the_gap_keep_their_offsets() -> None:
    from zoneinfo import ZoneInfo

    zone = ZoneInfo(LONDON)
    before = parse_instant("2026-03-29T00:59", "--at", zone)
    after = parse_instant("2026-03-29T02:00", "--at", zone)
    assert before.utcoffset() == timedelta(0) and after.utcoffset() == timedelta(hours=1)
    assert (after - before) == timedelta(minutes=1)  # real time, not wall-clock time


@pytest.mark.parametrize("text", ["9999-12-31T23:00-05:00", "0001-01-01T00:00+05:00",
                                  "3000-01-01T00:00", "1899-12-31T23:59"])
def test_times_outside_the_diarys_years_are_refused(text: str) -> None:
    with pytest.raises(BadInput, match=r"before 1900|after 2999"):
        parse_instant(text, "--at")


@pytest.mark.parametrize(("start", "end"), [("0001-01-01", None), (None, "9999-12-31"),
                                            ("2026-01-01", "9999-12-31")])
def test_a_period_reaching_outside_the_diarys_years_is_refused(start: str | None,
                                                               end: str | None) -> None:
    with pytest.raises(BadInput, match=r"before 1900|after 2999"):
        parse_period(start, end, UTC)


def test_times_are_said_with_their_day_and_year_when_needed() -> None:
    from zoneinfo import ZoneInfo

    from spasmcare.core.clock import said_date_time, said_time

    zone = ZoneInfo("Europe/London")
    now = datetime(2026, 12, 7, 13, 0, tzinfo=zone)
    today = datetime(2026, 12, 7, 9, 5, tzinfo=UTC)
    this_year = datetime(2026, 11, 3, 14, 5, tzinfo=zone)
    last_year = datetime(2025, 11, 3, 14, 5, tzinfo=zone)
    assert said_time(today, now) == "09:05"
    assert said_time(this_year, now) == said_date_time(this_year, now) == "Tue 3 Nov 14:05"
    assert said_time(last_year, now) == "3 Nov 2025 14:05"
    assert said_date_time(today, now) == "Mon 7 Dec 09:05"
    # in the person's zone: 23:30 UTC on 31 Dec is already next year in Tokyo
    tokyo = datetime(2027, 1, 1, 12, tzinfo=ZoneInfo("Asia/Tokyo"))
    assert said_time(datetime(2026, 12, 31, 23, 30, tzinfo=UTC), tokyo) == "08:30"


def test_spans_and_minutes_are_said_as_people_say_them() -> None:
    from datetime import timedelta

    from spasmcare.core.clock import said_minutes, said_span

    assert said_span(timedelta(minutes=37)) == "37 minutes"
    assert said_span(timedelta(hours=0.61)) == "37 minutes"
    assert said_span(timedelta(minutes=61)) == "1 hour"
    assert said_span(timedelta(hours=30)) == "30 hours"
    assert said_span(timedelta(days=2.5)) == "2.5 days"
    assert said_span(timedelta(days=3)) == "3 days"
    assert said_minutes(1) == "1 minute" and said_minutes(32) == "32 minutes"
    assert said_minutes(60) == "1 hour" and said_minutes(90) == "1 hour 30 minutes"
