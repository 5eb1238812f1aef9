"""Pain over time as a vector drawing for the PDF report: the scores on a 0-10
axis against dates, one line per episode, and below it a lane per kind of
treatment with a mark for each session (hollow when it was not completed)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, time, timedelta, tzinfo
from itertools import groupby
from typing import TypeVar

from reportlab.graphics.shapes import Circle, Drawing, Group, Line, Polygon, PolyLine, Rect, String
from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth

from spasmcare.core.diary import PainEntry
from spasmcare.core.diary_terms import TreatmentKind
from spasmcare.core.digest import Digest, PainSummary, Span
from spasmcare.core.gaps import unbroken
from spasmcare.core.report import Report
from spasmcare.exports.pdf_style import BOLD, FONT, INK, MUTED, RULE, zone_name

LINE = colors.HexColor("#1d4e89")
# One colour and one shape per kind, so the marks can be told apart in grey too.
KINDS: dict[TreatmentKind, tuple[str, str]] = {
    TreatmentKind.ICE: ("#0369a1", "triangle-down"),
    TreatmentKind.HEAT: ("#b91c1c", "triangle-up"),
    TreatmentKind.CONTRAST: ("#7c3aed", "diamond"),
    TreatmentKind.WALK: ("#15803d", "circle"),
    TreatmentKind.STRETCH: ("#a16207", "square"),
    TreatmentKind.STRENGTH: ("#9d174d", "bar"),
    TreatmentKind.MASSAGE: ("#0f766e", "hexagon"),
    TreatmentKind.OTHER: ("#4b5563", "cross"),
}
LEFT, RIGHT, TOP = 58, 8, 8          # margins of the plot inside the drawing
LANE, AXIS, LEGEND_ROW = 15, 32, 13
STEPS_DAYS = (1, 2, 7, 14, 28, 61, 91, 182, 365, 730)
LONG_DAYS = 2 * 365            # longer charts label their ticks with month and year
BAND = colors.HexColor("#c7d7ea")
MAX_TICKS = 8
MAX_DOTS = 60                  # a median dot per day or week up to this many in a run
Item = TypeVar("Item")


def pain_chart(report: Report, width: float, start: datetime, end: datetime,
               plot_height: float = 160, summary: Digest | None = None) -> Drawing:
    """The records of ``report`` from ``start`` to ``end`` (at least a day),
    ``width`` points wide, or with ``summary`` its days or weeks (the median
    pain score in a band from the lowest to the highest, and a bar in each
    lane over the spans with a session of that kind); the height follows from
    ``plot_height``, the number of treatment kinds and the legend."""
    tz = report.tz
    if end - start < timedelta(days=1):
        start = end - timedelta(days=1)
    pain = [p for p in report.pain_entries if start <= p.at <= end] if summary is None else []
    sessions = [s for s in report.sessions if start <= s.started_at <= end]
    kinds = [k for k in TreatmentKind if any(s.kind is k for s in sessions)]
    plot_w = width - LEFT - RIGHT
    legend = _legend_rows(kinds, plot_w, summary)
    height = TOP + plot_height + AXIS + LANE * len(kinds) + 10 + LEGEND_ROW * len(legend)
    d = Drawing(width, height, initialFontName=FONT)  # not reportlab's default Helvetica
    top = height - TOP
    bottom = top - plot_height
    span = (end - start).total_seconds()

    def x(at: datetime) -> float:
        return LEFT + plot_w * (at - start).total_seconds() / span

    def y(score: float) -> float:
        return bottom + plot_height * score / 10

    for score in range(0, 11, 2):
        d.add(Line(LEFT, y(score), LEFT + plot_w, y(score), strokeColor=RULE,
                   strokeWidth=0.8 if score == 0 else 0.4))
        d.add(String(LEFT - 5, y(score) - 3, str(score), fontName=FONT, fontSize=8,
                     fillColor=MUTED, textAnchor="end"))
    d.add(String(18, bottom + plot_height / 2 + 2, "Pain", fontName=BOLD, fontSize=8,
                 fillColor=MUTED, textAnchor="middle"))
    d.add(String(18, bottom + plot_height / 2 - 8, "(0–10)", fontName=FONT, fontSize=7,
                 fillColor=MUTED, textAnchor="middle"))
    long = end - start > timedelta(days=LONG_DAYS)    # ticks a year or more apart
    for tick in _ticks(start, end):
        d.add(Line(x(tick), bottom, x(tick), bottom - 4, strokeColor=MUTED, strokeWidth=0.6))
        d.add(Line(x(tick), bottom, x(tick), top, strokeColor=RULE, strokeWidth=0.3,
                   strokeDashArray=[1, 2]))
        local = tick.astimezone(tz)
        label = f"{local:%b %Y}" if long else f"{local.day} {local:%b}"
        d.add(String(x(tick), bottom - 13, label, fontName=FONT,
                     fontSize=7.5, fillColor=MUTED, textAnchor="middle"))
    d.add(String(LEFT + plot_w, bottom - 24, f"{_span_words(start, end, tz)}; "
                 f"times in {zone_name(tz, end)}", fontName=FONT, fontSize=7, fillColor=MUTED,
                 textAnchor="end"))

    if summary is None:
        _pain_lines(d, pain, tz, x, y)
    else:
        _pain_bands(d, summary.pain, _middle(tz), x, y)
    if not (pain or (summary and summary.pain)):
        d.add(String(LEFT + plot_w / 2, y(5), "No pain scores in this period", fontName=FONT,
                     fontSize=9, fillColor=MUTED, textAnchor="middle"))
    for i, kind in enumerate(kinds):
        lane_y = bottom - AXIS - LANE * i - LANE / 2
        colour, shape = KINDS[kind]
        d.add(Line(LEFT, lane_y, LEFT + plot_w, lane_y, strokeColor=RULE, strokeWidth=0.4))
        d.add(String(LEFT - 5, lane_y - 3, kind.value.capitalize(), fontName=FONT, fontSize=7.5,
                     fillColor=colors.HexColor(colour), textAnchor="end"))
        if summary is not None:
            _lane_bars(d, summary, kind, tz, x, lane_y, colors.HexColor(colour))
            continue
        for s in sessions:
            if s.kind is kind:
                d.add(_marker(shape, x(s.started_at), lane_y, colors.HexColor(colour),
                              s.completed))
    row_y = bottom - AXIS - LANE * len(kinds) - 10 - LEGEND_ROW / 2
    for row in legend:
        for offset, item in row:
            _legend_item(d, item, LEFT + offset, row_y)
        row_y -= LEGEND_ROW
    return d


def _pain_lines(d: Drawing, pain: Sequence[PainEntry], tz: tzinfo,
                x: Callable[[datetime], float], y: Callable[[float], float]) -> None:
    # One line per episode: joining the last score of one spasm to the first of
    # the next would draw a recovery or a relapse nobody recorded.
    # Nor does it cross a day with no score logged (core.gaps).
    for _, group in groupby(pain, key=lambda p: p.episode_id):
        points = list(group)
        for run in unbroken(points, tz):
            if len(run) > 1:
                d.add(PolyLine([v for p in run for v in (x(p.at), y(p.pain))],
                               strokeColor=LINE, strokeWidth=1.6, strokeLineJoin=1))
        for p in points:
            d.add(Circle(x(p.at), y(p.pain), 2.4, fillColor=LINE, strokeColor=colors.white,
                         strokeWidth=0.6))


def _middle(tz: tzinfo) -> Callable[[Span], datetime]:
    def middle(span: Span) -> datetime:
        days = (span.last - span.first).days + 1
        return datetime.combine(span.first, time(), tz) + timedelta(days=days / 2)
    return middle


def _runs(spans: Sequence[Item], span: Callable[[Item], Span]) -> list[list[Item]]:
    """``spans`` in runs without a gap: each one begins the day after the last ended."""
    runs: list[list[Item]] = []
    for item in spans:
        if runs and span(runs[-1][-1]).last + timedelta(days=1) == span(item).first:
            runs[-1].append(item)
        else:
            runs.append([item])
    return runs


def _pain_bands(d: Drawing, pain: Sequence[PainSummary], middle: Callable[[Span], datetime],
                x: Callable[[datetime], float], y: Callable[[float], float]) -> None:
    # A run of days or weeks with scores is one band and one line; a gap breaks both.
    for run in _runs(pain, lambda p: p.span):
        xs = [x(middle(p.span)) for p in run]
        if len(run) == 1:
            d.add(Line(xs[0], y(run[0].lowest), xs[0], y(run[0].highest), strokeColor=BAND,
                       strokeWidth=3))
        else:
            d.add(Polygon([v for xp, p in zip(xs, run, strict=True) for v in (xp, y(p.lowest))]
                          + [v for xp, p in zip(xs[::-1], run[::-1], strict=True)
                             for v in (xp, y(p.highest))],
                          fillColor=BAND, strokeColor=None))
            d.add(PolyLine([v for xp, p in zip(xs, run, strict=True) for v in (xp, y(p.median))],
                           strokeColor=LINE, strokeWidth=1.2, strokeLineJoin=1))
        if len(run) <= MAX_DOTS:
            for xp, p in zip(xs, run, strict=True):
                d.add(Circle(xp, y(p.median), 1.8, fillColor=LINE, strokeColor=None))


def _lane_bars(d: Drawing, summary: Digest, kind: TreatmentKind, tz: tzinfo,
               x: Callable[[datetime], float], lane_y: float, colour: colors.Color) -> None:
    used = [s for s in summary.sessions if any(k is kind for k, _ in s.kinds)]
    for run in _runs(used, lambda s: s.span):
        left = x(datetime.combine(run[0].span.first, time(), tz))
        right = x(datetime.combine(run[-1].span.last + timedelta(days=1), time(), tz))
        d.add(Rect(left, lane_y - 2.5, max(right - left, 1.5), 5, fillColor=colour,
                   strokeColor=None))


def _marker(shape: str, cx: float, cy: float, colour: colors.Color, filled: bool) -> Group:
    r = 3.6
    fill = colour if filled else colors.white
    style = {"fillColor": fill, "strokeColor": colour, "strokeWidth": 0.9}
    outlines = {
        "triangle-down": [cx - r, cy + r * 0.8, cx + r, cy + r * 0.8, cx, cy - r],
        "triangle-up": [cx - r, cy - r * 0.8, cx + r, cy - r * 0.8, cx, cy + r],
        "diamond": [cx, cy + r, cx + r, cy, cx, cy - r, cx - r, cy],
        "hexagon": [cx - r, cy, cx - r / 2, cy + r, cx + r / 2, cy + r, cx + r, cy,
                    cx + r / 2, cy - r, cx - r / 2, cy - r],
    }
    g = Group()
    if shape in outlines:
        g.add(Polygon(outlines[shape], **style))
    elif shape == "circle":
        g.add(Circle(cx, cy, r * 0.85, **style))
    elif shape == "square":
        g.add(Rect(cx - r * 0.8, cy - r * 0.8, r * 1.6, r * 1.6, **style))
    elif shape == "bar":
        g.add(Rect(cx - 1.2, cy - r, 2.4, 2 * r, **style))
    else:
        g.add(Line(cx - r, cy - r, cx + r, cy + r, strokeColor=colour, strokeWidth=1.2))
        g.add(Line(cx - r, cy + r, cx + r, cy - r, strokeColor=colour, strokeWidth=1.2))
    return g


# A legend item: the kind it shows (None for the pain line, "hollow" for the
# not-completed mark) and its label.
LegendItem = tuple[TreatmentKind | str | None, str]


def _legend_rows(kinds: Sequence[TreatmentKind], width: float,
                 summary: Digest | None = None) -> list[list[tuple[float, LegendItem]]]:
    items: list[LegendItem]
    if summary is not None:
        unit = summary.grain.value
        items = [(None, f"Median pain score of the {unit} (a gap: not logged)"),
                 ("band", f"Lowest to highest of the {unit}")]
        if kinds:
            items.append(("bar", f"Bar: {unit}s with a session of that kind"))
    else:
        items = [(None, "Pain score (a gap: a day not logged)")]
        items += [(k, f"{k.value.capitalize()} session") for k in kinds]
        if kinds:
            items.append(("hollow", "Hollow mark: not completed"))
    rows: list[list[tuple[float, LegendItem]]] = [[]]
    cursor = 0.0
    for item in items:
        size = 26 + stringWidth(item[1], FONT, 7.5)
        if cursor and cursor + size > width:
            rows.append([])
            cursor = 0.0
        rows[-1].append((cursor, item))
        cursor += size
    return rows


def _legend_item(d: Drawing, item: LegendItem, x: float, y: float) -> None:
    what, label = item
    if what is None:
        d.add(Line(x, y, x + 14, y, strokeColor=LINE, strokeWidth=1.6))
        d.add(Circle(x + 7, y, 2.4, fillColor=LINE, strokeColor=colors.white, strokeWidth=0.6))
    elif isinstance(what, TreatmentKind):
        colour, shape = KINDS[what]
        d.add(_marker(shape, x + 7, y, colors.HexColor(colour), True))
    elif what == "band":
        d.add(Rect(x, y - 4, 14, 8, fillColor=BAND, strokeColor=None))
    elif what == "bar":
        d.add(Rect(x, y - 2.5, 14, 5, fillColor=MUTED, strokeColor=None))
    else:
        d.add(_marker("square", x + 7, y, MUTED, False))
    d.add(String(x + 18, y - 2.6, label, fontName=FONT, fontSize=7.5, fillColor=INK))


def _ticks(start: datetime, end: datetime) -> list[datetime]:
    """Midnights (in the zone of ``start``) a whole number of days apart, at most MAX_TICKS."""
    days = (end - start).total_seconds() / 86400
    step = next((s for s in STEPS_DAYS if days / s <= MAX_TICKS), STEPS_DAYS[-1])
    first = datetime.combine(start.date(), time(), start.tzinfo)
    if first < start:
        first += timedelta(days=1)
    ticks, at = [], first
    while at <= end:
        ticks.append(at)
        at = datetime.combine(at.date() + timedelta(days=step), time(), start.tzinfo)
    return ticks


def _span_words(start: datetime, end: datetime, tz: tzinfo) -> str:
    first, last = start.astimezone(tz), end.astimezone(tz)
    return f"{first.day} {first:%b %Y} to {last.day} {last:%b %Y}"
