"""The report's detail: every record of the period, one table per kind, oldest
first. Medicines are listed by name only; the diary holds no doses and a
free-text note could, so medicine notes are left out."""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import CondPageBreak, Flowable, Table

from spasmcare.core.diary_terms import HABIT_UNITS
from spasmcare.core.report import Report
from spasmcare.exports.pdf_style import (
    CELL,
    CELL_ALERT,
    CELL_BOLD,
    FONT,
    HEADING,
    LABEL,
    SMALL,
    SUBHEADING,
    grid,
    moment,
    short,
    text,
)

Row = Sequence[Flowable]
KEEP_WITH_HEADING = 80        # points: room for a heading and a few rows
IMPACT = {"none": "no impact", "some": "some impact", "unable": "unable"}


def detail(report: Report, width: float) -> list[Flowable]:
    """The detail tables; the fonts must be registered (``register_fonts``)."""
    flow: list[Flowable] = [text("Detail: every record in the period", HEADING)]
    sections = (_episodes, _answers, _pain, _sessions, _medicines, _habits)
    for section in sections:
        flow += section(report, width)
    return flow


def _time() -> float:
    """A column wide enough for "22 Sep 2026 20:00" on one line."""
    return float(stringWidth("22 Sep 2026 20:00", FONT, 8)) + 10


def _table(title: str, header: Sequence[str], rows: Sequence[Row], widths: Sequence[float],
           width: float, note: str | None = None) -> list[Flowable]:
    """``widths`` in points for every column but the last, which takes the rest."""
    if not rows:
        return [CondPageBreak(KEEP_WITH_HEADING), text(title, SUBHEADING),
                text("None in this period.", SMALL)]
    cells = [[text(h, LABEL) for h in header], *map(list, rows)]
    # splitInRow: a row with a long note may run on over the next page.
    table = Table(cells, colWidths=[*widths, width - sum(widths)], repeatRows=1, splitInRow=1)
    table.setStyle(grid())
    # A heading is never left alone at the foot of a page.
    flow: list[Flowable] = [CondPageBreak(KEEP_WITH_HEADING), text(f"{title} ({len(rows)})",
                                                                   SUBHEADING), table]
    if note:
        flow.append(text(note, SMALL))
    return flow


def _episodes(report: Report, width: float) -> list[Flowable]:
    tz = report.tz
    rows = [[text(moment(e.onset, tz)), text(moment(e.ended_at, tz) if e.ended_at else "ongoing"),
             text(", ".join(v.value for v in (e.region, e.side) if v) or "–"),
             text(", ".join(t.value.replace("-", " ") for t in e.triggers) or "–"),
             text(e.triage_urgency.value if e.triage_urgency else "–"),
             text("; ".join(n for n in (e.trigger_note, e.note) if n))]
            for e in report.episodes]
    return _table("Episodes", ["Began", "Ended", "Where", "Triggers", "Triage result", "Notes"],
                  rows, [_time(), _time(), 64, 90, 52], width)


def _answers(report: Report, width: float) -> list[Flowable]:
    tz = report.tz
    rows = []
    for a in report.triage:
        answer = text("yes" if a.yes else "no", CELL_ALERT if a.red_flag else CELL)
        rows.append([text(short(a.onset, tz)), text(a.tier.value if a.tier else "–"),
                     text(a.question), answer])
    return _table("Warning-sign answers", ["Episode of", "Tier", "Question", "Answer"], rows,
                  [62, 56, width - 62 - 56 - 44], width,
                  note="Emergency and urgent signs answered yes are in red. An answer of "
                       "“not sure” is recorded as yes.")


def _pain(report: Report, width: float) -> list[Flowable]:
    tz = report.tz
    rows = [[text(moment(p.at, tz)), text(f"{p.pain}/10", CELL_BOLD), text(p.severity),
             text(IMPACT[p.impact]), text("–" if p.stiffness is None else f"{p.stiffness}/10"),
             text(p.mobility.value.replace("-", " ") if p.mobility else "–"),
             text(p.note or "")]
            for p in report.pain_entries]
    return _table("Pain scores", ["Time", "Pain", "Severity", "Daily activities", "Stiffness",
                                  "Mobility", "Note"], rows,
                  [_time(), 34, 50, 66, 52, 56], width)


def _sessions(report: Report, width: float) -> list[Flowable]:
    tz = report.tz
    rows = [[text(cell) for cell in (
                moment(s.started_at, tz), s.kind.value, f"{s.minutes:g}",
                "–" if s.pain_before is None else str(s.pain_before),
                "–" if s.pain_after is None else str(s.pain_after),
                "–" if s.relief is None else f"{s.relief:+d}".replace("+0", "0"),
                "yes" if s.completed else "no", s.note or "")]
            for s in report.sessions]
    return _table("Treatment sessions", ["Began", "Kind", "Minutes", "Pain before",
                                         "Pain after", "Relief", "Done", "Note"], rows,
                  [_time(), 50, 46, 44, 40, 38, 36], width,
                  note="Relief is pain before minus pain after: positive when the session "
                       "helped.")


def _medicines(report: Report, width: float) -> list[Flowable]:
    tz = report.tz
    rows = [[text(moment(m.at, tz)), text(m.name)] for m in report.medicines_taken]
    return _table("Medicines taken", ["Time", "Medicine (name only, no dose)"], rows,
                  [_time()], width)


def _habits(report: Report, width: float) -> list[Flowable]:
    tz = report.tz
    rows = [[text(cell) for cell in (moment(h.at, tz), h.kind.value, f"{h.amount:g}",
                                     HABIT_UNITS[h.kind])]
            for h in report.habit_logs]
    return _table("Habits", ["Time", "Habit", "Amount", "Unit"], rows, [_time(), 80, 60], width)
