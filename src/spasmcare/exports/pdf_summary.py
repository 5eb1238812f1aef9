"""The report's first page: what a clinician reads in two minutes. Warning
signs first, then the key facts in a two-column table, then what was tried."""

from __future__ import annotations

from datetime import timedelta, tzinfo
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.platypus import Flowable, Paragraph, Spacer, Table, TableStyle

from spasmcare.core.insights import MIN_SESSIONS
from spasmcare.core.report import IMPACT_WORDS, RECENT_DAYS, Report, Trend, TriageAnswer
from spasmcare.exports.pdf_style import (
    ALERT,
    ALERT_SHADE,
    BODY,
    CALM_SHADE,
    FLAG,
    FLAG_TITLE,
    FONT,
    HEADING,
    LABEL,
    MUTED,
    SMALL,
    SUBTITLE,
    TITLE,
    day,
    grid,
    markup,
    moment,
    period_words,
    short,
    text,
    zone_name,
)

NOTE_CHARS = 160
TREND_COLOURS = {Trend.IMPROVING: "#15803d", Trend.NO_BETTER: "#a16207", Trend.WORSE: "#b91c1c"}


def summary(report: Report, width: float) -> list[Flowable]:
    tz = report.tz
    period = period_words(report)
    flow: list[Flowable] = [
        text("Back spasm self-care diary: summary for a clinician", TITLE),
        text(f"Period {period}. Generated {moment(report.generated_at, tz)} "
             f"({zone_name(tz, report.generated_at)} time). Everything below was recorded by "
             "the person in the SpasmCare app." + _edited(report), SUBTITLE),
    ]
    if report.empty:
        flow.append(text("There is no data in this range: no episodes, pain scores, treatment "
                         "sessions, medicines or habits were recorded between these dates.",
                         BODY))
        return flow
    flow += [_warning_signs(report, width), Spacer(1, 8), _key_facts(report, width)]
    if report.treatments:
        flow += [text("What was tried and how much it helped", HEADING), _tried(report, width),
                 text(f"Relief is the pain score before a session minus the score after it, "
                      f"in points on the 0–10 scale. Fewer than {MIN_SESSIONS} scored sessions "
                      "of a kind are too few to tell.", SMALL)]
    return flow


def _edited(report: Report) -> str:
    n = report.edited_count
    if not n:
        return ""
    return (f" {n} record{'s were' if n != 1 else ' was'} corrected by the person after "
            "being logged (marked “edited” in the detail).")


def _warning_signs(report: Report, width: float) -> Table:
    tz = report.tz
    flags = report.red_flags
    others = [a for a in report.triage if a.yes and not a.red_flag]
    rows: list[list[Flowable]] = []
    if flags:
        rows.append([text("Warning signs answered yes", FLAG_TITLE)])
        rows += [[_answer_line(a, tz)] for a in flags]
    elif report.triage:
        rows.append([text("No emergency or urgent warning sign was answered yes.", FLAG)])
    else:
        rows.append([text("No warning-sign answers were recorded in this period.", FLAG)])
    if others:
        rows.append([markup("<b>Also answered yes</b> (less urgent signs):", FLAG)])
        rows += [[_answer_line(a, tz)] for a in others]
    answered = len({(a.episode_id, a.finding) for a in report.triage})
    if answered:
        rows.append([text(f"{answered} answers recorded in all, listed in the detail. "
                          "An answer of “not sure” is recorded as yes.", SMALL)])
    box = Table(rows, colWidths=[width])
    box.setStyle(TableStyle([
        ("FONT", (0, 0), (-1, -1), FONT, 8),
        ("BACKGROUND", (0, 0), (-1, -1), ALERT_SHADE if flags else CALM_SHADE),
        ("BOX", (0, 0), (-1, -1), 1.2 if flags else 0.5,
         ALERT if flags else colors.HexColor("#9cc9a9")),
        ("LEFTPADDING", (0, 0), (-1, -1), 8), ("RIGHTPADDING", (0, 0), (-1, -1), 8),
        ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
        ("TOPPADDING", (0, 0), (-1, 0), 6), ("BOTTOMPADDING", (0, -1), (-1, -1), 6),
    ]))
    return box


def _answer_line(a: TriageAnswer, tz: tzinfo) -> Paragraph:
    tier = a.tier.value.upper() if a.tier else "UNKNOWN SIGN"
    colour = "#b91c1c" if a.red_flag else "#4b5563"
    return markup(f'<font color="{colour}"><b>{tier}</b></font>  {escape(a.question)} '
                  f'<font color="#4b5563">(episode of {day(a.onset, tz)})</font>', FLAG)


def _key_facts(report: Report, width: float) -> Table:
    rows = [
        ("Episode", _episode(report)),
        ("Triggers", _triggers(report)),
        ("Pain now", _pain_now(report)),
        ("Pain trend", _trend(report)),
        ("Care plan followed", _adherence(report)),
        ("Medicines taken", _medicines(report)),
        ("Habits", _habits(report)),
    ]
    table = Table([[text(label, LABEL), markup(value, BODY)] for label, value in rows],
                  colWidths=[92, width - 92])
    style = grid(header=False, shade_rows=False)
    style.add("LINEABOVE", (0, 0), (-1, 0), 0.8, MUTED)
    style.add("TOPPADDING", (0, 0), (-1, -1), 4)
    style.add("BOTTOMPADDING", (0, 0), (-1, -1), 4)
    table.setStyle(style)
    return table


