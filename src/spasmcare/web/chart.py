"""Pain over time as an SVG chart, with treatment sessions marked: a pure
function from diary records to a string, drawn on the server so the page needs
no script and no network. The SVG is well-formed XML with a <title> and a
<desc> that says in words what it shows; the page adds a table as well."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from xml.sax.saxutils import escape, quoteattr

from spasmcare.core.diary import PainEntry, TreatmentSession
from spasmcare.core.gaps import not_logged, unbroken

WIDTH, HEIGHT = 400, 266
LEFT, RIGHT, TOP, BOTTOM = 30, 10, 12, 96   # margins: axis labels, session strip, legend
INK, MUTED, GRID, LINE = "#111827", "#4b5563", "#d1d5db", "#1d4e89"
UNLOGGED = "#e9ecef"  # the band behind a day with no score
# One colour per kind of treatment, each at least 3:1 against white.
KIND_COLOURS = {"ice": "#0369a1", "heat": "#b91c1c", "contrast": "#7c3aed", "walk": "#15803d",
                "stretch": "#a16207", "strength": "#9d174d", "massage": "#0f766e",
                "other": "#4b5563"}


def pain_chart(pain: Sequence[PainEntry], sessions: Sequence[TreatmentSession],
               start: datetime, end: datetime, *, title: str, chart_id: str = "pain-chart") -> str:
    """An SVG of the pain scores in [start, end] as a line, and the treatment
    sessions begun in that span as marks along the bottom. Times are shown in
    the time zone of ``start``."""
    if end <= start:
        end = start + timedelta(hours=1)
    tz = start.tzinfo
    points = sorted((p for p in pain if start <= p.at <= end), key=lambda p: p.at)
    marks = sorted((s for s in sessions if start <= s.started_at <= end),
                   key=lambda s: s.started_at)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    span = (end - start).total_seconds()

    def x(at: datetime) -> float:
        return round(LEFT + plot_w * (at - start).total_seconds() / span, 1)

    def y(score: int) -> float:
        return round(TOP + plot_h * (10 - score) / 10, 1)

    def when(at: datetime) -> str:
        return at.astimezone(tz).strftime("%a %d %b %H:%M")

    missing = not_logged(points, start, end)
    words = describe(points, marks, start, end, missing)
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
           f'class="chart" role="img" id="{chart_id}" '
           f'aria-labelledby="{chart_id}-title {chart_id}-desc" font-family="sans-serif">',
           f'<title id="{chart_id}-title">{escape(title)}</title>',
           f'<desc id="{chart_id}-desc">{escape(words)}</desc>']
    for day in missing:  # a band, so a day with no score is not read as a day of none
        left = max(start, datetime.combine(day, time(), tz))
        right = min(end, datetime.combine(day + timedelta(days=1), time(), tz))
        out.append(f'<rect class="not-logged" data-day="{day.isoformat()}" x="{x(left)}" '
                   f'y="{TOP}" width="{round(x(right) - x(left), 1)}" height="{plot_h}" '
                   f'fill="{UNLOGGED}"><title>{day:%a %d %b}: not logged</title></rect>')
    for score in (0, 5, 10):
        out.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(score)}" y2="{y(score)}" '
                   f'stroke="{GRID}" stroke-width="1"/>'
                   f'<text x="{LEFT - 6}" y="{y(score) + 4}" font-size="14" fill="{MUTED}" '
                   f'text-anchor="end">{score}</text>')
    base = TOP + plot_h
    label = "%H:%M" if end - start <= timedelta(days=2) else "%d %b"
    for at, anchor in ((start, "start"), (start + (end - start) / 2, "middle"), (end, "end")):
        out.append(f'<text x="{x(at)}" y="{base + 16}" font-size="14" fill="{MUTED}" '
                   f'text-anchor="{anchor}">{at.astimezone(tz).strftime(label)}</text>')
    if points:
        for run in unbroken(points, tz):
            line = " ".join(f"{x(p.at)},{y(p.pain)}" for p in run)
            out.append(f'<polyline class="pain-line" points="{line}" fill="none" '
                       f'stroke="{LINE}" stroke-width="2.5" stroke-linejoin="round"/>')
        out.append('<g class="pain-points">')
        out += [f'<circle cx="{x(p.at)}" cy="{y(p.pain)}" r="3.5" fill="{LINE}" '
                f'data-pain="{p.pain}"><title>{escape(when(p.at))}: pain {p.pain}/10</title>'
                f'</circle>' for p in points]
        out.append('</g>')
    else:
        out.append(f'<text x="{LEFT + plot_w / 2}" y="{TOP + plot_h / 2}" font-size="14" '
                   f'fill="{MUTED}" text-anchor="middle">No pain scores in this period</text>')
    out.append('<g class="sessions">')
    for s in marks:
        colour = KIND_COLOURS.get(s.kind.value, MUTED)
        label = f"{when(s.started_at)}: {s.kind.value}, {s.minutes:g} min{_relief(s)}"
        out.append(f'<rect class="session" data-kind={quoteattr(s.kind.value)} '
                   f'x="{x(s.started_at) - 2}" y="{base + 22}" width="4" height="14" '
                   f'fill="{colour}"><title>{escape(label)}</title></rect>')
    out.append('</g>')
    out += _legend(Counter(s.kind.value for s in marks), base + 50)
    out.append('</svg>')
    return "".join(out)


def describe(points: Sequence[PainEntry], marks: Sequence[TreatmentSession],
             start: datetime, end: datetime, missing: Sequence[date] = ()) -> str:
    """The chart in words, for screen readers; ``missing``, the days not logged."""
    tz = start.tzinfo
    span = f"from {start.astimezone(tz):%d %b} to {end.astimezone(tz):%d %b %Y}"
    if points:
        scores = [p.pain for p in points]
        words = (f"{_n(len(points), 'pain score')} {span}: lowest {min(scores)}, highest "
                 f"{max(scores)}, latest {scores[-1]} out of 10.")
        if missing:
            words += f" Not logged on {_n(len(missing), 'day')}."
    else:
        words = f"No pain scores {span}."
    if marks:
        kinds = Counter(s.kind.value for s in marks)
        words += (f" {_n(len(marks), 'treatment session')} marked: "
                  + ", ".join(f"{n} {k}" for k, n in kinds.most_common()) + ".")
    return words


def _legend(kinds: Counter[str], top: float) -> list[str]:
    """Which colour is which treatment, in rows under the session marks."""
    if not kinds:
        return []
    parts = [f'<text x="{LEFT}" y="{top}" font-size="14" fill="{INK}">Sessions:</text>']
    at = LEFT + 72.0
    for kind in sorted(kinds):
        width = 26 + 8.5 * len(kind)
        if at + width > WIDTH - RIGHT:
            at, top = LEFT + 72.0, top + 18
        parts.append(f'<rect x="{at}" y="{top - 9}" width="10" height="10" '
                     f'fill="{KIND_COLOURS.get(kind, MUTED)}"/>'
                     f'<text x="{at + 14}" y="{top}" font-size="14" fill="{INK}">'
                     f'{escape(kind)}</text>')
        at += width
    return parts


def _relief(s: TreatmentSession) -> str:
    if s.pain_before is None or s.pain_after is None:
        return ""
    return f", pain {s.pain_before} to {s.pain_after}"


def _n(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"
