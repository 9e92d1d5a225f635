"""Hostile résumé files, made in code at run time, read through the upload path. ``python -m eval.hostile_files``.

Each case is a file an attacker or a broken exporter could upload — zip bombs, XML entity bombs, PDFs nested
thousands deep or referring to themselves, encrypted and truncated files, lying extensions, 50 MB of text,
control and bidirectional characters — with the outcomes the service may answer it with: a
``DocumentError`` of an allowed reason with a message in plain words, or parsed text with no control or
format characters left. Every case goes through ``parse_resume_file`` (extraction in a killable,
memory-capped worker, then structuring in this process), so the corpus also checks the parent: a case that
takes longer than the time limit plus ``HANG_MARGIN_S`` counts as a hang even though nothing kills it.

Nothing binary is committed: bombs are a few KB to a few MB built here, and a 4 GB deflate stream is written
by repeating one compressed block. After the corpus a normal résumé must still parse ("the service keeps
serving"). The run exits 1 on any crash (an exception other than ``DocumentError``), hang, unexpected outcome
or message that is not plain words.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import secrets
import struct
import sys
import threading
import time
import unicodedata
import zipfile
import zlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from assistant.adapters.documents import DocumentError, DocumentLimits, parse_resume_file
from assistant.core.resume import ResumeDocument

MB = 1024 * 1024
HANG_MARGIN_S = 10.0  # worker start-up and structuring in the parent, on a slow shared machine
NORMAL_RESUME = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "resumes" / "data_analyst.txt"
PARSED = "parsed"
RESUME_LINES = (
    "Sam Rivera",
    "WORK EXPERIENCE",
    "Data Analyst, Acme Corp    Jan 2020 - Present",
    "- Built Tableau dashboards for the sales team",
    "SKILLS",
    "SQL, Python, Excel",
)
Check = Callable[[ResumeDocument], str | None]


@dataclass(frozen=True)
class HostileCase:
    """One hostile upload: ``build`` makes its bytes when run; ``expected`` lists acceptable outcomes
    (``DocumentError`` reasons, or ``"parsed"``); ``check`` vets a parsed document; ``slow`` cases are
    left out of the default test suite."""

    name: str
    filename: str
    build: Callable[[], bytes]
    expected: frozenset[str]
    what: str
    slow: bool = False
    check: Check | None = None


@dataclass(frozen=True)
class CaseResult:
    """What one case came to; ``problems`` is empty when it was handled as expected."""

    name: str
    outcome: str  # a DocumentError reason, "parsed", "crash: <type>" or "hang"
    seconds: float
    worker_peak_mb: float | None  # peak resident memory of the extraction worker; None if none started
    message: str = ""
    problems: tuple[str, ...] = field(default_factory=tuple)
    what: str = ""

    @property
    def ok(self) -> bool:
        return not self.problems


# --- PDF builders ----------------------------------------------------------------------------------------


def _pdf(objects: Sequence[bytes], *, trailer: bytes = b"", header: bytes = b"%PDF-1.7") -> bytes:
    """Numbered objects (1 is the catalog) with a correct classic xref table."""
    out = bytearray(header + b"\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R %s>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, trailer, xref)
    return bytes(out)


def _stream(body: bytes, extra: bytes = b"") -> bytes:
    return b"<< /Length %d %s>>\nstream\n%s\nendstream" % (len(body), extra, body)


def _text_stream(lines: Iterable[str]) -> bytes:
    shown = b" ".join(b"(" + line.encode("latin-1") + b") Tj T*" for line in lines)
    return _stream(b"BT /F1 11 Tf 14 TL 72 740 Td " + shown + b" ET")


_CATALOG = b"<< /Type /Catalog /Pages 2 0 R >>"
_FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"


def _page(parent: int, contents: bytes, extra: bytes = b"") -> bytes:
    return (
        b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> "
        b"/Contents %s %s>>" % (parent, contents, extra)
    )


def resume_pdf(pages: int = 1) -> bytes:
    """A small valid PDF: catalog 1, pages 2, font 3, then a page and its content stream per page."""
    kids = b" ".join(b"%d 0 R" % (4 + 2 * index) for index in range(pages))
    objects = [_CATALOG, b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, pages), _FONT]
    for index in range(pages):
        objects += [_page(2, b"%d 0 R" % (5 + 2 * index)), _text_stream(RESUME_LINES)]
    return _pdf(objects)


def _one_page_pdf(page_extra: bytes = b"", contents: bytes = b"5 0 R", *tail: bytes) -> bytes:
    """Catalog, pages, font, one page (with ``page_extra`` in its dictionary), then ``tail`` objects 5, 6, …"""
    pages = b"<< /Type /Pages /Kids [4 0 R] /Count 1 >>"
    return _pdf([_CATALOG, pages, _FONT, _page(2, contents, page_extra), *(tail or (_text_stream(RESUME_LINES),))])


def pdf_deep_arrays() -> bytes:
    depth = 50_000
    return _one_page_pdf(b"/Junk " + b"[" * depth + b"]" * depth)


def pdf_deep_dicts() -> bytes:
    depth = 50_000
    return _one_page_pdf(b"/Junk " + b"<< /A " * depth + b">> " * depth)


def pdf_deep_page_tree() -> bytes:
    """A page tree 10,000 levels deep with one page at the bottom."""
    depth = 10_000
    first_node = 6
    objects = [_CATALOG, b"<< /Type /Pages /Kids [%d 0 R] /Count 1 >>" % first_node, _FONT]
    objects += [_page(first_node + depth - 1, b"5 0 R"), _text_stream(RESUME_LINES)]
    for level in range(depth):
        number = first_node + level
        parent = 2 if level == 0 else number - 1
        kid = 4 if level == depth - 1 else number + 1
        objects.append(b"<< /Type /Pages /Parent %d 0 R /Kids [%d 0 R] /Count 1 >>" % (parent, kid))
    return _pdf(objects)


def pdf_page_tree_cycle() -> bytes:
    """The page tree lists itself among its kids."""
    pages = b"<< /Type /Pages /Kids [2 0 R 4 0 R] /Count 2 >>"
    return _pdf([_CATALOG, pages, _FONT, _page(2, b"5 0 R"), _text_stream(RESUME_LINES)])


def pdf_reference_loop() -> bytes:
    """The page's contents are a reference to a reference back to the first."""
    return _one_page_pdf(b"", b"5 0 R", b"6 0 R", b"5 0 R")


