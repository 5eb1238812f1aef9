"""The clinician's PDF report: its text read back with pypdf, its pages and
metadata, and its pages rendered to PNG (Debian's pdftoppm) under build/report
for people to look at."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from PIL import Image
from pypdf import PdfReader

from spasmcare.core.diary import Diary, Episode
from spasmcare.core.errors import BadInput
from spasmcare.core.loader import load_knowledge
from spasmcare.core.report import Report, build_report
from spasmcare.exports.pdf_report import DISCLAIMER, dumps
from spasmcare.exports.pdf_style import moment
from tests.report_diaries import (
    CYRILLIC_NOTE,
    NOW,
    ONSET,
    UNICODE_NOTE,
    long_report_diary,
    report_diary,
)

KB = load_knowledge()
BERLIN = ZoneInfo("Europe/Berlin")
RENDERED = Path(__file__).resolve().parents[2] / "build" / "report"
PDFTOPPM = shutil.which("pdftoppm") or "/usr/bin/pdftoppm"
A4_POINTS, LETTER_POINTS = (595.28, 841.89), (612.0, 792.0)


def make_report(diary: Diary | None = None, **kwargs: object) -> Report:
    return build_report(report_diary() if diary is None else diary, now=NOW, kb=KB, tz=BERLIN,
                        **kwargs)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def report() -> Report:
    return make_report()


@pytest.fixture(scope="module")
def a4(report: Report) -> bytes:
    return dumps(report)


def pages(data: bytes) -> list[str]:
    """Each page's text with runs of white space made single spaces."""
    return [re.sub(r"\s+", " ", page.extract_text()) for page in PdfReader(io.BytesIO(data)).pages]


def test_every_page_has_the_header_the_page_number_and_the_patient_reported_line(
        a4: bytes) -> None:
    texts = pages(a4)
    assert 3 <= len(texts) <= 6
    for number, page in enumerate(texts, start=1):
        assert "SpasmCare report" in page
        assert "22 Sep 2026 to 21 Nov 2026" in page
        assert f"Page {number} of {len(texts)}" in page
        assert DISCLAIMER in page


def test_the_first_page_holds_the_key_facts(a4: bytes, report: Report) -> None:
    first = pages(a4)[0]
    assert "summary for a clinician" in first
    assert "Ongoing, began 11 Nov 2026 19:00: 10 days" in first     # onset in Berlin time
    assert "Lower back, left side" in first
    assert "4/10, moderate" in first                                 # pain now
    assert "Improving: 8/10 at first (11 Nov 2026), 4/10 now (4 points lower)" in first
    assert "Over the last 7 days: 2 points lower" in first
    assert "Warning signs answered yes" in first
    assert "URGENT " + KB.triage.finding("fever").question in first
    assert "SOON " + KB.triage.finding("leg_pain_radiating").question in first
    assert "Ice 6 of 6 2.0 points Pain fell by 2.0 points on average over 6 sessions" in first
    assert "Heat 2 of 2 3.0 points 2 sessions: too few to tell" in first
    a = report.adherence
    assert f"{a.days_followed} of {a.days_planned} planned days" in first
    assert "Ibuprofen 3 times" in first and "paracetamol twice" in first
    assert "lifting, prolonged sitting (“carried boxes”)" in first


def test_no_dose_appears_anywhere(a4: bytes) -> None:
    assert not any("400 mg" in page for page in pages(a4))


def test_the_chart_page_and_the_detail(a4: bytes) -> None:
    texts = pages(a4)
    chart = texts[1]
    assert "Pain over time" in chart
    for label in ("0", "2", "4", "6", "8", "10", "Pain", "(0–10)", "Ice", "Heat", "Walk",
                  "Stretch", "Pain score", "Ice session", "Hollow mark: not completed"):
        assert label in chart
    assert re.search(r"\b\d{1,2} (Sep|Oct|Nov)\b", chart)              # dates on the time axis
    everything = " ".join(texts)
    for title in ("Episodes (2)", "Warning-sign answers (29)", "Pain scores (7)",
                  "Treatment sessions (14)", "Medicines taken (5)", "Habits (4)"):
        assert title in everything


def test_a_note_beyond_latin_1_is_printed_as_text(a4: bytes) -> None:
    everything = " ".join(pages(a4))
    assert UNICODE_NOTE in everything
    assert CYRILLIC_NOTE in everything  # DejaVu Sans has Cyrillic


def test_paper_sizes(report: Report, a4: bytes) -> None:
    letter = dumps(report, paper="Letter")
    for data, size in ((a4, A4_POINTS), (letter, LETTER_POINTS)):
        for page in PdfReader(io.BytesIO(data)).pages:
            box = page.mediabox
            assert (round(float(box.width), 2), round(float(box.height), 2)) == size
    assert "summary for a clinician" in pages(letter)[0]


@pytest.mark.parametrize("paper", ["A5", "", "letterhead"])
def test_an_unknown_paper_size_is_bad_input(report: Report, paper: str) -> None:
    with pytest.raises(BadInput, match=r"unknown paper size .*available: A4, Letter"):
        dumps(report, paper=paper)


def test_the_same_report_gives_the_same_bytes(report: Report, a4: bytes) -> None:
    assert dumps(report) == a4
    assert dumps(report, paper="Letter") != a4


