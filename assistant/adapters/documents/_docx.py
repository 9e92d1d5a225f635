"""DOCX text through python-docx, after checking the zip itself so a bomb is never unpacked.

Body paragraphs and tables come out in document order, text boxes after the paragraph that anchors them,
the page header first (résumé templates put the name and contact details there).
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from typing import Any

from assistant.adapters.documents import _messages as say
from assistant.adapters.documents._limits import MB, DocumentLimits
from assistant.core.errors import DocumentError

_MAX_MEMBERS = 2_000
_MAX_RATIO = 200  # real Word XML compresses 5-20×; a bomb compresses 1000×
_RATIO_FLOOR = 2 * MB  # small members may compress as they like
_MAX_JOINED_CELL = 120
_TEXTBOXES = ".//*[local-name()='txbxContent'][not(ancestor::*[local-name()='Fallback'])]/*[local-name()='p']"


def check_package(data: bytes, limits: DocumentLimits) -> None:
    """Refuse a damaged, encrypted or over-expanding zip from its directory alone (nothing decompressed)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise say.DOCX_CORRUPT.error() from None
    if "word/document.xml" not in {member.filename for member in members}:
        raise say.DOCX_CORRUPT.error()
    if any(member.flag_bits & 0x1 for member in members):
        raise say.DOCX_PASSWORD.error()
    if len(members) > _MAX_MEMBERS or sum(member.file_size for member in members) > limits.max_unpacked_bytes:
        raise say.unpacks_too_large()
    for member in members:
        if member.file_size > _RATIO_FLOOR and member.file_size > _MAX_RATIO * max(member.compress_size, 1):
            raise say.unpacks_too_large()


def read_docx(data: bytes, limits: DocumentLimits) -> str:
    check_package(data, limits)
    import docx

    try:
        document = docx.Document(io.BytesIO(data))
        lines: list[str] = []
        total = 0
        for line in _document_lines(document):
            total += len(line) + 1
            if total > limits.max_chars:
                raise say.too_much_text(limits.max_chars)
            lines.append(line)
    except DocumentError:
        raise
    except MemoryError:
        raise say.OUT_OF_MEMORY.error() from None
    except Exception:  # python-docx and lxml raise many types on damaged packages
        raise say.DOCX_CORRUPT.error() from None
    text = "\n".join(lines)
    if not text.strip():
        raise say.DOCX_NO_TEXT.error()
    return text


# python-docx ships no type information, so its objects are Any here.
def _document_lines(document: Any) -> Iterator[str]:
    if document.sections:
        section = document.sections[0]
        headers = [section.header]
        if section.different_first_page_header_footer:
            headers.insert(0, section.first_page_header)
        for header in headers:
            if not header.is_linked_to_previous:  # reading a missing header would create one
                yield from _blocks(header.iter_inner_content())
    yield from _blocks(document.iter_inner_content())


def _blocks(blocks: Iterator[Any]) -> Iterator[str]:
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    for block in blocks:
        if isinstance(block, Paragraph):
            yield f"- {block.text}" if _is_list_item(block) and block.text.strip() else block.text
            for element in block._p.xpath(_TEXTBOXES):
                yield Paragraph(element, block._parent).text
        elif isinstance(block, Table):
            yield from _table(block)


def _is_list_item(paragraph: Any) -> bool:
    """Word draws list bullets from numbering, not text: mark them so the structurer sees bullets."""
    properties = paragraph._p.pPr
    if properties is not None and properties.numPr is not None:
        return True
    style = paragraph.style
    return style is not None and str(style.name).startswith("List")


def _table(table: Any) -> Iterator[str]:
    """A row of short single-line cells is one line ("Jan 2019 – Present | Data Analyst"); otherwise
    each cell's content follows the previous one (a two-column layout)."""
    for row in table.rows:
        cells = list({cell._tc: cell for cell in row.cells}.values())  # merged cells repeat
        texts = [cell.text.strip() for cell in cells]
        simple = all(
            "\n" not in text and len(text) <= _MAX_JOINED_CELL and not cell.tables
            for text, cell in zip(texts, cells, strict=True)
        )
        if simple:
            yield " | ".join(text for text in texts if text)
        else:
            for cell in cells:
                yield from _blocks(cell.iter_inner_content())
            yield ""
