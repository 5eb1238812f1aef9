"""The report's detail, one table per kind, oldest first: every record of a
short period; for a long one (``core.digest``) the episodes and warning-sign
answers still in full and the rest by day or week (``pdf_digest``).
Medicines are listed by name only; the diary holds no doses and a free-text
note could, so medicine notes are left out."""

from __future__ import annotations

from datetime import datetime

from reportlab.platypus import Flowable

from spasmcare.core.diary import Record
from spasmcare.core.diary_terms import HABIT_UNITS
from spasmcare.core.digest import Digest
from spasmcare.core.report import Report
from spasmcare.exports.pdf_digest import digest_intro, digest_tables
from spasmcare.exports.pdf_style import (
    BOLD,
    CELL_ALERT,
    HEADING,
    SMALL,
    grid,
    moment,
    short,
    text,
    time_width,
)
from spasmcare.exports.pdf_table import section

IMPACT = {"none": "no impact", "some": "some impact", "unable": "unable"}


def detail(report: Report, width: float, summarised: Digest | None) -> list[Flowable]:
    """The detail tables, of every record or as ``summarised`` (``core.digest``);
    the fonts must be registered (``register_fonts``)."""
    if summarised is None:
        edited = ([text("“edited” under a time marks a record corrected after it was "
                        "logged; the app keeps what it said before.", SMALL)]
                  if report.edited_count else [])
        return [text("Detail: every record in the period", HEADING), *edited,
                *_episodes(report, width), *_answers(report, width), *_pain(report, width),
                *_sessions(report, width), *_medicines(report, width), *_habits(report, width)]
    return [*digest_intro(report, summarised), *_episodes(report, width),
            *_answers(report, width), *digest_tables(report, summarised, width)]


def _when(report: Report, record: Record, at: datetime) -> str:
    """The time cell: the record's time, and "edited" under it when it was
    corrected after it was logged."""
    return moment(at, report.tz) + ("\nedited" if record.id in report.edited else "")


def _episodes(report: Report, width: float) -> list[Flowable]:
    tz = report.tz
    rows = [[_when(report, e, e.onset), moment(e.ended_at, tz) if e.ended_at else "ongoing",
             ", ".join(v.value for v in (e.region, e.side) if v) or "–",
             ", ".join(t.value.replace("-", " ") for t in e.triggers) or "–",
             e.triage_urgency.value if e.triage_urgency else "–",
             "; ".join(n for n in (e.trigger_note, e.note) if n)]
            for e in report.episodes]
    return section("Episodes",
                   ["Began", "Ended", "Where", "Triggers", "Triage result", "Notes"], rows,
                   [time_width(), time_width(), 64, 86, 56], width)


def _answers(report: Report, width: float) -> list[Flowable]:
    tz = report.tz
    rows = [[short(a.onset, tz), a.tier.value if a.tier else "–", a.question,
             text("yes", CELL_ALERT) if a.red_flag else "yes" if a.yes else "no"]
            for a in report.triage]
    return section("Warning-sign answers",
                   ["Episode of", "Tier", "Question", "Answer"], rows,
                   [62, 56, width - 62 - 56 - 44], width,
                   note="Emergency and urgent signs answered yes are in red. An answer of "
                        "“not sure” is recorded as yes.")


def _pain(report: Report, width: float) -> list[Flowable]:
    rows = [[_when(report, p, p.at), f"{p.pain}/10", p.severity, IMPACT.get(p.impact or "", "–"),
             "–" if p.stiffness is None else f"{p.stiffness}/10",
             p.mobility.value.replace("-", " ") if p.mobility else "–", p.note or ""]
            for p in report.pain_entries]
    style = grid()
    style.add("FONT", (1, 1), (1, -1), BOLD, 8, 10)       # the score stands out
    return section("Pain scores",
                   ["Time", "Pain", "Severity", "Daily activities", "Stiffness", "Mobility",
                    "Note"], rows, [time_width(), 34, 50, 66, 52, 56], width, style=style)


def _sessions(report: Report, width: float) -> list[Flowable]:
    rows = [[_when(report, s, s.started_at), s.kind.value, f"{s.minutes:g}",
             "–" if s.pain_before is None else str(s.pain_before),
             "–" if s.pain_after is None else str(s.pain_after),
             "–" if s.relief is None else f"{s.relief:+d}".replace("+0", "0"),
             "yes" if s.completed else "no", s.note or ""]
            for s in report.sessions]
    return section("Treatment sessions",
                   ["Began", "Kind", "Minutes", "Pain before", "Pain after", "Relief", "Done",
                    "Note"], rows, [time_width(), 50, 46, 44, 40, 38, 36], width,
                   note="Relief is pain before minus pain after: positive when the session "
                        "helped.")


def _medicines(report: Report, width: float) -> list[Flowable]:
    rows = [[_when(report, m, m.at), m.name] for m in report.medicines_taken]
    return section("Medicines taken", ["Time", "Medicine (name only, no dose)"],
                   rows, [time_width()], width)


def _habits(report: Report, width: float) -> list[Flowable]:
    rows = [[_when(report, h, h.at), h.kind.value, f"{h.amount:g}", HABIT_UNITS[h.kind]]
            for h in report.habit_logs]
    return section("Habits", ["Time", "Habit", "Amount", "Unit"], rows,
                   [time_width(), 80, 60], width)