def pdf_length_loop() -> bytes:
    """A content stream whose /Length is a reference to the stream itself."""
    body = b"BT /F1 11 Tf 72 740 Td (Sam Rivera) Tj ET"
    stream = b"<< /Length 5 0 R >>\nstream\n" + body + b"\nendstream"
    return _one_page_pdf(b"", b"5 0 R", stream)


def pdf_xref_prev_loop() -> bytes:
    """The trailer's /Prev points back at its own xref table, so following it never ends."""
    data = resume_pdf()
    xref = int(data.rsplit(b"startxref\n", 1)[1].split(b"\n", 1)[0])
    return data.replace(b"/Root 1 0 R ", b"/Root 1 0 R /Prev %d " % xref)


def pdf_object_stream_loop() -> bytes:
    """A cross-reference stream that says object 5 lives in object stream 6 and object 6 in object stream 5."""
    header = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"
    bodies = [_CATALOG, b"<< /Type /Pages /Kids [4 0 R] /Count 1 >>", _FONT, _page(2, b"5 0 R")]
    out = bytearray(header)
    offsets = []
    for number, body in enumerate(bodies, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref_offset = len(out)
    rows = [(0, 0, 65535)] + [(1, offset, 0) for offset in offsets] + [(2, 6, 0), (2, 5, 0), (1, xref_offset, 0)]
    table = b"".join(kind.to_bytes(1, "big") + a.to_bytes(4, "big") + b.to_bytes(2, "big") for kind, a, b in rows)
    out += b"7 0 obj\n" + _stream(table, b"/Type /XRef /Size 8 /W [1 4 2] /Root 1 0 R ") + b"\nendobj\n"
    out += b"startxref\n%d\n%%%%EOF\n" % xref_offset
    return bytes(out)


def pdf_text_flood() -> bytes:
    """20 pages (the page limit) of 12,000 characters each: 240,000 characters in all."""
    line = "Python SQL Excel Tableau dashboards " * 3
    kids = b" ".join(b"%d 0 R" % (4 + 2 * index) for index in range(20))
    objects = [_CATALOG, b"<< /Type /Pages /Kids [%s] /Count 20 >>" % kids, _FONT]
    for index in range(20):
        objects += [_page(2, b"%d 0 R" % (5 + 2 * index)), _text_stream([line] * 111)]
    return _pdf(objects)


def docx_text_flood() -> bytes:
    return _docx(_document_xml(_paragraphs(["Python SQL Excel Tableau dashboards " * 3] * 3_000)))


def pdf_many_pages() -> bytes:
    return resume_pdf(pages=3_000)


def deflated_zeros(megabytes: int, *, zlib_wrapper: bool) -> bytes:
    """``megabytes`` MB of zeros, deflated in about a thousandth of that: one compressed block, repeated
    (after a full flush the compressor starts afresh, so every 1 MB block compresses to the same bytes)."""
    chunk = bytes(MB)
    compressor = zlib.compressobj(9, zlib.DEFLATED, zlib.MAX_WBITS if zlib_wrapper else -zlib.MAX_WBITS)
    first = compressor.compress(chunk) + compressor.flush(zlib.Z_FULL_FLUSH)
    block = compressor.compress(chunk) + compressor.flush(zlib.Z_FULL_FLUSH)
    end = compressor.flush()
    if not zlib_wrapper:
        return first + block * (megabytes - 1) + end
    checksum = 1
    for _ in range(megabytes):
        checksum = zlib.adler32(chunk, checksum)
    return first + block * (megabytes - 1) + end[:-4] + checksum.to_bytes(4, "big")


def pdf_flate_bomb() -> bytes:
    """A page whose content stream inflates to 4 GB of zeros (4 MB on disk)."""
    deflated = deflated_zeros(4096, zlib_wrapper=True)
    return _one_page_pdf(b"", b"5 0 R", _stream(deflated, b"/Filter /FlateDecode "))


def pdf_huge_xref() -> bytes:
    """An xref table that claims 100 million objects."""
    data = resume_pdf()
    start = data.rindex(b"xref\n0 ")
    line_end = data.index(b"\n", start + 5)
    forged = data[:start] + b"xref\n0 100000000" + data[line_end:]
    return forged.replace(b"/Size 6 ", b"/Size 100000000 ")


def _encrypted_pdf(algorithm: str) -> Callable[[], bytes]:
    def build() -> bytes:
        from pypdf import PdfReader, PdfWriter

        writer = PdfWriter(clone_from=PdfReader(io.BytesIO(resume_pdf())))
        writer.encrypt(secrets.token_hex(8), secrets.token_hex(8), algorithm=algorithm)
        buffer = io.BytesIO()
        writer.write(buffer)
        return buffer.getvalue()

    return build


# --- DOCX builders ---------------------------------------------------------------------------------------

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
CONTENT_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    b'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    b'<Default Extension="xml" ContentType="application/xml"/>'
    b'<Override PartName="/word/document.xml" '
    b'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
)
PACKAGE_RELS = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    b'<Relationship Id="rId1" Target="word/document.xml" '
    b'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"/></Relationships>'
)


