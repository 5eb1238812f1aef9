"""Long tables of the PDF report: cells wrapped to their column, and a cost
per page that does not grow with the rows still to come."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import SimpleDocTemplate, Table

from spasmcare.exports.pdf_style import FONT, grid, register_fonts
from spasmcare.exports.pdf_table import PADDING, SIZE, long_table, plain

register_fonts()


@pytest.mark.parametrize("value", [
    "short", "a few words that will need more than one line in a narrow column",
    "x" * 300, "two\nlines and then some more words to wrap", "tabs\tand  spaces",
])
def test_plain_cells_fit_their_column_and_keep_every_word(value: str) -> None:
    lines = plain(value, 80).split("\n")
    assert all(stringWidth(line, FONT, SIZE) <= 80 - 2 * PADDING for line in lines)
    assert "".join("".join(lines).split()) == "".join(value.split())


def build(rows: int) -> tuple[bytes, int]:
    """A PDF of one long table of ``rows`` numbered rows, and how many rows
    reportlab measured to lay it out."""
    measured = 0
    original = Table._calc_height

    def counting(self: Table, *args: object, **kwargs: object) -> None:
        nonlocal measured
        measured += len(self._cellvalues)
        original(self, *args, **kwargs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Table, "_calc_height", counting)
        out = io.BytesIO()
        body = [[f"row {i}", "<b>&amp;</b> & < as written"] for i in range(rows)]
        SimpleDocTemplate(out, pagesize=A4).build(
            [long_table(["Row", "Text"], body, [80, 300], grid())])
    return out.getvalue(), measured


def test_every_row_is_laid_out_once_with_the_header_on_each_page() -> None:
    data, _ = build(1000)
    pages = [re.sub(r"\s+", " ", p.extract_text()) for p in PdfReader(io.BytesIO(data)).pages]
    everything = " ".join(pages)
    assert all(everything.count(f"row {i} ") == 1 for i in range(1000))
    assert all(page.startswith("Row Text") and page.count("Row Text") == 1 for page in pages)
    assert everything.count("<b>&amp;</b> & < as written") == 1000


def test_the_rows_measured_grow_with_the_pages_not_with_their_square() -> None:
    _, small = build(1000)
    _, large = build(4000)
    # One plain Table measures every remaining row at each page split: about
    # 47,000 rows for the small table and 730,000 for the large one (16x).
    # Windows of WINDOW rows measure a few windows a page: about 4.7 a row.
    assert large < 4.5 * small
    assert large < 8 * 4000