def test_metadata_and_embedded_fonts_and_no_images(a4: bytes) -> None:
    reader = PdfReader(io.BytesIO(a4))
    meta = reader.metadata
    assert meta is not None
    assert meta.title == "SpasmCare report, 22 Sep 2026 to 21 Nov 2026"
    assert meta.author == "SpasmCare"
    assert meta.subject and "patient-reported" in meta.subject
    for page in reader.pages:
        resources = page["/Resources"]
        assert "/XObject" not in resources          # text is text, the chart is vectors
        for font in resources["/Font"].values():
            font = font.get_object()
            assert font["/Subtype"] == "/TrueType"
            assert "DejaVuSans" in font["/BaseFont"]
            assert "/FontFile2" in font["/FontDescriptor"]    # embedded, not a base-14 font


def test_an_empty_diary_gives_a_short_valid_report_that_says_so() -> None:
    data = dumps(make_report(Diary()))
    [page] = pages(data)
    assert "There is no data in this range" in page
    assert "21 Nov 2026 to 21 Nov 2026" in page and "Page 1 of 1" in page
    assert DISCLAIMER in page


def test_a_range_with_no_data_says_so_with_its_dates() -> None:
    data = dumps(make_report(since=datetime(2020, 1, 1, tzinfo=BERLIN),
                             until=datetime(2020, 2, 1, tzinfo=BERLIN)))
    [page] = pages(data)
    assert "1 Jan 2020 to 31 Jan 2020" in page and "There is no data in this range" in page


def test_without_red_flags_the_box_says_none_was_answered_yes() -> None:
    calm = Diary(episodes=[Episode(onset=ONSET, triage_answers={"fever": False})])
    first = pages(dumps(make_report(calm)))[0]
    assert "No emergency or urgent warning sign was answered yes" in first
    assert "Warning signs answered yes" not in first
    assert "No pain scores in this period" in first


def test_a_long_diary_flows_over_many_pages_without_losing_rows() -> None:
    # 85 days: still every record (core.digest), and far more rows than one
    # window of a paged table (pdf_table.WINDOW), so the windows must join up.
    diary = report_diary()
    start = NOW - timedelta(days=85)
    more = [p.model_copy(update={"id": f"{i:032x}", "at": start + timedelta(hours=7 * i),
                                 "episode_id": None})
            for i, p in enumerate(diary.pain_entries * 40)]
    diary.pain_entries += more
    texts = pages(dumps(make_report(diary)))
    everything = " ".join(texts)
    assert f"Pain scores ({len(diary.pain_entries)})" in everything
    assert len(texts) > 8 and f"Page {len(texts)} of {len(texts)}" in texts[-1]
    for p in more:
        assert moment(p.at, BERLIN) in everything, p.at
    assert everything.count("Time Pain Severity") == sum("Time Pain Severity" in t for t in texts)


def test_notes_longer_than_a_page_run_on_to_the_next() -> None:
    diary = report_diary()
    long_note = " ".join(f"word{i}" for i in range(330))         # under the 2000-character cap
    diary.pain_entries = [p.model_copy(update={"note": long_note}) for p in diary.pain_entries]
    diary.sessions[0] = diary.sessions[0].model_copy(update={"note": "x" * 2000})
    texts = pages(dumps(make_report(diary)))
    everything = " ".join(texts)
    assert "word0 " in everything and "word329" in everything
    assert "x" * 100 in everything.replace(" ", "")
    assert "word329" not in texts[0]                      # the first page clips long notes


@pytest.mark.skipif(not Path(PDFTOPPM).exists(), reason="pdftoppm (poppler-utils) not installed")
@pytest.mark.parametrize(("name", "paper", "diary"), [
    ("report-a4", "A4", None), ("report-letter", "Letter", None), ("report-empty", "A4", Diary()),
    ("report-by-week", "A4", long_report_diary()),
])
def test_pages_render_to_png_that_are_not_blank(name: str, paper: str,
                                                diary: Diary | None) -> None:
    RENDERED.mkdir(parents=True, exist_ok=True)
    for old in RENDERED.glob(f"{name}-*.png"):
        old.unlink()
    pdf = RENDERED / f"{name}.pdf"
    pdf.write_bytes(dumps(make_report(diary), paper=paper))
    subprocess.run([PDFTOPPM, "-r", "60", "-png", str(pdf), str(RENDERED / name)], check=True,
                   timeout=60)
    images = sorted(RENDERED.glob(f"{name}-*.png"))
    assert len(images) == len(PdfReader(pdf).pages)
    for path in images:
        with Image.open(path) as image:
            grey = image.convert("L")
            dark = sum(grey.histogram()[:200])       # pixels clearly darker than paper
            assert dark > 0.005 * grey.width * grey.height, path
            assert grey.width > 400 and grey.height > 400


def test_times_are_shown_in_the_report_time_zone() -> None:
    utc = pages(dumps(build_report(report_diary(), now=NOW, kb=KB, tz=UTC)))[0]
    assert "Ongoing, began 11 Nov 2026 18:00" in utc


def test_report_times_carry_their_year_when_it_is_not_this_year() -> None:
    from spasmcare.exports.pdf_style import short

    this_year = datetime.now(UTC).year
    assert short(datetime(this_year, 3, 4, 14, 5, tzinfo=UTC), UTC) == "4 Mar 14:05"
    assert short(datetime(2020, 3, 4, 14, 5, tzinfo=UTC), UTC) == "4 Mar 2020 14:05"


def test_records_corrected_after_logging_are_marked_edited() -> None:
    diary = report_diary()
    corrected = {diary.pain_entries[0].id, diary.sessions[0].id}
    text = pages(dumps(make_report(diary, edited=corrected)))
    assert "2 records were corrected by the person after being logged" in text[0]
    detail = " ".join(text[1:])
    assert detail.count("edited") >= 2 + 1  # each record, and the key under the heading
    plain = pages(dumps(make_report(diary)))
    assert "corrected" not in " ".join(plain) and "edited" not in " ".join(plain)
