"""Long tables for the PDF report at a cost that grows with their pages.

reportlab measures every remaining row of a table each time the table is
split at the foot of a page, so a table of thousands of rows costs the square
of its length. ``long_table`` gives a flowable that hands reportlab a window
of rows at a time, larger than a page holds, so each split measures at most
that window. Its cells are plain strings, wrapped here to the column width:
drawn as text, never parsed as markup, so a note holding ``<`` or ``&``
prints as written and costs no paragraph parsing.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import CondPageBreak, Flowable, Table, TableStyle

from spasmcare.exports.pdf_style import BOLD, FONT, SMALL, SUBHEADING, grid, text

Cell = str | Flowable
SIZE = 8                  # points, as the table styles set it (pdf_style.grid)
PADDING = 4               # left and right padding of a cell (pdf_style.grid)
WINDOW = 80               # rows: more than a page of one-line rows holds (A4 holds ~45)
KEEP_WITH_HEADING = 80    # points: room for a heading and a few rows
CAPTION = 30              # points: and for a caption of two lines


def plain(value: str, width: float, font: str = FONT) -> str:
    """``value`` as lines no wider than a cell ``width`` points wide; a word
    too long for the column is broken where it must be."""
    room = width - 2 * PADDING
    if "\n" not in value and stringWidth(value, font, SIZE) <= room:
        return value
    space = stringWidth(" ", font, SIZE)
    lines: list[str] = []
    for paragraph in value.splitlines():
        line, used = "", 0.0
        for word in paragraph.split():
            size = stringWidth(word, font, SIZE)
            if line and used + space + size <= room:
                line, used = f"{line} {word}", used + space + size
                continue
            if line:
                lines.append(line)
            while size > room:
                cut = _fitting(word, room, font)
                lines.append(word[:cut])
                word = word[cut:]
                size = stringWidth(word, font, SIZE)
            line, used = word, size
        lines.append(line)
    return "\n".join(lines).strip("\n")


def _fitting(word: str, room: float, font: str) -> int:
    """How many of the first characters of ``word`` fit in ``room`` (at least one)."""
    used = 0.0
    for i, char in enumerate(word):
        used += stringWidth(char, font, SIZE)
        if used > room:
            return max(i, 1)
    return len(word)


def long_table(header: Sequence[Cell], rows: Sequence[Sequence[Cell]],
               widths: Sequence[float], style: TableStyle) -> Flowable:
    """A table with ``header`` repeated at the top of each page it runs on."""
    if len(rows) <= WINDOW:
        return _table(header, rows, widths, style)
    return PagedTable(header, rows, widths, style)


def _table(header: Sequence[Cell], rows: Sequence[Sequence[Cell]], widths: Sequence[float],
           style: TableStyle) -> Table:
    # splitInRow: a row with a long note may run on over the next page.
    table = Table([list(header), *map(list, rows)], colWidths=list(widths), repeatRows=1,
                  splitInRow=1)
    table.setStyle(style)
    return table


class PagedTable(Flowable):
    """More rows than a page holds: always split, a window of rows at a time."""

    def __init__(self, header: Sequence[Cell], rows: Sequence[Sequence[Cell]],
                 widths: Sequence[float], style: TableStyle) -> None:
        super().__init__()
        self.header, self.rows, self.widths, self.style = header, rows, widths, style

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        # Taller than any room offered, so that the frame splits it.
        self.width, self.height = availWidth, availHeight + 1
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        window = WINDOW
        while True:
            head = _table(self.header, self.rows[:window], self.widths, self.style)
            parts: list[Any] = head.split(availWidth, availHeight)
            if not parts:
                return []                   # not even a row fits: the next page
            if len(parts) == 2 or window >= len(self.rows):
                break
            window *= 2                     # the whole window fitted: take more
        rest = [*(parts[1]._cellvalues[1:] if len(parts) == 2 else ()), *self.rows[window:]]
        return [parts[0], *([long_table(self.header, rest, self.widths, self.style)]
                            if rest else [])]

    def draw(self) -> None:  # pragma: no cover - a PagedTable is always split first
        raise AssertionError("a PagedTable is drawn as the tables it splits into")


def section(title: str, header: Sequence[str], rows: Sequence[Sequence[Cell]],
            widths: Sequence[float], width: float, *, count: str | None = None,
            caption: str | None = None, note: str | None = None,
            style: TableStyle | None = None) -> list[Flowable]:
    """A table ``width`` points wide under ``title`` and its ``count`` (the
    number of rows unless given): ``widths`` for every column but the last,
    which takes the rest; string cells are wrapped to their column.
    ``caption`` says above the table what it holds, ``note`` adds below it."""
    if not rows:
        return [CondPageBreak(KEEP_WITH_HEADING), text(title, SUBHEADING),
                text("None in this period.", SMALL)]
    columns = [*widths, width - sum(widths)]
    head = [plain(h, w, BOLD) for h, w in zip(header, columns, strict=True)]
    cells = [[plain(c, w) if isinstance(c, str) else c for c, w in zip(row, columns, strict=True)]
             for row in rows]
    # A heading is never left alone at the foot of a page.
    flow: list[Flowable] = [CondPageBreak(KEEP_WITH_HEADING + (CAPTION if caption else 0)),
                            text(f"{title} ({count or len(rows)})", SUBHEADING)]
    if caption:
        flow.append(text(caption, SMALL))
    flow.append(long_table(head, cells, columns, style or grid()))
    if note:
        flow.append(text(note, SMALL))
    return flow
