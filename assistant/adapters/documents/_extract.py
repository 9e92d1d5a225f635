"""In-process extraction: bytes (or pasted text) → plain text, with every limit but the time limit.

Use ``extract_text`` directly only where the caller already isolates it; ``parse_resume_file`` runs it in
a worker process that can be killed.
"""

from __future__ import annotations

from pathlib import PurePath

from assistant.adapters.documents import _messages as say
from assistant.adapters.documents._docx import read_docx
from assistant.adapters.documents._limits import DocumentLimits, ExtractedText
from assistant.adapters.documents._pdf import read_pdf
from assistant.adapters.documents._sniff import is_markdown_name, mismatch_warning, sniff
from assistant.adapters.documents._text import decode, looks_like_markdown, strip_markdown
from assistant.core.resume import SourceKind

_MAX_FILENAME = 255


def check_upload(data: bytes, limits: DocumentLimits) -> None:
    """The checks that need no parsing: run them before paying for a worker process."""
    if not data:
        raise say.EMPTY_FILE.error()
    if len(data) > limits.max_bytes:
        raise say.too_large_file(len(data), limits.max_bytes)


def safe_filename(filename: str | None) -> str | None:
    """The base name only (never a client's path), trimmed."""
    if not filename:
        return None
    name = PurePath(filename.replace("\\", "/")).name.strip()
    return name[:_MAX_FILENAME] or None


def extract_text(data: bytes, filename: str | None, content_type: str | None, limits: DocumentLimits) -> ExtractedText:
    """Read a PDF, DOCX, TXT or Markdown file; the format comes from the bytes, the name only breaks ties
    between plain text and Markdown. Raises DocumentError with a reason and a message for the learner."""
    check_upload(data, limits)
    name = safe_filename(filename)
    kind = sniff(data)
    warnings = [note] if (note := mismatch_warning(kind, name)) else []
    pages: int | None = None
    if kind is SourceKind.PDF:
        text, pages = read_pdf(data, limits)
    elif kind is SourceKind.DOCX:
        text = read_docx(data, limits)
    else:
        text = decode(data)
        if is_markdown_name(name, content_type) or looks_like_markdown(text):
            kind, text = SourceKind.MARKDOWN, strip_markdown(text)
    return _checked(ExtractedText(text=text, kind=kind, filename=name, pages=pages, warnings=tuple(warnings)), limits)


def extract_pasted_text(text: str, limits: DocumentLimits) -> ExtractedText:
    """Pasted text gets the same character and emptiness limits; Markdown in it is stripped."""
    if len(text) > limits.max_chars:
        raise say.too_much_text(limits.max_chars)
    if looks_like_markdown(text):
        text = strip_markdown(text)
    return _checked(ExtractedText(text=text, kind=SourceKind.PASTED), limits)


def _checked(extracted: ExtractedText, limits: DocumentLimits) -> ExtractedText:
    if len(extracted.text) > limits.max_chars:
        raise say.too_much_text(limits.max_chars)
    if not extracted.text.strip():
        raise say.EMPTY_TEXT.error()
    return extracted