def _paragraphs(lines: Iterable[str]) -> bytes:
    return b"".join(b"<w:p><w:r><w:t>%s</w:t></w:r></w:p>" % line.encode() for line in lines)


def _document_xml(body: bytes, prolog: bytes = b"") -> bytes:
    return (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' + prolog + b'<w:document xmlns:w="%s"><w:body>'
        b"%s</w:body></w:document>" % (_W.encode(), body)
    )


def _zip(members: dict[str, bytes], *, stored: Iterable[str] = ()) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, payload in members.items():
            archive.writestr(name, payload, compress_type=zipfile.ZIP_STORED if name in stored else None)
    return buffer.getvalue()


def _docx(document_xml: bytes, extra: dict[str, bytes] | None = None, *, content_types: bytes = CONTENT_TYPES) -> bytes:
    members = {"[Content_Types].xml": content_types, "_rels/.rels": PACKAGE_RELS, "word/document.xml": document_xml}
    return _zip(members | (extra or {}), stored=[name for name in extra or {} if name.endswith(".zip")])


def resume_docx() -> bytes:
    return _docx(_document_xml(_paragraphs(RESUME_LINES)))


def docx_bomb_ratio() -> bytes:
    """40 MB of paragraphs that compress about 1000 to 1."""
    paragraph = b"<w:p><w:r><w:t>" + b"a" * 200 + b"</w:t></w:r></w:p>"
    return _docx(_document_xml(paragraph * (40 * MB // len(paragraph))))


def docx_lying_small_size() -> bytes:
    """The zip directory says document.xml is 900 bytes; its deflate stream inflates to 4 GB."""
    members = [
        ("[Content_Types].xml", CONTENT_TYPES, 0, len(CONTENT_TYPES), zlib.crc32(CONTENT_TYPES)),
        ("_rels/.rels", PACKAGE_RELS, 0, len(PACKAGE_RELS), zlib.crc32(PACKAGE_RELS)),
        ("word/document.xml", deflated_zeros(4096, zlib_wrapper=False), 8, 900, 0),
    ]
    return _raw_zip(members)


def _raw_zip(members: Sequence[tuple[str, bytes, int, int, int]]) -> bytes:
    """A zip written field by field: (name, stored or raw-deflated bytes, method, declared size, CRC)."""
    out, directory = bytearray(), bytearray()
    for name, payload, method, size, crc in members:
        fields = struct.pack("<HHHHHIIIHH", 20, 0, method, 0, 0x21, crc, len(payload), size, len(name.encode()), 0)
        directory += b"PK\x01\x02" + struct.pack("<H", 20) + fields + struct.pack("<HHHIL", 0, 0, 0, 0, len(out))
        directory += name.encode()
        out += b"PK\x03\x04" + fields + name.encode() + payload
    end = struct.pack("<HHHHIIH", 0, 0, len(members), len(members), len(directory), len(out), 0)
    return bytes(out + directory + b"PK\x05\x06" + end)


def docx_declares_gigabytes() -> bytes:
    data = bytearray(resume_docx())
    _forge_sizes(data, "word/document.xml", 4_000_000_000)
    return bytes(data)


def _forge_sizes(data: bytearray, member: str, size: int) -> None:
    """Rewrite a member's uncompressed size in its local header and in the central directory."""
    name = member.encode()
    for signature, size_at, name_length_at, name_at in ((b"PK\x03\x04", 22, 26, 30), (b"PK\x01\x02", 24, 28, 46)):
        position = data.find(signature)
        while position >= 0:
            length = int.from_bytes(data[position + name_length_at : position + name_length_at + 2], "little")
            if data[position + name_at : position + name_at + length] == name:
                data[position + size_at : position + size_at + 4] = size.to_bytes(4, "little")
            position = data.find(signature, position + 4)


def docx_many_entries() -> bytes:
    return _docx(
        _document_xml(_paragraphs(RESUME_LINES)), {f"word/media/pad{index}.xml": b"<x/>" for index in range(3_000)}
    )


def docx_nested_zip_bomb() -> bytes:
    """A normal résumé carrying an embedded zip of 200 MB of zeros (never opened by the reader)."""
    inner = _zip({"zeros.bin": bytes(200 * MB)})
    return _docx(_document_xml(_paragraphs(RESUME_LINES)), {"word/embeddings/bomb.zip": inner})


_LAUGHS = b"".join(
    b'<!ENTITY lol%d "%s">' % (level, (b"&lol%d;" % (level - 1)) * 10 if level else b"lol") for level in range(10)
)


def docx_billion_laughs() -> bytes:
    prolog = b"<!DOCTYPE w:document [" + _LAUGHS + b"]>"
    body = _paragraphs(RESUME_LINES) + b"<w:p><w:r><w:t>&lol9;</w:t></w:r></w:p>"
    return _docx(_document_xml(body, prolog))


def docx_billion_laughs_in_content_types() -> bytes:
    types = CONTENT_TYPES.replace(b"<Types ", b"<!DOCTYPE Types [" + _LAUGHS + b"]><Types a='&lol9;' ", 1)
    return _docx(_document_xml(_paragraphs(RESUME_LINES)), content_types=types)


def docx_external_entity() -> bytes:
    """An external entity naming a local file: its content must never reach the résumé text."""
    prolog = b'<!DOCTYPE w:document [<!ENTITY secret SYSTEM "file:///etc/passwd">]>'
    body = _paragraphs(RESUME_LINES) + b"<w:p><w:r><w:t>&secret;</w:t></w:r></w:p>"
    return _docx(_document_xml(body, prolog))


def docx_deep_xml() -> bytes:
    depth = 100_000
    return _docx(_document_xml(b"<w:p>" * depth + b"</w:p>" * depth))


def docx_nested_tables() -> bytes:
    """Tables nested 60 deep (each level a table, a row and a cell), a line of text at the bottom."""
    depth = 60
    inner = _paragraphs(["Data Analyst, Acme Corp 2019 - 2022"])
    for _ in range(depth):
        inner = b"<w:tbl><w:tr><w:tc>" + inner + b"<w:p/></w:tc></w:tr></w:tbl>"
    return _docx(_document_xml(_paragraphs(RESUME_LINES) + inner))


def docx_relationship_loop() -> bytes:
    """document.xml relates to itself."""
    rels = PACKAGE_RELS.replace(b'Target="word/document.xml"', b'Target="document.xml"')
    return _docx(_document_xml(_paragraphs(RESUME_LINES)), {"word/_rels/document.xml.rels": rels})


def docx_encrypted_flag() -> bytes:
    """Members marked as encrypted with the (weak) zip password scheme."""
    data = bytearray(resume_docx())
    for signature, flag_at in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        position = data.find(signature)
        while position >= 0:
            data[position + flag_at] |= 0x1
            position = data.find(signature, position + 4)
    return bytes(data)


def ole_encrypted_docx() -> bytes:
    """What Word writes for a password-protected .docx: an OLE compound file holding EncryptedPackage."""
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(16) + b"\x3e\x00\x03\x00\xfe\xff\x09\x00"
    directory = "EncryptedPackage".encode("utf-16-le") + bytes(32) + "EncryptionInfo".encode("utf-16-le")
    return (header + bytes(512 - len(header)) + directory).ljust(4096, b"\0")


def _truncated(build: Callable[[], bytes], fraction: float) -> Callable[[], bytes]:
    def cut() -> bytes:
        data = build()
        return data[: int(len(data) * fraction)]

    return cut


# --- other bytes -----------------------------------------------------------------------------------------


def png_bytes() -> bytes:
    return b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(range(256)) * 4


def exe_bytes() -> bytes:
    """The start of a Windows executable: "MZ", a DOS stub, NULs and opcodes."""
    return (b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + bytes(range(256)) * 16).ljust(8192, b"\0")


def text_control_characters() -> bytes:
    noise = "\x01\x02\x07\x08\x0b\x0e\x1b\x1f\x7f"
    lines = [
        f"{noise[index % len(noise)]}{line}{noise[(index + 3) % len(noise)]}" for index, line in enumerate(RESUME_LINES)
    ]
    return "\n".join(lines).encode()


def text_invalid_utf8() -> bytes:
    return b"\n".join(line.encode() + b" \xc3\x28 \xa0\xa1 \xf0\x28\x8c\xbc \xed\xa0\x80" for line in RESUME_LINES)


def text_bidi_and_invisible() -> bytes:
    """Right-to-left overrides, isolates, zero-width and BOM characters hidden after every space and line."""
    tricks = ["\u202e", "\u2066", "\u2069", "\u200b", "\u200d", "\ufeff", "\u202d", "\u061c", "\u2060"]
    lines = [
        line.replace(" ", " " + tricks[index % len(tricks)]) + tricks[(index + 4) % len(tricks)]
        for index, line in enumerate(RESUME_LINES)
    ]
    return ("\u202e" + "\n".join(lines) + "\u202c").encode()


def text_nul_bytes() -> bytes:
    return "\n".join(RESUME_LINES).encode().replace(b" ", b"\x00")


def text_bad_utf16() -> bytes:
    return b"\xff\xfe" + "Sam Rivera".encode("utf-16-le") + b"\x00\xd8\x41"  # a lone surrogate, then an odd byte


def text_many_headings() -> bytes:
    """180 KB of nothing but section headings: 20,000 sections."""
    return ("EXPERIENCE\nSKILLS\n" * 10_000).encode()


def text_one_long_line() -> bytes:
    return ("Python SQL " * 17_000).encode()


def text_markdown_brackets() -> bytes:
    return ("[" * 90_000 + "](" * 40_000 + "\n**" * 5_000).encode()


# --- checks on parsed documents --------------------------------------------------------------------------

_ALLOWED_CONTROLS = {"\n", "\t"}


def sanitized(document: ResumeDocument) -> str | None:
    """None when the text has no control, format (bidi, zero-width) or private-use characters left."""
    bad = {
        char
        for char in document.text
        if char not in _ALLOWED_CONTROLS and unicodedata.category(char) in {"Cc", "Cf", "Co", "Cs"}
    }
    return f"unsanitized characters {sorted(f'U+{ord(char):04X}' for char in bad)[:5]}" if bad else None


def _has_resume_text(document: ResumeDocument) -> str | None:
    if "Sam Rivera" not in document.text or "Data Analyst" not in document.text:
        return "the résumé's own text is missing"
    return None


def _small(limit: int) -> Check:
    def check(document: ResumeDocument) -> str | None:
        return f"text grew to {len(document.text):,} characters" if len(document.text) > limit else None

    return check


def _no_file_contents(document: ResumeDocument) -> str | None:
    return "a local file's contents reached the text" if "root:" in document.text else None


def _all(*checks: Check) -> Check:
    def check(document: ResumeDocument) -> str | None:
        return next((problem for c in checks if (problem := c(document))), None)

    return check


# --- the corpus ------------------------------------------------------------------------------------------


def _expect(*outcomes: str) -> frozenset[str]:
    return frozenset(outcomes)


CASES: tuple[HostileCase, ...] = (
    # DOCX
    HostileCase("docx-bomb-ratio", "cv.docx", docx_bomb_ratio, _expect("too-large"),
                "40 MB document.xml compressed ~1000:1"),
    # the size check trusts the directory, so this one is stopped by the worker's memory cap (seconds, ~1 GB)
    HostileCase("docx-lying-small-size", "cv.docx", docx_lying_small_size, _expect("too-large", "corrupt", "timeout"),
                "directory claims 900 bytes; document.xml inflates to 4 GB", slow=True),
    HostileCase("docx-declares-gigabytes", "cv.docx", docx_declares_gigabytes, _expect("too-large"),
                "directory claims a 4 GB member"),
    HostileCase("docx-many-entries", "cv.docx", docx_many_entries, _expect("too-large"), "3,000 zip members",
                slow=True),
    HostileCase("docx-nested-zip-bomb", "cv.docx", docx_nested_zip_bomb, _expect(PARSED),
                "embedded zip of 200 MB of zeros, never opened", slow=True, check=_has_resume_text),
    HostileCase("docx-billion-laughs", "cv.docx", docx_billion_laughs, _expect(PARSED, "corrupt", "empty"),
                "entity expansion bomb in document.xml", check=_small(10_000)),
    HostileCase("docx-billion-laughs-content-types", "cv.docx", docx_billion_laughs_in_content_types,
                _expect(PARSED, "corrupt"), "entity expansion bomb in [Content_Types].xml", slow=True,
                check=_small(10_000)),
    HostileCase("docx-external-entity", "cv.docx", docx_external_entity, _expect(PARSED, "corrupt", "empty"),
                "XXE: an entity naming file:///etc/passwd", slow=True, check=_no_file_contents),
    HostileCase("docx-deep-xml", "cv.docx", docx_deep_xml, _expect("corrupt", "empty"), "XML nested 100,000 deep"),
    HostileCase("docx-nested-tables", "cv.docx", docx_nested_tables, _expect(PARSED), "tables nested 60 deep",
                slow=True, check=_has_resume_text),
    HostileCase("docx-relationship-loop", "cv.docx", docx_relationship_loop, _expect(PARSED, "corrupt"),
                "document.xml relates to itself", slow=True),
    HostileCase("docx-encrypted-ole", "cv.docx", ole_encrypted_docx, _expect("encrypted"),
                "password-protected Word file (OLE EncryptedPackage)"),
    HostileCase("docx-encrypted-zip-flag", "cv.docx", docx_encrypted_flag, _expect("encrypted"),
                "zip members flagged as encrypted", slow=True),
    HostileCase("docx-text-flood", "cv.docx", docx_text_flood, _expect("too-large"), "324,000 characters of text",
                slow=True),
    HostileCase("docx-truncated", "cv.docx", _truncated(resume_docx, 0.6), _expect("corrupt"), "first 60 % only"),
    HostileCase("docx-zero-bytes", "cv.docx", lambda: b"", _expect("empty"), "a 0-byte .docx"),
    HostileCase("docx-named-pdf", "cv.pdf", resume_docx, _expect(PARSED), "a real DOCX named .pdf",
                check=_has_resume_text),
    # PDF
    HostileCase("pdf-deep-arrays", "cv.pdf", pdf_deep_arrays, _expect("corrupt", PARSED),
                "arrays nested 50,000 deep in the page", check=_has_resume_text),
    HostileCase("pdf-deep-dicts", "cv.pdf", pdf_deep_dicts, _expect("corrupt", PARSED),
                "dictionaries nested 50,000 deep", slow=True, check=_has_resume_text),
    HostileCase("pdf-deep-page-tree", "cv.pdf", pdf_deep_page_tree, _expect("corrupt", PARSED),
                "page tree 10,000 levels deep", check=_has_resume_text),
    HostileCase("pdf-page-tree-cycle", "cv.pdf", pdf_page_tree_cycle, _expect("corrupt", PARSED),
                "page tree that contains itself", slow=True),
    HostileCase("pdf-reference-loop", "cv.pdf", pdf_reference_loop, _expect("corrupt", "empty"),
                "contents 5 → 6 → 5", slow=True),
    HostileCase("pdf-length-loop", "cv.pdf", pdf_length_loop, _expect("corrupt", "empty", PARSED),
                "stream /Length refers to the stream itself", slow=True),
    HostileCase("pdf-xref-prev-loop", "cv.pdf", pdf_xref_prev_loop, _expect("corrupt", PARSED),
                "trailer /Prev points at its own xref", slow=True),
    HostileCase("pdf-object-stream-loop", "cv.pdf", pdf_object_stream_loop, _expect("corrupt", "empty"),
                "object 5 in object stream 6, object 6 in object stream 5"),
    HostileCase("pdf-huge-xref", "cv.pdf", pdf_huge_xref, _expect("corrupt", PARSED),
                "xref claims 100 million objects", slow=True),
    HostileCase("pdf-text-flood", "cv.pdf", pdf_text_flood, _expect("too-large"),
                "20 pages of 12,000 characters each"),
    HostileCase("pdf-many-pages", "cv.pdf", pdf_many_pages, _expect("too-many-pages"), "3,000 pages"),
    HostileCase("pdf-flate-bomb", "cv.pdf", pdf_flate_bomb, _expect("too-large", "corrupt"),
                "content stream inflating to 4 GB"),
    HostileCase("pdf-encrypted-rc4", "cv.pdf", _encrypted_pdf("RC4-128"), _expect("encrypted"),
                "user password, RC4", slow=True),
    HostileCase("pdf-encrypted-aes256", "cv.pdf", _encrypted_pdf("AES-256"), _expect("encrypted"),
                "user password, AES-256"),
    HostileCase("pdf-truncated", "cv.pdf", _truncated(resume_pdf, 0.5), _expect("corrupt"), "first half only"),
    HostileCase("pdf-header-only", "cv.pdf", lambda: b"%PDF-1.7\n", _expect("corrupt"), "nothing after %PDF",
                slow=True),
    HostileCase("pdf-named-docx", "cv.docx", resume_pdf, _expect(PARSED), "a real PDF named .docx",
                check=_has_resume_text),
    # other bytes under résumé names
    HostileCase("png-named-pdf", "cv.pdf", png_bytes, _expect("unsupported-type"), "PNG bytes named .pdf"),
    HostileCase("exe-named-pdf", "cv.pdf", exe_bytes, _expect("unsupported-type"), "Windows executable named .pdf"),
    HostileCase("zip-named-docx", "cv.docx", lambda: _zip({"notes.txt": b"hello"}), _expect("unsupported-type"),
                "a plain zip named .docx", slow=True),
    # text
    HostileCase("text-50mb", "cv.txt", lambda: b"Python SQL " * (50 * MB // 11), _expect("too-large"),
                "50 MB of text (refused before a worker starts)"),
    HostileCase("text-4mb", "cv.txt", lambda: b"Python SQL\n" * (4 * MB // 11), _expect("too-large"),
                "4 MB of text: under the file limit, over the character limit", slow=True),
    HostileCase("text-empty", "cv.txt", lambda: b"", _expect("empty"), "an empty file"),
    HostileCase("text-whitespace", "cv.txt", lambda: b" \n\t\r\n " * 100, _expect("empty"), "only whitespace",
                slow=True),
    HostileCase("text-nul-bytes", "cv.txt", text_nul_bytes, _expect("unsupported-type"), "words separated by NULs"),
    HostileCase("text-control-characters", "cv.txt", text_control_characters, _expect(PARSED),
                "C0 controls around every line", check=_all(sanitized, _has_resume_text)),
    HostileCase("text-invalid-utf8", "cv.txt", text_invalid_utf8, _expect(PARSED),
                "invalid UTF-8 sequences on every line", check=_all(sanitized, _has_resume_text)),
    HostileCase("text-bidi-invisible", "cv.txt", text_bidi_and_invisible, _expect(PARSED),
                "RTL overrides, isolates, zero-width characters", check=_all(sanitized, _has_resume_text)),
    HostileCase("text-bad-utf16", "cv.txt", text_bad_utf16, _expect("corrupt"), "UTF-16 BOM, then a lone surrogate",
                slow=True),
    HostileCase("text-one-long-line", "cv.txt", text_one_long_line, _expect(PARSED),
                "187,000 characters on one line", slow=True, check=sanitized),
    HostileCase("text-markdown-brackets", "cv.md", text_markdown_brackets, _expect(PARSED, "too-large"),
                "unbalanced Markdown brackets and emphasis", slow=True),
    HostileCase("text-many-headings", "cv.txt", text_many_headings, _expect(PARSED),
                "20,000 section headings (structured in the parent, with no time limit)", slow=True),
)  # fmt: skip


# --- running ---------------------------------------------------------------------------------------------


class _ChildPeak(threading.Thread):
    """Samples the peak resident memory (VmHWM) of this process's children while a case runs (Linux only)."""

    def __init__(self) -> None:
        super().__init__(name="hostile-files-rss", daemon=True)
        self.peak_kb: int | None = None
        self._stop_event = threading.Event()

    def run(self) -> None:
        while not self._stop_event.wait(0.005):
            for pid in _workers():
                kb = _high_water_kb(pid)
                if kb is not None and (self.peak_kb is None or kb > self.peak_kb):
                    self.peak_kb = kb

    def stop(self) -> float | None:
        self._stop_event.set()
        self.join(timeout=1)
        return None if self.peak_kb is None else self.peak_kb / 1024


def _workers() -> list[int]:
    """The extraction workers now running: spawned children of this process, or children of its forkserver
    (the workers are forked from it). Not the forkserver or the resource tracker themselves, and not a child
    caught between fork and exec (it still shows this process's memory)."""
    workers: list[int] = []
    for pid in _children("self"):
        command = _command_line(pid)
        if b"spawn_main" in command:
            workers.append(pid)
        elif b"forkserver" in command:
            workers += _children(str(pid))
    return workers


def _children(pid: str) -> list[int]:
    pids: list[int] = []
    try:
        for task in os.scandir(f"/proc/{pid}/task"):
            with open(f"{task.path}/children", encoding="ascii") as listing:
                pids += [int(child) for child in listing.read().split()]
    except OSError:
        return []
    return pids


def _command_line(pid: int) -> bytes:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as command:
            return command.read()
    except OSError:
        return b""


def _high_water_kb(pid: int) -> int | None:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii", errors="replace") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        return None
    return None


_TRACEBACK_SIGNS = ("Traceback", 'File "', "Error:", "Exception", "errno", "\n", "<", ">", "0x")


def plain_words(message: str) -> bool:
    """A message for a learner: one sentence or three, no traceback, exception name or object repr."""
    return 10 <= len(message) <= 400 and not any(sign in message for sign in _TRACEBACK_SIGNS)


def run_case(case: HostileCase, limits: DocumentLimits | None = None) -> CaseResult:
    """Parse one hostile file through the upload path, in a thread so a parent-side hang is reported."""
    limits = limits or DocumentLimits()
    data = case.build()
    box: dict[str, Any] = {}

    def parse() -> None:
        try:
            box["document"] = parse_resume_file(data, case.filename, None, limits)
        except DocumentError as error:
            box["error"] = error
        except BaseException as error:  # a crash is what this harness looks for
            box["crash"] = error

    sampler = _ChildPeak()
    sampler.start()
    started = time.monotonic()
    thread = threading.Thread(target=parse, name=f"hostile-{case.name}", daemon=True)
    thread.start()
    thread.join(timeout=limits.timeout_s + HANG_MARGIN_S)
    seconds = time.monotonic() - started
    peak = sampler.stop()
    return _judge(case, box, seconds, peak, hung=thread.is_alive())


def _judge(case: HostileCase, box: dict[str, Any], seconds: float, peak: float | None, *, hung: bool) -> CaseResult:
    problems: list[str] = []
    message = ""
    if hung:
        outcome = "hang"
        problems.append(f"still running after {seconds:.0f} s")
    elif "crash" in box:
        outcome = f"crash: {type(box['crash']).__name__}"
        problems.append("raised something other than DocumentError")
    elif "error" in box:
        error: DocumentError = box["error"]
        outcome, message = error.reason, error.message
        if not plain_words(message):
            problems.append("message is not plain words")
    else:
        outcome = PARSED
        problem = case.check(box["document"]) if case.check else sanitized(box["document"])
        if problem:
            problems.append(problem)
    if outcome not in case.expected and not outcome.startswith(("crash", "hang")):
        problems.append(f"expected {' or '.join(sorted(case.expected))}")
    return CaseResult(case.name, outcome, seconds, peak, message, tuple(problems), case.what)


def still_serving(limits: DocumentLimits | None = None) -> bool:
    """After the corpus, a normal résumé still parses in this process."""
    document = parse_resume_file(NORMAL_RESUME.read_bytes(), NORMAL_RESUME.name, "text/plain", limits)
    return bool(document.experience) and "Maya Okafor" in document.text


def summary(results: Sequence[CaseResult], limits: DocumentLimits, serving: bool) -> str:
    crashes = sum(result.outcome.startswith("crash") for result in results)
    hangs = sum(result.outcome == "hang" for result in results)
    handled = sum(result.ok for result in results)
    slowest = max((result.seconds for result in results), default=0.0)
    return (
        f"hostile files: {len(results)} cases, {handled} handled with a clear error or clean text, "
        f"{crashes} crashes, {hangs} hangs, {len(results) - handled - crashes - hangs} unexpected, "
        f"max {slowest:.2f} s, limit {limits.timeout_s:g} s; "
        f"normal résumé after the corpus: {'parsed' if serving else 'FAILED'}"
    )


def _table(results: Sequence[CaseResult]) -> str:
    rows = [f"{'case':36} {'outcome':18} {'seconds':>8} {'worker MB':>10}  problems"]
    for result in results:
        peak = f"{result.worker_peak_mb:.0f}" if result.worker_peak_mb is not None else "-"
        rows.append(
            f"{result.name:36} {result.outcome:18} {result.seconds:8.2f} {peak:>10}  {'; '.join(result.problems)}"
        )
    return "\n".join(rows)


def _parent_peak() -> str:
    """This process's peak resident memory (it builds the cases, so it holds the biggest of them once)."""
    try:
        import resource
    except ImportError:  # not POSIX
        return ""
    return f"; parent peak {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m eval.hostile_files", description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.add_argument("--case", action="append", default=[], help="run only this case (repeatable)")
    parser.add_argument("--fast", action="store_true", help="only the cases the default test suite runs")
    args = parser.parse_args(argv)
    limits = DocumentLimits()
    chosen = [c for c in CASES if (not args.case or c.name in args.case) and not (args.fast and c.slow)]
    results = []
    if not args.json:
        print(_table([]), flush=True)
    for case in chosen:
        results.append(result := run_case(case, limits))
        if not args.json:
            print(_table([result]).split("\n")[1], flush=True)
    try:
        serving = still_serving(limits)
    except Exception:  # reported as a failure below, not as a traceback
        serving = False
    line = summary(results, limits, serving) + _parent_peak()
    if args.json:
        print(json.dumps({"cases": [asdict(r) for r in results], "summary": line, "serving": serving}, indent=2))
    else:
        print(line)
    return 0 if serving and all(result.ok for result in results) else 1


if __name__ == "__main__":
    sys.exit(main())
