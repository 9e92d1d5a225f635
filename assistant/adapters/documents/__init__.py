"""Résumé files and pasted text → ``ResumeDocument``, within limits on size, pages, characters and time.

Formats are told apart by their bytes (``%PDF``, a zip holding ``word/document.xml``, else text), read with
pypdf and python-docx, and every failure is a ``DocumentError`` whose ``reason`` is one of too-large,
too-many-pages, encrypted, corrupt, empty, unsupported-type or timeout, and whose message a learner can act on.

    parse_resume_file(data, filename, content_type)   # the web upload path: isolated, time-limited
    parse_pasted_text(text)                            # the paste box
    extract_text(data, filename, content_type, limits) # in-process, for callers that isolate it themselves
"""

from __future__ import annotations

from assistant.adapters.documents._extract import extract_pasted_text, extract_text
from assistant.adapters.documents._limits import DocumentLimits, ExtractedText
from assistant.adapters.documents._worker import Extractor, run_isolated
from assistant.core.errors import DocumentError
from assistant.core.resume import ResumeDocument, SourceKind, structure

__all__ = [
    "DocumentError",
    "DocumentLimits",
    "ExtractedText",
    "Extractor",
    "extract_pasted_text",
    "extract_text",
    "parse_pasted_text",
    "parse_resume_file",
    "run_isolated",
]


def parse_resume_file(
    data: bytes,
    filename: str | None = None,
    content_type: str | None = None,
    limits: DocumentLimits | None = None,
    *,
    extractor: Extractor = extract_text,
) -> ResumeDocument:
    """Read an uploaded file in a killable worker process, then structure its text.

    A plain-text file is read in-process, as pasted text is: it needs no parser, only decoding and bounded
    patterns, and starting a worker cost about a third of a fresh upload's time under load."""
    from assistant.adapters.documents._extract import check_upload
    from assistant.adapters.documents._sniff import sniff

    limits = limits or DocumentLimits()
    check_upload(data, limits)  # refuse the obvious before starting a process
    if extractor is extract_text and not data.startswith(b"PK") and sniff(data) is SourceKind.TEXT:
        extracted = extract_text(data, filename, content_type, limits)
    else:
        extracted = run_isolated(extractor, data, filename, content_type, limits)
    return structure(extracted.text, source=extracted.kind, filename=extracted.filename, warnings=extracted.warnings)


def parse_pasted_text(text: str, limits: DocumentLimits | None = None) -> ResumeDocument:
    """Structure pasted text (no worker: it needs no parser)."""
    extracted = extract_pasted_text(text, limits or DocumentLimits())
    return structure(extracted.text, source=extracted.kind, warnings=extracted.warnings)
