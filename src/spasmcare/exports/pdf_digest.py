"""The detail of a long period, as ``core.digest`` summarised it: what is
summarised and how, said in words, then a table for each kind of record by day
or by week, and the notes in full. The episodes and the warning-sign answers,
never summarised, come from ``pdf_detail``."""

from __future__ import annotations

from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable

from spasmcare.core.diary_terms import HABIT_UNITS, HabitKind
from spasmcare.core.digest import EVERY_RECORD_DAYS, Digest, Grain, Span
from spasmcare.core.report import Report
from spasmcare.exports.pdf_style import BODY, FONT, HEADING, moment, text, time_width, zone_name
from spasmcare.exports.pdf_table import section

UNIT_WORDS = {Grain.DAY: ("day", "days", "By day"), Grain.WEEK: ("week", "weeks", "By week")}
NOTE_KINDS = {"pain": "pain score", "session": "session"}


def digest_intro(report: Report, summary: Digest) -> list[Flowable]:
    unit = summary.grain.value
    days = (report.period.last_day - report.period.first_day).days + 1
    which = ("midnight to midnight" if summary.grain is Grain.DAY else
             "Monday to Sunday, the first and last cut short where the period begins or ends")
    return [
        text(f"Detail: the period {unit} by {unit}", HEADING),
        text(f"This report covers {days} days, more than {EVERY_RECORD_DAYS}, so its pain "
             f"scores, treatment sessions, medicines and habits are summarised by {unit} "
             f"({which}; {zone_name(report.tz, report.generated_at)} time), one row for each "
             f"{unit} with any record of that kind. Episodes and warning-sign answers are not "
             "summarised: every one is listed, and so is every note written with a pain score "
             "or a session. The summaries leave out each score's stiffness, mobility and "
             "whether the next morning was worse; a report on "
             f"{EVERY_RECORD_DAYS} days or fewer lists every record with them.", BODY),
    ]


def digest_tables(report: Report, summary: Digest, width: float) -> list[Flowable]:
    """The summary tables; the fonts must be registered (``register_fonts``)."""
    grain = summary.grain
    unit, units, by = UNIT_WORDS[grain]
    first = _span_width(grain)
    label = unit.capitalize()

    def counted(rows: int, records: int | None = None) -> str:
        spans = f"{rows} {unit if rows == 1 else units}"
        return spans if records is None else f"{spans}, {records} in all"

    pain = [[_span(p.span, grain), str(p.count), str(p.lowest), f"{p.median:g}",
             str(p.highest), str(p.unable)] for p in summary.pain]
    sessions = [[_span(s.span, grain), str(s.count), f"{s.minutes:g}", str(s.scored),
                 "–" if s.relief is None else f"{s.relief:+.1f}".replace("+0.0", "0.0"),
                 str(s.not_completed), ", ".join(f"{k.value} {n}" for k, n in s.kinds)]
                for s in summary.sessions]
    medicines = [[_span(m.span, grain), str(m.count),
                  ", ".join(f"{name} ({n})" for name, n in m.names)] for m in summary.medicines]
    habits = [[_span(h.span, grain), *("–" if v is None else f"{v:g}" for _, v in h.totals)]
              for h in summary.habits]
    notes = [[moment(n.at, report.tz), NOTE_KINDS[n.kind], n.text] for n in summary.notes]
    habit_columns = (width - first) / len(HabitKind)
    return [
        *section(f"Pain scores, {by.lower()}",
                 [label, "Scores", "Lowest", "Median", "Highest",
                  "Unable to do daily activities"], pain, [first, 44, 44, 44, 44], width,
                 count=counted(len(pain), sum(p.count for p in summary.pain)),
                 caption=f"{by}: how many pain scores were recorded, the lowest, the median "
                         "and the highest (0 no pain, 10 worst imaginable), and how many of "
                         "them said the person was unable to do daily activities."),
        *section(f"Treatment sessions, {by.lower()}",
                 [label, "Sessions", "Minutes", "Scored", "Mean relief", "Not completed",
                  "Kinds (sessions)"], sessions, [first, 50, 48, 42, 46, 60], width,
                 count=counted(len(sessions), sum(s.count for s in summary.sessions)),
                 caption=f"{by}: how many sessions, their minutes in all, how many were "
                         "scored (pain before and after), the mean relief of those (pain "
                         "before minus after: positive when they helped), how many were not "
                         "completed, and how many of each kind."),
        *section(f"Medicines taken, {by.lower()}",
                 [label, "Times", "Medicines (name only, no dose): times taken"], medicines,
                 [first, 40], width,
                 count=counted(len(medicines), sum(m.count for m in summary.medicines)),
                 caption=f"{by}: how many times a medicine was taken, and how many times "
                         "each. Names only, as the person wrote them; the diary does not "
                         "record doses."),
        *section(f"Habits, {by.lower()}", [label, *(_habit_label(k) for k in HabitKind)],
                 habits, [first, *[habit_columns] * (len(HabitKind) - 1)], width,
                 count=counted(len(habits)),
                 caption=f"{by}: the total logged of each habit, in its unit; “–” when "
                         "none of it was logged."),
        *section("Notes", ["Time", "Written with", "Note"], notes, [time_width(), 70], width,
                 caption="Every note written with a pain score or a treatment session, in "
                         "full. Episode notes are in the episodes table."),
    ]


def _span(span: Span, grain: Grain) -> str:
    first, last = span.first, span.last
    if grain is Grain.DAY or first == last:
        return f"{first:%a} {first.day} {first:%b %Y}"
    if first.year == last.year:
        return f"{first.day} {first:%b} – {last.day} {last:%b %Y}"
    return f"{first.day} {first:%b %Y} – {last.day} {last:%b %Y}"


def _span_width(grain: Grain) -> float:
    """A column wide enough for the longest label of a day or week on one line."""
    longest = "Wed 28 May 2026" if grain is Grain.DAY else "28 Dec 2026 – 3 Jan 2027"
    return float(stringWidth(longest, FONT, 8)) + 14


def _habit_label(kind: HabitKind) -> str:
    unit = HABIT_UNITS[kind]
    return kind.value.capitalize() if unit == kind.value else f"{kind.value.capitalize()} ({unit})"
