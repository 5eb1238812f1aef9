"""The clinician's report over hand-built diaries whose facts are worked out by hand."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from spasmcare.core.adherence import plan_adherence
from spasmcare.core.diary import Diary, Episode, PainEntry, TreatmentKind
from spasmcare.core.errors import BadInput
from spasmcare.core.insights import treatment_relief
from spasmcare.core.knowledge import Urgency
from spasmcare.core.loader import load_knowledge
from spasmcare.core.report import Report, Trend, build_report
from tests.report_diaries import CYRILLIC_NOTE, EARLIER, NOW, ONSET, UNICODE_NOTE, report_diary

KB = load_knowledge()
BERLIN = ZoneInfo("Europe/Berlin")


def report(diary: Diary | None = None, **kwargs: object) -> Report:
    return build_report(report_diary() if diary is None else diary, now=NOW, kb=KB, tz=BERLIN,
                        **kwargs)  # type: ignore[arg-type]


def scores(*points: tuple[float, int]) -> Diary:
    """An open episode at ONSET with pain scores at (days after onset, score)."""
    e = Episode(onset=ONSET)
    return Diary(episodes=[e], pain_entries=[
        PainEntry(at=ONSET + timedelta(days=d), episode_id=e.id, pain=p, severity="mild")
        for d, p in points])


def test_the_period_runs_from_the_first_record_to_now_in_the_given_zone() -> None:
    r = report()
    assert r.period.start == EARLIER and r.period.end == NOW
    assert r.period.start.tzinfo is BERLIN and r.generated_at.tzinfo is BERLIN
    assert (r.period.first_day.isoformat(), r.period.last_day.isoformat()) == (
        "2026-09-22", "2026-11-21")
    assert not r.empty


def test_the_episode_in_question_is_the_open_one_with_its_onset_and_duration() -> None:
    r = report()
    assert r.episode is not None
    assert r.episode.episode.onset == ONSET and r.episode.ongoing
    assert r.episode.duration == timedelta(days=10)
    assert r.episode.where == "lower back, left side"
    assert [e.onset for e in r.episodes] == [EARLIER, ONSET]


def test_pain_now_and_the_trend_of_the_current_episode() -> None:
    pain = report().pain
    assert pain is not None and pain.of_episode
    assert [p.pain for p in pain.scores] == [8, 7, 6, 6, 5, 4]   # the earlier 9 is not in it
    assert pain.latest.pain == 4 and pain.first.pain == 8 and pain.highest.pain == 8
    assert pain.lowest.pain == 4 and pain.change == -4
    assert pain.trend is Trend.IMPROVING
    assert pain.recent_change == -2           # 6 four days in, 4 at nine and a half
    assert pain.words == "improving: 8/10 at first, 4/10 now"


@pytest.mark.parametrize(("points", "trend", "recent"), [
    (((0, 5), (1, 6)), Trend.NO_BETTER, 1),
    (((0, 5), (1, 4)), Trend.NO_BETTER, -1),
    (((0, 3), (1, 6)), Trend.WORSE, 3),
    (((0, 7), (1, 5)), Trend.IMPROVING, -2),
    (((0, 6), (9, 6)), Trend.NO_BETTER, None),   # nine days apart: nothing recent to compare
    (((0, 6),), None, None),
])
def test_the_trend_in_plain_words(points: tuple[tuple[float, int], ...], trend: Trend | None,
                                  recent: int | None) -> None:
    pain = report(scores(*points)).pain
    assert pain is not None
    assert pain.trend is trend and pain.recent_change == recent
    if trend is None:
        assert pain.words == "one score so far: no trend yet"
    else:
        assert pain.words.startswith(trend.value + ":")


def test_pain_without_an_episode_is_taken_from_the_whole_period() -> None:
    pain = report(Diary(pain_entries=[
        PainEntry(at=NOW - timedelta(days=2), pain=3, severity="mild"),
        PainEntry(at=NOW - timedelta(days=1), pain=6, severity="moderate")])).pain
    assert pain is not None and not pain.of_episode and pain.trend is Trend.WORSE


def test_red_flags_are_the_yes_answers_to_emergency_and_urgent_findings() -> None:
    r = report()
    flags = r.red_flags
    assert [(a.finding, a.tier) for a in flags] == [("fever", Urgency.URGENT)]
    assert flags[0].question == KB.triage.finding("fever").question
    assert flags[0].onset == ONSET
    current = [a for a in r.triage if a.onset == ONSET]
    # Yes answers first, the more urgent tier first; then the no answers.
    assert [(a.finding, a.yes) for a in current[:2]] == [("fever", True),
                                                         ("leg_pain_radiating", True)]
    assert current[1].tier is Urgency.SOON and not current[1].red_flag
    assert all(not a.yes for a in current[2:])
    assert len(current) == 13 + 3
    assert r.triage[0].onset == ONSET and r.triage[-1].onset == EARLIER


def test_an_answer_about_a_finding_the_knowledge_base_lacks_is_kept_as_its_id() -> None:
    e = Episode(onset=ONSET, triage_answers={"retired_finding": True})
    [answer] = report(Diary(episodes=[e])).triage
    assert (answer.question, answer.tier, answer.red_flag) == ("retired_finding", None, False)


def test_relief_per_treatment_is_the_insights_figure() -> None:
    r = report()
    assert r.treatments == treatment_relief(report_diary().sessions)
    by_kind = {t.kind: t for t in r.treatments}
    assert by_kind[TreatmentKind.ICE].mean == 2.0 and not by_kind[TreatmentKind.ICE].too_few
    assert by_kind[TreatmentKind.HEAT].mean == 3.0 and by_kind[TreatmentKind.HEAT].too_few
    assert by_kind[TreatmentKind.WALK].mean is None and by_kind[TreatmentKind.WALK].logged == 5


def test_adherence_is_the_plan_check_over_the_episodes_of_the_period() -> None:
    d = report_diary()
    r = report(d, wake=time(8), sleep=time(22))
    expected = plan_adherence(sorted(d.episodes, key=lambda e: e.onset), d.sessions, NOW,
                              KB.careplan, time(8), time(22))
    assert r.adherence == expected
    assert 0 < r.adherence.days_followed < r.adherence.days_planned
    # Waking hours matter: going to bed at seven, the evening the earlier
    # episode began (at eight) is not a planned day.
    early = report(d, wake=time(8), sleep=time(19)).adherence
    assert early.days_planned == r.adherence.days_planned - 1


def test_medicines_have_names_counts_and_first_and_last_times_but_no_doses() -> None:
    r = report()
    assert [(m.name, m.count) for m in r.medicines] == [("Ibuprofen", 3), ("paracetamol", 2)]
    assert r.medicines[0].first == ONSET + timedelta(hours=1)
    assert r.medicines[0].last == ONSET + timedelta(hours=30)
    assert "400 mg" not in repr(r.medicines) and "400 mg" not in repr(r.rows)


def test_triggers_and_habits() -> None:
    r = report()
    assert [(t.trigger.value, t.episodes) for t in r.triggers] == [
        ("lifting", 1), ("prolonged-sitting", 1), ("sport", 1)]
    assert {h.kind.value: h.total for h in r.habits} == {"water": 18, "walk": 25}


def test_detail_rows_are_every_record_of_the_period_in_time_order() -> None:
    r = report()
    d = report_diary()
    assert len(r.rows) == d.count()
    assert [row.at for row in r.rows] == sorted(row.at for row in r.rows)
    assert r.rows[0].kind == "episode" and r.rows[0].at == EARLIER
    texts = [row.text for row in r.rows]
    assert any(UNICODE_NOTE in t for t in texts) and any(CYRILLIC_NOTE in t for t in texts)
    assert "pain 8/10, moderate; some impact on daily activities" in texts


def test_an_empty_diary_gives_an_empty_report() -> None:
    r = report(Diary())
    assert r.empty and r.episode is None and r.pain is None
    assert r.period.start == r.period.end == NOW
    assert r.triage == r.treatments == r.medicines == r.habits == r.rows == ()
    assert r.adherence.days_planned == 0


def test_a_range_keeps_only_its_records_and_the_episodes_it_overlaps() -> None:
    since = NOW - timedelta(days=5)
    r = report(since=since)
    assert r.period.start == since and r.period.end == NOW and not r.period.end_excluded
    assert [e.onset for e in r.episodes] == [ONSET]           # began earlier, still open
    assert [p.pain for p in r.pain_entries] == [6, 5, 4]      # from six days after onset
    assert [m.name for m in r.medicines] == ["Paracetamol"]
    assert r.pain is not None and r.pain.words == "improving: 6/10 at first, 4/10 now"


def test_a_range_around_the_earlier_episode_reports_on_it() -> None:
    until = datetime(2026, 10, 1, tzinfo=BERLIN)
    r = report(since=datetime(2026, 9, 20, tzinfo=BERLIN), until=until)
    assert r.period.end_excluded and r.period.last_day.isoformat() == "2026-09-30"
    assert r.episode is not None and r.episode.episode.onset == EARLIER
    assert not r.episode.ongoing and r.episode.duration == timedelta(days=5)
    assert r.pain is not None and r.pain.latest.pain == 9 and r.pain.trend is None
    assert r.medicines == () and r.red_flags == ()
    assert [s.kind.value for s in r.sessions] == ["stretch"]


def test_a_range_with_no_records_is_empty() -> None:
    r = report(since=datetime(2020, 1, 1, tzinfo=UTC), until=datetime(2020, 2, 1, tzinfo=UTC))
    assert r.empty and r.episode is None and r.pain is None
    assert r.period.first_day.isoformat() == "2020-01-01"


def test_without_an_end_a_record_a_moment_after_now_still_counts() -> None:
    # Clocks disagree by seconds: an episode begun "now" on the phone is not lost.
    e = Episode(onset=NOW + timedelta(seconds=30))
    assert [x.id for x in report(Diary(episodes=[e])).episodes] == [e.id]


def test_the_end_of_a_range_is_excluded() -> None:
    latest = max(p.at for p in report_diary().pain_entries)
    assert latest not in [p.at for p in report(until=latest).pain_entries]
    assert latest in [p.at for p in report(until=latest + timedelta(seconds=1)).pain_entries]


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"since": NOW, "until": NOW - timedelta(days=1)}, "the range is inverted"),
    ({"since": NOW, "until": NOW}, "the range is inverted"),
    ({"since": NOW + timedelta(days=1)}, "the range starts in the future"),
    ({"since": datetime(2026, 1, 1)}, "since must carry a time zone"),
    ({"until": datetime(2026, 1, 1)}, "until must carry a time zone"),
])
def test_bad_ranges_are_bad_input(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(BadInput, match=message):
        report(**kwargs)
