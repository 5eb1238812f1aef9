"""The look of the PDF report: its fonts, colours, paragraph styles and table
styles, and how it writes times. DejaVu Sans (shipped in ``fonts/`` with its
licence) is embedded as a TrueType font, so text stays selectable and notes in
Greek, Cyrillic or accented Latin print as written (it has no Chinese,
Japanese or Korean: those letters print as empty boxes)."""

from __future__ import annotations

from datetime import datetime, tzinfo
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, TableStyle

from spasmcare.core.report import Report

FONT, BOLD, ITALIC = "SpasmCareSans", "SpasmCareSans-Bold", "SpasmCareSans-Italic"
_FONT_FILES = {FONT: "DejaVuSans.ttf", BOLD: "DejaVuSans-Bold.ttf",
               ITALIC: "DejaVuSans-Oblique.ttf"}
FONTS = Path(__file__).resolve().parent / "fonts"

INK = colors.HexColor("#111827")
MUTED = colors.HexColor("#4b5563")
RULE = colors.HexColor("#d1d5db")
SHADE = colors.HexColor("#f3f4f6")
ACCENT = colors.HexColor("#1d4e89")
ALERT = colors.HexColor("#b91c1c")
ALERT_SHADE = colors.HexColor("#fde8e8")
CALM_SHADE = colors.HexColor("#ecf5ef")


def register_fonts() -> None:
    """Register the font family once per process."""
    if FONT in pdfmetrics.getRegisteredFontNames():
        return
    for name, file in _FONT_FILES.items():
        pdfmetrics.registerFont(TTFont(name, str(FONTS / file)))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=BOLD, italic=ITALIC, boldItalic=BOLD)


def _style(name: str, size: float, *, font: str = FONT, colour: colors.Color = INK,
           before: float = 0, after: float = 0, leading: float | None = None) -> ParagraphStyle:
    return ParagraphStyle(name, fontName=font, fontSize=size, leading=leading or size * 1.3,
                          textColor=colour, spaceBefore=before, spaceAfter=after)


TITLE = _style("title", 16, font=BOLD, after=2)
SUBTITLE = _style("subtitle", 8.5, colour=MUTED, after=8)
HEADING = _style("heading", 11.5, font=BOLD, colour=ACCENT, before=10, after=4)
SUBHEADING = _style("subheading", 9.5, font=BOLD, before=8, after=3)
BODY = _style("body", 9)
SMALL = _style("small", 7.5, colour=MUTED, before=3)
CELL = _style("cell", 8, leading=10)
CELL_BOLD = _style("cell-bold", 8, font=BOLD, leading=10)
CELL_ALERT = _style("cell-alert", 8, font=BOLD, colour=ALERT, leading=10)
LABEL = _style("label", 8, font=BOLD, colour=MUTED, leading=10)
FLAG = _style("flag", 8.5, leading=11)
FLAG_TITLE = _style("flag-title", 9.5, font=BOLD, colour=ALERT, leading=12)


def text(value: str, style: ParagraphStyle = CELL) -> Paragraph:
    """A paragraph of plain text (escaped, so a note cannot inject markup)."""
    return Paragraph(escape(value), style)


def markup(value: str, style: ParagraphStyle = CELL) -> Paragraph:
    """A paragraph of our own markup; anything from the diary must be escaped first."""
    return Paragraph(value, style)


def grid(*, header: bool = True, shade_rows: bool = True) -> TableStyle:
    """Light rules between rows, a bold shaded header row, and zebra stripes."""
    commands: list[tuple[object, ...]] = [
        ("FONT", (0, 0), (-1, -1), FONT, 8, 10),     # the leading of CELL
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
    ]
    if header:
        commands += [("FONT", (0, 0), (-1, 0), BOLD, 8, 10), ("TEXTCOLOR", (0, 0), (-1, 0), MUTED),
                     ("LINEBELOW", (0, 0), (-1, 0), 0.8, MUTED)]
    if shade_rows:
        commands.append(("ROWBACKGROUNDS", (0, 1 if header else 0), (-1, -1),
                         [colors.white, SHADE]))
    return TableStyle(commands)


def period_words(report: Report) -> str:
    """"22 Sep 2026 to 21 Nov 2026": the first and the last day the report covers."""
    first, last = report.period.first_day, report.period.last_day
    return f"{first.day} {first:%b %Y} to {last.day} {last:%b %Y}"


def day(at: datetime, tz: tzinfo) -> str:
    local = at.astimezone(tz)
    return f"{local.day} {local:%b %Y}"


def moment(at: datetime, tz: tzinfo) -> str:
    local = at.astimezone(tz)
    return f"{local.day} {local:%b %Y %H:%M}"


def time_width() -> float:
    """A table column wide enough for "22 Sep 2026 20:00" on one line."""
    return float(pdfmetrics.stringWidth("22 Sep 2026 20:00", FONT, 8)) + 10


def short(at: datetime, tz: tzinfo) -> str:
    """"3 Nov 14:05", with the year when it is not this year's."""
    local = at.astimezone(tz)
    if local.year != datetime.now(tz).year:
        return moment(at, tz)
    return f"{local.day} {local:%b %H:%M}"


def zone_name(tz: tzinfo, at: datetime) -> str:
    return str(getattr(tz, "key", None) or tz.tzname(at) or "UTC")
