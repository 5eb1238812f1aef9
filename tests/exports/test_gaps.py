"""Days with nothing logged are gaps, never zeros: the web chart and the PDF
chart both break their line across them (core.gaps)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from reportlab.graphics.shapes import PolyLine

from spasmcare.core.diary import PainEntry, make
from spasmcare.core.gaps import not_logged, unbroken
from spasmcare.core.knowledge import KnowledgeBase
from spasmcare.core.report import build_report
from spasmcare.exports.pdf_chart import pain_chart
from spasmcare.exports.pdf_style import register_fonts

NOW = datetime(2026, 11, 21, 18, 0, tzinfo=UTC)


def _pain(days_ago: float, pain: int, episode: str | None = None) -> PainEntry:
    return make(PainEntry, NOW, at=NOW - timedelta(days=days_ago), pain=pain, severity="mild",
                episode_id=episode)


def test_days_without_a_score_after_the_first_are_not_logged() -> None:
    points = [_pain(5, 8), _pain(4.9, 7), _pain(2, 5), _pain(0.1, 3)]
    assert [d.isoformat() for d in not_logged(points, NOW - timedelta(days=9), NOW)] == [
        "2026-11-17", "2026-11-18", "2026-11-20"]
    assert not_logged(points, NOW - timedelta(hours=30), NOW) == []  # hours, not days
    assert not_logged([], NOW - timedelta(days=9), NOW) == []


def test_a_run_breaks_only_where_a_whole_day_has_no_score() -> None:
    points = [_pain(3.2, 8), _pain(2.9, 7), _pain(2.1, 6), _pain(0.5, 3)]  # 18, 18, 19, 21 Nov
    assert [[p.pain for p in run] for run in unbroken(points, UTC)] == [[8, 7, 6], [3]]


def test_the_pdf_line_does_not_cross_a_day_not_logged(kb: KnowledgeBase) -> None:
    from spasmcare.core.diary import Diary, Episode

    episode = make(Episode, NOW, onset=NOW - timedelta(days=6), triage_urgency="self-care")
    pain = [_pain(5, 8, episode.id), _pain(4.8, 7, episode.id), _pain(1, 4, episode.id),
            _pain(0.8, 3, episode.id)]
    report = build_report(Diary(episodes=[episode], pain_entries=pain), now=NOW, kb=kb, tz=UTC)
    register_fonts()
    drawing = pain_chart(report, 500, NOW - timedelta(days=7), NOW)
    lines = [shape for shape in drawing.contents if isinstance(shape, PolyLine)]
    assert [len(line.points) // 2 for line in lines] == [2, 2]
