"""The brief as PDF: a learner's escaped words read as typed (no backslashes, no '?'), and their own "|" does
not split a table row; tables are real tables, the gap chart is drawn, and every page says "Page N of M"."""

from __future__ import annotations

import io
import re

from pypdf import PdfReader

from assistant.adapters.pdf_export import markdown_to_pdf
from assistant.core.formatting import markdown_text

NAME = "![a](https://evil.example/n.png)<img src=x> Mira"


def _text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_escaped_learner_text_reads_as_typed() -> None:
    markdown = "\n".join(
        [
            f"# Advising brief: {markdown_text(NAME)}",
            "| skill | evidence |",
            "|---|---|",
            f"| SQL | {markdown_text('queries | reports at www.acme.example')} |",
        ]
    )
    text = _text(markdown_to_pdf(markdown))
    assert "Advising brief: ![a](https://evil.example/n.png)<img src=x> Mira" in text
    assert "queries | reports at www.acme.example" in text
    assert "\\" not in text and "?" not in text


def test_a_pdf_of_a_brief_has_no_links() -> None:
    """A learner's ``[apply](https://evil.example)`` reads as those characters, never as a link to follow."""
    pdf = markdown_to_pdf(f"- {markdown_text('[apply](https://evil.example/apply) now')}\n- [x](https://a.example)")
    reader = PdfReader(io.BytesIO(pdf))
    assert all("/Annots" not in page for page in reader.pages)
    assert "[apply](https://evil.example/apply) now" in _text(pdf)


def _items(pdf: bytes) -> list[tuple[str, float, float]]:
    """Each text object written, with where it starts (x, y) on its page."""
    out: list[tuple[str, float, float]] = []

    def visit(text: str, cm: object, tm: list[float], font: object, size: object) -> None:
        if text.strip():
            out.append((text.strip(), round(tm[4], 1), round(tm[5], 1)))

    for page in PdfReader(io.BytesIO(pdf)).pages:
        page.extract_text(visitor_text=visit)
    return out


GAP = [
    "## Gap (core first)",
    "",
    "| skill | status | weight | closest evidence |",
    "|---|---|---|---|",
    "| SQL | weak | 1.00 | Built weekly reports from SQL queries… |",
    "| data mining | missing | 1.00 |  |",
    "| statistics | missing | 0.40 |  |",
]


def test_a_markdown_table_is_a_table_with_its_cells_in_columns() -> None:
    items = _items(markdown_to_pdf("\n".join(["# Brief", *GAP])))
    texts = [text for text, _, _ in items]
    assert not any("|" in text for text in texts)  # no cell borders written as text
    x_of = {text: x for text, x, _ in items}
    status_x = x_of["status"]
    statuses = [(x, y) for text, x, y in items if text in ("weak", "missing")]
    assert len(statuses) == 3 and all(x == status_x for x, _ in statuses)  # one column under its heading
    assert len({y for _, y in statuses}) == 3  # one row each
    assert x_of["skill"] < status_x < x_of["weight"] < x_of["closest evidence"]


def test_a_column_marked_right_aligned_is_right_aligned() -> None:
    items = _items(markdown_to_pdf("| item | hours |\n|---|---:|\n| a | 1 |\n| b | 1234 |"))
    x_of = {text: x for text, x, _ in items}
    assert x_of["1"] > x_of["1234"] > x_of["a"]  # the numbers end at the same edge


def test_every_page_says_page_n_of_m() -> None:
    markdown = "\n".join(["# Brief", *[f"- point {n} of a long brief" for n in range(150)], *GAP])
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(markdown_to_pdf(markdown))).pages]
    assert len(pages) >= 3
    for n, text in enumerate(pages, 1):
        assert text.rstrip().endswith(f"Page {n} of {len(pages)}"), text[-80:]


def _filled_rectangles(pdf: bytes) -> list[bytes]:
    """The fill colour of each filled rectangle drawn on the first page (the chart's bars and their tracks)."""
    contents = PdfReader(io.BytesIO(pdf)).pages[0].get_contents()
    assert contents is not None
    return re.findall(rb"([\d.]+ [\d.]+ [\d.]+) rg\n[-\d. ]+ re f\n", contents.get_data())


def test_the_gap_chart_is_drawn_under_the_gap_heading() -> None:
    chart = (("held", 1), ("partly shown (weak)", 2), ("missing", 7))
    pdf = markdown_to_pdf("\n".join(["# Brief", "## Goal", "", "x", *GAP]), chart=chart)
    text = _text(pdf)
    assert re.search(
        r"Gap \(core first\)\s+The goal's 10 skills.*\s+Held 1\s+Partly shown \(weak\) 2\s+Missing 7", text
    )
    assert text.index("Missing 7") < text.index("closest evidence")  # above the table
    bars = _filled_rectangles(pdf)
    assert b"0.7765 0.1569 0.1569" in bars and b"0.1804 0.4902 0.1961" in bars  # a red and a green bar
    assert _filled_rectangles(markdown_to_pdf("\n".join(GAP))) == []  # no chart asked for, none drawn


def test_a_learners_words_are_not_read_as_pdf_markup_or_page_numbers() -> None:
    """fpdf2 reads ``--``, ``__``, ``~~`` and ``**`` as styles and ``{nb}`` as the page count: not in a learner's
    words, in a bullet, a numbered item or a table cell."""
    said = "2019--2021 __init__ ~~old~~ **now** C:\\data\\ {nb} pages"
    markdown = "\n".join(
        [
            f"- **Mira**: {markdown_text(said)}",
            f"1. Tell me more about “{markdown_text(said)}”",
            "| skill | evidence |",
            "|---|---|",
            f"| SQL | {markdown_text(said)} |",
        ]
    )
    items = [text for text, _, _ in _items(markdown_to_pdf(markdown))]
    assert f": {said}" in items and f'"{said}"' in " ".join(items) and said in items
    assert "Mira" in items  # the brief's own bold is still bold: its own text object
