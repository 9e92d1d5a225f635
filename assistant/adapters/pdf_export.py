"""Markdown briefs as PDF with fpdf2: headings, bullets, tables as aligned rows, bold kept.

The core PDF fonts cover Latin-1 only, so typographic characters are mapped to plain equivalents and
anything else outside Latin-1 becomes '?', rather than failing an export over one character.
"""

from __future__ import annotations

import re

from fpdf import FPDF

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


def _latin1(text: str) -> str:
    return text.translate(_PLAIN).encode("latin-1", "replace").decode("latin-1")


class _BriefPdf(FPDF):
    """fpdf2's Markdown makes ``[words](address)`` a live link; a brief quotes learners (``markdown_text``
    escapes their brackets, undone here for reading), so a PDF of it has no links at all."""

    MARKDOWN_LINK_REGEX = re.compile(r"(?!)")


def markdown_to_pdf(markdown: str, *, title: str = "Stackwise brief") -> bytes:
    pdf = _BriefPdf(format="A4")
    pdf.set_title(_latin1(title))
    pdf.set_creator("Stackwise")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    width = pdf.w - pdf.l_margin - pdf.r_margin
    for raw in markdown.splitlines():
        line = _latin1(raw.rstrip())
        if not line.strip():
            pdf.ln(3)
            continue
        if re.match(r"^\|[-| ]+\|$", line):
            continue
        heading = re.match(r"^(#{1,3})\s+(.*)$", line)
        if heading:
            size = {1: 16, 2: 13, 3: 11}[len(heading.group(1))]
            pdf.set_font("Helvetica", "B", size)
            text = unescape_markdown_text(heading.group(2).replace("**", ""))
            pdf.multi_cell(width, size * 0.55, text, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(1)
            continue
        pdf.set_font("Helvetica", "", 9.5)
        if line.startswith("|"):  # a learner's own "|" is escaped ("\\|"): not a cell border
            cells = [c.strip() for c in re.split(r"(?<!\\)\|", line.strip().removeprefix("|").removesuffix("|"))]
            line = "  |  ".join(cells)
        pdf.multi_cell(width, 5, unescape_markdown_text(line), markdown=True, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
