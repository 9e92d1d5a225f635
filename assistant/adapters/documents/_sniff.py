"""Which reader a file needs, decided by its bytes: a '.pdf' that is really a zip is read as what it is."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import PurePath

from assistant.adapters.documents import _messages as say
from assistant.core.resume import SourceKind

_PDF_HEADER = re.compile(rb"%PDF-\d\.\d")
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")
_IMAGES = (
    (b"\x89PNG\r\n\x1a\n", "PNG"),
    (b"\xff\xd8\xff", "JPEG"),
    (b"GIF87a", "GIF"),
    (b"GIF89a", "GIF"),
    (b"II*\x00", "TIFF"),
    (b"MM\x00*", "TIFF"),
)
_OTHER_ZIPS = (
    ("xl/", "an Excel spreadsheet"),
    ("ppt/", "a PowerPoint presentation"),
    ("mimetype", "an OpenDocument file"),
)
_EXTENSIONS = {
    SourceKind.PDF: {".pdf"},
    SourceKind.DOCX: {".docx", ".docm", ".dotx"},
    SourceKind.TEXT: {".txt", ".text", ".md", ".markdown", ".csv", ""},
}
_MARKDOWN_EXTENSIONS = {".md", ".markdown"}


def sniff(data: bytes) -> SourceKind:
    """PDF, DOCX or TEXT from the content alone; anything else is refused with a message saying what it is."""
    if _PDF_HEADER.search(data[:1024]):  # readers accept junk before the header, so must we
        return SourceKind.PDF
    if data.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return _sniff_zip(data)
    if data.startswith(_OLE):
        raise (say.DOCX_PASSWORD if _ENCRYPTED_PACKAGE in data else say.LEGACY_WORD).error()
    for magic, name in _IMAGES:
        if data.startswith(magic):
            raise say.image(name)
    if data.startswith(b"BM") and data[6:10] == b"\x00\x00\x00\x00":
        raise say.image("BMP")
    if data.startswith(b"RIFF") and data[8:12] == b"WEBP":
        raise say.image("WebP")
    if data[4:12] in (b"ftypheic", b"ftypheix", b"ftypmif1"):
        raise say.image("HEIC")
    if data.startswith(b"{\\rtf"):
        raise say.RTF.error()
    return SourceKind.TEXT


def _sniff_zip(data: bytes) -> SourceKind:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise say.DOCX_CORRUPT.error() from None
    if "word/document.xml" in names:
        return SourceKind.DOCX
    for prefix, kind in _OTHER_ZIPS:
        if any(name.startswith(prefix) for name in names):
            raise say.other_office(kind)
    raise say.other_office("a zip archive")


def extension(filename: str | None) -> str:
    return PurePath(filename).suffix.casefold() if filename else ""


def is_markdown_name(filename: str | None, content_type: str | None) -> bool:
    media = (content_type or "").split(";")[0].strip().casefold()
    return extension(filename) in _MARKDOWN_EXTENSIONS or media in {"text/markdown", "text/x-markdown"}


def mismatch_warning(kind: SourceKind, filename: str | None) -> str | None:
    """A note when the name says one format and the content another (the content wins)."""
    suffix = extension(filename)
    if not suffix or suffix in _EXTENSIONS.get(kind, set()):
        return None
    if kind is SourceKind.TEXT and suffix not in {".pdf", ".docx", ".doc"}:
        return None
    described = {SourceKind.PDF: "a PDF", SourceKind.DOCX: "a Word document"}.get(kind, "plain text")
    return f"The file is named “{PurePath(filename or '').name}” but contains {described}; it was read as one."
