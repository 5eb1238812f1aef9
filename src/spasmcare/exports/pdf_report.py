"""The clinician's report as a PDF (reportlab): the summary page, the pain
chart, then the detail. Every page carries the date range, "Page N of M" and
the line that this is patient-reported data. The same report gives the same
bytes (reportlab's invariant mode), so the output can be compared."""

from __future__ import annotations

import io
from datetime import timedelta
from typing import Any

from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepTogether,
    PageBreak,
    PageTemplate,
)

from spasmcare.core.digest import Digest, digest
from spasmcare.core.errors import BadInput
from spasmcare.core.report import Report
from spasmcare.exports.pdf_chart import pain_chart
from spasmcare.exports.pdf_detail import detail
from spasmcare.exports.pdf_style import (
    BOLD,
    FONT,
    HEADING,
    MUTED,
    RULE,
    SMALL,
    SUBHEADING,
    day,
    period_words,
    register_fonts,
    text,
)
from spasmcare.exports.pdf_summary import summary

PAPERS = {"A4": A4, "Letter": LETTER}
MARGIN = 18 * mm
HEADER, FOOTER = 10 * mm, 10 * mm          # bands above and below the frame
DISCLAIMER = ("Patient-reported data from the SpasmCare self-care diary, not a clinical "
              "record.")
NAME = "SpasmCare report"
ZOOM_MARGIN = timedelta(hours=12)


def dumps(report: Report, *, paper: str = "A4") -> bytes:
    """The report as PDF bytes on ``paper`` ("A4" or "Letter"); BadInput otherwise."""
    size = next((v for k, v in PAPERS.items() if k.lower() == paper.strip().lower()), None)
    if size is None:
        raise BadInput(f"unknown paper size {paper!r}; available: {', '.join(PAPERS)}")
    register_fonts()
    period = period_words(report)
    buffer = io.BytesIO()
    doc = BaseDocTemplate(
        buffer, pagesize=size, invariant=1,
        leftMargin=MARGIN, rightMargin=MARGIN,
        topMargin=MARGIN + HEADER, bottomMargin=MARGIN + FOOTER,
        title=f"{NAME}, {period}", author="SpasmCare", creator="SpasmCare",
        subject="Back spasm diary: patient-reported data for a clinician",
        keywords="back spasm, pain diary, patient-reported", lang="en",
        initialFontName=FONT,
    )
    frame = Frame(doc.leftMargin, doc.bottomMargin, doc.width, doc.height, id="body",
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame])])
    doc.build(_story(report, doc.width), canvasmaker=_numbered(period))
    return buffer.getvalue()


def _story(report: Report, width: float) -> list[Flowable]:
    flow = summary(report, width)
    if report.empty:
        return flow
    summarised = digest(report)
    flow += [PageBreak(), text("Pain over time", HEADING)]
    start, end = report.period.start, min(report.period.end, report.generated_at)
    episode = report.episode
    if episode is not None and episode.episode.onset - start > (end - start) / 3:
        # The current episode would be a sliver at the right: show it on its own too.
        onset = episode.episode.onset
        stop = min(end, onset + episode.duration + ZOOM_MARGIN)
        # A heading is kept with its chart, never left at the foot of a page.
        flow += [KeepTogether([text(f"The episode that began {day(onset, report.tz)}",
                                    SUBHEADING), _chart_words(None),
                               pain_chart(report, width, onset - ZOOM_MARGIN, stop,
                                          plot_height=150)]),
                 KeepTogether([text("The whole period", SUBHEADING), _chart_words(summarised),
                               pain_chart(report, width, start, end, plot_height=110,
                                          summary=summarised)])]
    else:
        flow += [_chart_words(summarised),
                 pain_chart(report, width, start, end, summary=summarised)]
    return [*flow, PageBreak(), *detail(report, width, summarised)]


def _chart_words(summarised: Digest | None) -> Flowable:
    if summarised is None:
        return text("Each dot is a pain score the person recorded (0 no pain, 10 worst "
                    "imaginable); scores of one episode are joined by a line. Each mark in the "
                    "lanes below is a treatment session of that kind.", SMALL)
    unit = summarised.grain.value
    return text(f"The line is the median pain score of each {unit} (0 no pain, 10 worst "
                f"imaginable), in a band from the {unit}'s lowest score to its highest; it "
                f"breaks where a {unit} has no score. A bar in a lane below covers the "
                f"{unit}s with a treatment session of that kind.", SMALL)


def _numbered(period: str) -> type[Canvas]:
    """A canvas that holds its pages back until the end, so that each can say
    how many there are, and draws the header and footer on them."""

    class NumberedCanvas(Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._held: list[dict[str, Any]] = []

        def showPage(self) -> None:
            self._held.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            for number, state in enumerate(self._held, start=1):
                self.__dict__.update(state)
                self._decorate(number, len(self._held))
                super().showPage()
            super().save()

        def _decorate(self, number: int, total: int) -> None:
            width, height = self._pagesize
            top, bottom = height - MARGIN, MARGIN
            self.saveState()
            self.setFillColor(MUTED)
            self.setFont(BOLD, 8.5)
            self.drawString(MARGIN, top - 9, NAME)
            self.setFont(FONT, 8.5)
            self.drawRightString(width - MARGIN, top - 9, period)
            self.setStrokeColor(RULE)
            self.setLineWidth(0.6)
            self.line(MARGIN, top - 13, width - MARGIN, top - 13)
            self.line(MARGIN, bottom + 11, width - MARGIN, bottom + 11)
            self.setFont(FONT, 7.5)
            self.drawString(MARGIN, bottom + 2, DISCLAIMER)
            self.drawRightString(width - MARGIN, bottom + 2, f"Page {number} of {total}")
            self.restoreState()

    return NumberedCanvas