def _episode(report: Report) -> str:
    facts, tz = report.episode, report.tz
    if facts is None:
        return "No episode recorded in this period."
    e = facts.episode
    state = ("<b>Ongoing</b>, began" if facts.ongoing else "<b>Ended</b>; began")
    ended = "" if facts.ongoing or e.ended_at is None else f", ended {moment(e.ended_at, tz)}"
    where = f" {escape(facts.where.capitalize())}." if facts.where else ""
    more = (f" {len(report.episodes)} episodes in this period (all in the detail)."
            if len(report.episodes) > 1 else "")
    note = f" Note: “{escape(_clip(e.note))}”" if e.note else ""
    return (f"{state} {moment(e.onset, tz)}{ended}: <b>{_duration(facts.duration)}</b>."
            f"{where}{more}{note}")


def _clip(note: str) -> str:
    """A note short enough for the first page; the detail has it whole."""
    return note if len(note) <= NOTE_CHARS else note[:NOTE_CHARS].rstrip() + "…"


def _duration(span: timedelta) -> str:
    from spasmcare.core.clock import said_span

    return said_span(span)


def _triggers(report: Report) -> str:
    facts = report.episode
    parts = []
    if facts is not None:
        e = facts.episode
        named = ", ".join(t.value.replace("-", " ") for t in e.triggers) or "none recorded"
        parts.append(f"This episode: {escape(named)}"
                     + (f" (“{escape(_clip(e.trigger_note))}”)" if e.trigger_note else "") + ".")
    if len(report.episodes) > 1 and report.triggers:
        parts.append("Across the period: " + ", ".join(
            f"{t.trigger.value.replace('-', ' ')} ({t.episodes} of {len(report.episodes)} "
            "episodes)" for t in report.triggers) + ".")
    return " ".join(parts) or "None recorded."


def _pain_now(report: Report) -> str:
    if report.pain is None:
        return "No pain scores in this period."
    p = report.pain.latest
    extra = [IMPACT_WORDS[p.impact]] if p.impact is not None else []
    if p.stiffness is not None:
        extra.append(f"stiffness {p.stiffness}/10")
    if p.mobility is not None:
        extra.append(f"mobility {p.mobility.value.replace('-', ' ')}")
    return (f"<b>{p.pain}/10</b>, {p.severity}; {', '.join(extra)} "
            f"<font color='#4b5563'>(latest score, {short(p.at, report.tz)})</font>")


def _trend(report: Report) -> str:
    pain = report.pain
    if pain is None:
        return "No pain scores in this period."
    tz = report.tz
    scope = ("" if pain.of_episode else
             " <font color='#4b5563'>(all scores of the period; none is linked to the "
             "episode)</font>")
    if pain.trend is None:
        return f"One score so far: no trend yet.{scope}"
    recent = pain.recent_change
    last_days = ("" if recent is None else
                 f" Over the last {RECENT_DAYS} days: {_points(recent)}.")
    return (f"<font color='{TREND_COLOURS[pain.trend]}'><b>{pain.trend.value.capitalize()}"
            f"</b></font>: {pain.first.pain}/10 at first ({day(pain.first.at, tz)}), "
            f"{pain.latest.pain}/10 now ({_points(pain.change)}). Highest "
            f"{pain.highest.pain}/10, lowest {pain.lowest.pain}/10, {len(pain.scores)} scores."
            f"{last_days}{scope}")


def _points(change: int) -> str:
    if change == 0:
        return "unchanged"
    return (f"{abs(change)} point{'s' * (abs(change) != 1)} "
            f"{'lower' if change < 0 else 'higher'}")


def _adherence(report: Report) -> str:
    a = report.adherence
    if not a.days_planned:
        return "No whole planned day to check in this period."
    return (f"<b>{a.days_followed} of {a.days_planned}</b> planned days "
            f"({100 * a.days_followed / a.days_planned:.0f}%) in the first two weeks of each "
            "episode. <font color='#4b5563'>A day counts when at least half of the sessions "
            "the plan set for it were logged.</font>")


def _medicines(report: Report) -> str:
    if not report.medicines:
        return "None recorded."
    tz = report.tz
    lines = []
    for m in report.medicines:
        when = (short(m.first, tz) if m.count == 1 else
                f"first {short(m.first, tz)}, last {short(m.last, tz)}")
        times = {1: "once", 2: "twice"}.get(m.count, f"{m.count} times")
        lines.append(f"<b>{escape(m.name)}</b> {times} ({when})")
    return "<br/>".join(lines) + ("<br/><font color='#4b5563'>Names only, as the person wrote "
                                  "them; the diary does not record doses.</font>")


def _habits(report: Report) -> str:
    if not report.habits:
        return "None logged."
    days = report.habits[0].days
    return (f"Over the last {days} day{'s' * (days != 1)} of the period: " + "; ".join(
        f"{h.kind.value} {h.per_day:.1f} {h.unit} a day on the {h.days_logged} "
        f"day{'s' * (h.days_logged != 1)} logged" if h.per_day is not None
        else f"{h.kind.value} not logged" for h in report.habits)
        + ". Days with nothing logged are not counted as none.")


def _tried(report: Report, width: float) -> Table:
    rows: list[list[Flowable | str]] = [["Treatment", "Sessions scored", "Average relief",
                                         "In words"]]
    for r in report.treatments:
        rows.append([text(r.kind.value.capitalize()), f"{r.sessions} of {r.logged}",
                     "–" if r.mean is None else f"{r.mean:.1f} points",
                     text(r.verdict.capitalize())])
    table = Table(rows, colWidths=[78, 78, 78, width - 234], repeatRows=1)
    table.setStyle(grid())
    return table
