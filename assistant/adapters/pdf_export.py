"""Markdown briefs as PDF with fpdf2: headings, bullets and numbered items with hanging indents, Markdown
tables as real tables, bold kept, a gap chart under the gap heading and "Page N of M" in every footer.

The core PDF fonts cover Latin-1 only, so typographic characters are mapped to plain equivalents and
anything else outside Latin-1 becomes '?', rather than failing an export over one character.

A learner's words stay text: ``markdown_text`` escaped them in the brief and they are unescaped here, then
written so that neither fpdf2's own Markdown (``**``, ``__``, ``~~``, ``--``, links) nor its page-count
alias acts on them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from fpdf import FPDF
from fpdf.fonts import FontFace

from assistant.core.formatting import unescape_markdown_text

_PLAIN = str.maketrans(
    {
        "“": '"',
        "”": '"',
        "‘": "'",
        "’": "'",
        "—": "-",
        "–": "-",
        "…": "...",
        "→": "->",
        "•": "-",
        "≥": ">=",
        "≤": "<=",
        "€": "EUR ",
        "\u00a0": " ",
        "\u2060": "",  # the word joiner markdown_text puts in addresses
    }
)

FONT = "Helvetica"
BODY_SIZE = 9.5
LINE = 5.0
INDENT = 5.0  # mm per nesting level of a list
INK = (33, 33, 33)
MUTED = (110, 110, 110)
RULE = (200, 200, 200)
HEADING_FILL = (232, 236, 241)
#: bar colours of the gap chart (held, partly shown, missing)
STATUS_COLOURS = {
    "held": (46, 125, 50),
    "partly shown (weak)": (239, 156, 0),
    "missing": (198, 40, 40),
}
#: the same statuses written in the gap table (a darker amber, readable as text on white)
STATUS_TEXT_COLOURS = {"held": (46, 125, 50), "weak": (168, 98, 0), "missing": (198, 40, 40)}

_ROW = re.compile(r"^\s*\|.*\|\s*$")
_RULE_ROW = re.compile(r"^\s*\|[-:| ]+\|\s*$")
_HEADING = re.compile(r"^(#{1,3})\s+(.*)$")
_BULLET = re.compile(r"^(\s*)[-*+]\s+(.*)$")
_NUMBERED = re.compile(r"^(\s*)(\d{1,3})[.)]\s+(.*)$")
_CELL_BORDER = re.compile(r"(?<!\\)\|")  # a learner's own "|" is escaped ("\|"): not a cell border
_BOLD = re.compile(r"(?<!\\)\*\*")  # the brief's own bold; a learner's "*" is escaped
_ITALIC_LINE = re.compile(r"^_(.*[^\\])_$")  # the brief's own "_(none yet)_"; a learner's "_" is escaped
_FPDF_MARKUP = re.compile(r"(\\*)(\*\*|__|~~|--)|(\\+)")


def _latin1(text: str) -> str:
    return text.translate(_PLAIN).encode("latin-1", "replace").decode("latin-1")


def _fpdf_literal(text: str) -> str:
    """Plain text written for fpdf2's Markdown so that it reads as typed: its markers are escaped, and every
    backslash is doubled (fpdf2 writes ``n`` backslashes as ``(n + 1) // 2`` of them, ``n // 2`` before an
    escaped marker)."""

    def escaped(match: re.Match[str]) -> str:
        if match.group(2):
            return match.group(1) * 2 + "\\" + match.group(2)
        return match.group(3) * 2

    return _FPDF_MARKUP.sub(escaped, text)


def _rich(markdown: str) -> str:
    """A line of the brief as fpdf2 Markdown: the brief's own ``**bold**`` and italic lines kept, everything
    else literal."""
    italic = _ITALIC_LINE.match(markdown)
    if italic:
        return f"__{_rich(italic.group(1))}__"
    parts = _BOLD.split(_latin1(markdown))
    if len(parts) % 2 == 0:  # an unpaired "**": no bold at all rather than the rest of the line
        parts = ["**".join(parts)]
    return "**".join(_fpdf_literal(unescape_markdown_text(part)) for part in parts)


def _plain(markdown: str) -> str:
    """A line of the brief as plain text (headings, table cells): escapes undone, bold markers dropped."""
    return unescape_markdown_text(_BOLD.sub("", _latin1(markdown)))


@dataclass(frozen=True)
class _Table:
    rows: list[list[str]]
    has_heading: bool
    align: tuple[str, ...] = ()  # per column, from the rule row ("---:" right, ":---:" centre)


def _alignments(rule: str) -> tuple[str, ...]:
    cells = [cell.strip() for cell in rule.strip().removeprefix("|").removesuffix("|").split("|")]
    return tuple(
        "CENTER" if c.startswith(":") and c.endswith(":") else "RIGHT" if c.endswith(":") else "LEFT" for c in cells
    )


class _BriefPdf(FPDF):
    """fpdf2's Markdown makes ``[words](address)`` a live link; a brief quotes learners (``markdown_text``
    escapes their brackets, undone here for reading), so a PDF of it has no links at all."""

    MARKDOWN_LINK_REGEX = re.compile(r"(?!)")

    def __init__(self, pages: int | None) -> None:
        super().__init__(format="A4")
        self.total_pages = pages
        self.alias_nb_pages("")  # "{nb}" in a learner's words stays "{nb}"; the total is known instead

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(FONT, "", 8)
        self.set_text_color(*MUTED)
        total = f" of {self.total_pages}" if self.total_pages else ""
        self.cell(0, 5, f"Page {self.page_no()}{total}", align="C")
        self.set_text_color(*INK)


def _blocks(markdown: str) -> list[object]:
    """Lines, with each run of table rows gathered into one table."""
    out: list[object] = []
    lines = markdown.splitlines()
    i = 0
    while i < len(lines):
        if _ROW.match(lines[i]):
            rows: list[list[str]] = []
            has_heading = False
            align: tuple[str, ...] = ()
            while i < len(lines) and _ROW.match(lines[i]):
                if _RULE_ROW.match(lines[i]):
                    if len(rows) == 1:
                        has_heading, align = True, _alignments(lines[i])
                else:
                    inner = lines[i].strip().removeprefix("|").removesuffix("|")
                    rows.append([cell.strip() for cell in _CELL_BORDER.split(inner)])
                i += 1
            out.append(_Table(rows, has_heading, align))
            continue
        out.append(lines[i].rstrip())
        i += 1
    return out


def _column_widths(pdf: FPDF, table: list[list[str]], width: float) -> tuple[float, ...]:
    """Each column as wide as its widest cell (measured in bold, as headings and statuses are written), the
    widest ones narrowed (wrapping) to fit the page."""
    columns = max(len(row) for row in table)
    natural = [0.0] * columns
    style, size = pdf.font_style, pdf.font_size_pt
    pdf.set_font(FONT, "B", size)
    for row in table:
        for n, cell in enumerate(row):
            natural[n] = max(natural[n], pdf.get_string_width(cell) + 4)
    pdf.set_font(FONT, style, size)
    natural = [max(w, 12.0) for w in natural]
    if sum(natural) <= width:
        return tuple(w * width / sum(natural) for w in natural)
    fixed: dict[int, float] = {}
    while True:  # columns narrower than a fair share of what is left keep their width
        free = [n for n in range(columns) if n not in fixed]
        share = (width - sum(fixed.values())) / len(free)
        narrow = {n: natural[n] for n in free if natural[n] <= share}
        if not narrow or len(narrow) == len(free):
            break
        fixed |= narrow
    left = width - sum(fixed.values())
    rest = [n for n in range(columns) if n not in fixed]
    total = sum(natural[n] for n in rest)
    return tuple(fixed.get(n, natural[n] * left / total) for n in range(columns))


def _table(pdf: _BriefPdf, block: _Table, width: float) -> None:
    rows = [[_plain(cell) for cell in row] for row in block.rows]
    columns = max(len(row) for row in rows)
    rows = [row + [""] * (columns - len(row)) for row in rows]
    status = rows[0].index("status") if block.has_heading and "status" in rows[0] else None
    align = tuple(block.align[n] if n < len(block.align) else "LEFT" for n in range(columns))
    pdf.set_font(FONT, "", 8.5)
    pdf.set_draw_color(*RULE)
    pdf.set_fill_color(255, 255, 255)
    with pdf.table(
        width=width,
        col_widths=_column_widths(pdf, rows, width),
        text_align=align,
        line_height=4.4,
        padding=(1, 1.5),
        first_row_as_headings=block.has_heading,
        headings_style=FontFace(emphasis="BOLD", fill_color=HEADING_FILL),
        markdown=False,
    ) as table:
        for r, cells in enumerate(rows):
            row = table.row()
            for n, text in enumerate(cells):
                colour = STATUS_TEXT_COLOURS.get(text) if n == status and r > 0 else None
                row.cell(text, style=FontFace(color=colour, emphasis="BOLD") if colour else None)
    pdf.set_draw_color(0, 0, 0)
    pdf.ln(2)


def _chart(pdf: _BriefPdf, chart: Sequence[tuple[str, int]], width: float) -> None:
    """A horizontal bar per status, its count written after it (the numbers are the text alternative)."""
    total = sum(n for _, n in chart)
    pdf.set_font(FONT, "B", BODY_SIZE)
    pdf.cell(width, LINE, f"The goal's {total} skills, by what the résumé shows", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(1)
    pdf.set_font(FONT, "", BODY_SIZE)
    label_w = max((pdf.get_string_width(label.capitalize()) for label, _ in chart), default=0.0) + 4
    bar_h, gap = 5.0, 2.0
    bar_w = width - label_w - 20
    biggest = max((n for _, n in chart), default=0) or 1
    if pdf.will_page_break(len(chart) * (bar_h + gap)):
        pdf.add_page()
    for label, n in chart:
        x, y = pdf.l_margin, pdf.get_y()
        pdf.set_xy(x, y)
        pdf.cell(label_w, bar_h, label.capitalize())
        pdf.set_fill_color(242, 242, 242)
        pdf.rect(x + label_w, y, bar_w, bar_h, style="F")
        if n:
            pdf.set_fill_color(*STATUS_COLOURS.get(label, MUTED))
            pdf.rect(x + label_w, y, max(bar_w * n / biggest, 0.8), bar_h, style="F")
        pdf.set_xy(x + label_w + bar_w + 2, y)
        pdf.cell(18, bar_h, str(n))
        pdf.set_xy(x, y + bar_h + gap)
    pdf.set_fill_color(255, 255, 255)
    pdf.ln(2)


def _render(markdown: str, title: str, chart: Sequence[tuple[str, int]] | None, pages: int | None) -> _BriefPdf:
    pdf = _BriefPdf(pages)
    pdf.set_title(_latin1(title))
    pdf.set_creator("Stackwise")
    pdf.set_auto_page_break(auto=True, margin=18)
    pdf.set_text_color(*INK)
    pdf.add_page()
    width = pdf.w - pdf.l_margin - pdf.r_margin
    for block in _blocks(markdown):
        if isinstance(block, _Table):
            _table(pdf, block, width)
            continue
        line = str(block)
        if not line.strip():
            pdf.ln(2.5)
            continue
        heading = _HEADING.match(line)
        if heading:
            level = len(heading.group(1))
            size = {1: 16, 2: 13, 3: 11}[level]
            if level > 1:
                pdf.ln(2)
            if pdf.will_page_break(size * 0.55 + 3 * LINE):  # a heading is not left alone at a page's foot
                pdf.add_page()
            pdf.set_font(FONT, "B", size)
            pdf.multi_cell(width, size * 0.55, _plain(heading.group(2)), align="L", new_x="LMARGIN", new_y="NEXT")
            if level == 2:
                y = pdf.get_y() + 0.5
                pdf.set_draw_color(*RULE)
                pdf.line(pdf.l_margin, y, pdf.l_margin + width, y)
                pdf.set_draw_color(0, 0, 0)
            pdf.ln(1.5)
            if chart is not None and heading.group(2).startswith("Gap"):
                _chart(pdf, chart, width)
            continue
        pdf.set_font(FONT, "", BODY_SIZE)
        item = _BULLET.match(line) or _NUMBERED.match(line)
        if item is None:
            pdf.multi_cell(width, LINE, _rich(line), markdown=True, align="L", new_x="LMARGIN", new_y="NEXT")
            continue
        depth = len(item.group(1).expandtabs(4)) // 2
        marker = "-" if item.re is _BULLET else f"{item.group(2)}."
        text = item.group(item.lastindex or 2)
        left = pdf.l_margin + INDENT * depth
        marker_w = 6.0 if item.re is _NUMBERED else 4.0
        if pdf.will_page_break(LINE):  # the marker goes on the page its text starts on
            pdf.add_page()
        pdf.set_x(left)
        y = pdf.get_y()
        if item.re is _BULLET:
            pdf.set_fill_color(*INK)
            pdf.circle(left + 1.2, y + LINE / 2, 0.55, style="F")
        else:
            pdf.cell(marker_w, LINE, marker)
        pdf.set_xy(left + marker_w, y)
        pdf.multi_cell(
            width - INDENT * depth - marker_w,
            LINE,
            _rich(text),
            markdown=True,
            align="L",
            new_x="LMARGIN",
            new_y="NEXT",
        )
    return pdf


def markdown_to_pdf(
    markdown: str, *, title: str = "Stackwise brief", chart: Sequence[tuple[str, int]] | None = None
) -> bytes:
    """The brief as PDF; ``chart`` (status, count) pairs are drawn as bars under the gap heading."""
    pages = _render(markdown, title, chart, None).pages_count
    return bytes(_render(markdown, title, chart, pages).output())
