"""The PDF report of a long period (summarised by week) and of a short one
(every record), read back from real PDFs with pypdf."""

from __future__ import annotations

import io
import re
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from pypdf import PdfReader

from spasmcare.core.diary import Diary
from spasmcare.core.loader import load_knowledge
from spasmcare.core.report import Report, build_report
from spasmcare.exports.pdf_report import dumps
from spasmcare.exports.pdf_style import moment
from tests.report_diaries import (
    MARCH_ANSWERS,
    MARKUP_NOTE,
    NOW,
    long_report_diary,
    report_diary,
)

KB = load_knowledge()
BERLIN = ZoneInfo("Europe/Berlin")


def make_report(diary: Diary, **kwargs: object) -> Report:
    return build_report(diary, now=NOW, kb=KB, tz=BERLIN, **kwargs)  # type: ignore[arg-type]


def text_of(data: bytes) -> list[str]:
    return [re.sub(r"\s+", " ", page.extract_text()) for page in PdfReader(io.BytesIO(data)).pages]


@pytest.fixture(scope="module")
def long_pages() -> list[str]:
    return text_of(dumps(make_report(long_report_diary())))


@pytest.fixture(scope="module")
def month() -> Report:
    return make_report(long_report_diary(), since=NOW - timedelta(days=30))


def test_a_long_range_says_what_is_summarised_and_how(long_pages: list[str]) -> None:
    everything = " ".join(long_pages)
    assert "Detail: the period week by week" in everything
    assert "This report covers 257 days, more than 92, so its pain scores, treatment " \
           "sessions, medicines and habits are summarised by week (Monday to Sunday" in everything
    assert "Episodes and warning-sign answers are not summarised: every one is listed" \
        in everything
    assert "By week: how many pain scores were recorded, the lowest, the median and the " \
           "highest" in everything
    assert "Detail: every record" not in everything


def test_the_summary_rows_carry_the_hand_worked_figures(long_pages: list[str]) -> None:
    everything = " ".join(long_pages)
    assert "Pain scores, by week (5 weeks, 12 in all)" in everything
    # Week, scores, lowest, median, highest, unable to do daily activities.
    assert "10 Mar – 15 Mar 2026 4 4 6.5 9 1" in everything
    assert "16 Mar – 22 Mar 2026 1 3 3 3 0" in everything       # 00:30 Monday in Berlin
    # Sessions, minutes, scored, mean relief, not completed, kinds.
    assert "10 Mar – 15 Mar 2026 3 45 2 +2.0 1 ice 1, heat 1, walk 1" in everything
    assert "10 Mar – 15 Mar 2026 2 Naproxen (2)" in everything
    assert "10 Mar – 15 Mar 2026 10 – 60 –" in everything     # water, walk, plank, breaks
    assert "500 mg" not in everything                          # never a dose
    assert "Pain scores (" not in everything                   # no list of every score


def test_red_flag_answers_are_listed_in_full_in_a_long_range(long_pages: list[str]) -> None:
    everything = " ".join(long_pages)
    assert "Warning signs answered yes" in long_pages[0]
    saddle = KB.triage.finding("saddle_numbness").question
    assert "EMERGENCY " + saddle in long_pages[0]
    for finding, yes in MARCH_ANSWERS.items():
        question = KB.triage.finding(finding).question
        assert f"10 Mar 10:00 {KB.triage.finding(finding).tier.value} {question} " \
               f"{'yes' if yes else 'no'}" in everything
    assert "Warning-sign answers (33)" in everything          # 29 of November, 4 of March
    assert "Episodes (3)" in everything


def test_user_text_with_markup_characters_prints_as_written(long_pages: list[str]) -> None:
    everything = " ".join(long_pages)
    assert everything.count(MARKUP_NOTE) == 2           # the episode's note and the pain note
    assert "stopped: <too> sore & stiff" in everything
    diary = report_diary()
    diary.pain_entries[-1] = diary.pain_entries[-1].model_copy(update={"note": MARKUP_NOTE})
    diary.episodes[0] = diary.episodes[0].model_copy(update={"note": MARKUP_NOTE})
    pages = text_of(dumps(make_report(diary)))           # 60 days: every record
    assert MARKUP_NOTE in pages[0]                      # the first page's episode note
    assert " ".join(pages[2:]).count(MARKUP_NOTE) == 2  # the episode and the pain score


def test_a_short_range_still_lists_every_record(month: Report) -> None:
    pages = text_of(dumps(month))
    everything = " ".join(pages)
    assert "Detail: every record in the period" in everything
    assert "by week" not in everything and "by day" not in everything
    assert f"Pain scores ({len(month.pain_entries)})" in everything
    assert f"Treatment sessions ({len(month.sessions)})" in everything
    for p in month.pain_entries:
        assert moment(p.at, BERLIN) in everything
    for s in month.sessions:
        assert moment(s.started_at, BERLIN) in everything
