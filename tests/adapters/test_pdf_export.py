"""The brief as PDF: a learner's escaped words read as typed (no backslashes, no '?'), and their own "|" does
not split a table row."""

from __future__ import annotations

import io

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
