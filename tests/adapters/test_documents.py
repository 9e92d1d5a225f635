"""Reading résumé files: real PDFs and DOCX files built here, hostile files, limits and the worker.

PDFs are written by hand (a minimal valid file with a text stream: no PDF-writing library is installed);
DOCX files are made with python-docx; zip bombs are made with zipfile and stay a few KB on disk.
"""

from __future__ import annotations

import importlib
import io
import pickle
import sys
import textwrap
import time
import zipfile
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from types import ModuleType

import pytest
from docx import Document

from assistant.adapters.documents import (
    DocumentError,
    DocumentLimits,
    ExtractedText,
    extract_pasted_text,
    extract_text,
    parse_pasted_text,
    parse_resume_file,
)
from assistant.core.resume import SectionKind, SourceKind

LIMITS = DocumentLimits()
RESUMES = Path(__file__).resolve().parents[1] / "fixtures" / "resumes"


# --- builders -------------------------------------------------------------------------------------------


def _pdf_string(text: str) -> bytes:
    escaped = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    return b"(" + escaped.encode("cp1252") + b")"


def make_pdf(pages: list[list[str]]) -> bytes:
    """A minimal valid PDF: Helvetica (WinAnsi), one text line per entry, correct xref offsets."""
    page_ids = [4 + 2 * index for index in range(len(pages))]
    kids = b" ".join(b"%d 0 R" % page_id for page_id in page_ids)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, len(pages)),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    for page_id, lines in zip(page_ids, pages, strict=True):
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> "
            b"/Contents %d 0 R >>" % (page_id + 1)
        )
        body = b"BT /F1 11 Tf 14 TL 72 740 Td " + b" ".join(_pdf_string(line) + b" Tj T*" for line in lines) + b" ET"
        objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(body), body))
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def encrypt_pdf(data: bytes, user_password: str) -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    writer.encrypt(user_password=user_password, owner_password="owner-secret", algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def blank_pdf() -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=612, height=792)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


RESUME_PDF_PAGES = [
    ["Sam Rivera", "sam.rivera@example.com", "WORK EXPERIENCE", "Data Analyst, Acme Corp    Jan 2020 – Present",
     "• Built Tableau dashboards for sales", "Junior Analyst | Beta Logistics | 2017–2019", "• Cleaned data in Excel"],
    ["Page 2 of 2", "SKILLS", "SQL, Python, Excel"],
]  # fmt: skip


def make_docx(*, with_table: bool = True, text: bool = True) -> bytes:
    """A résumé with a page header, headings, a bullet and a table whose rows hold dates and titles."""
    document = Document()
    if text:
        document.sections[0].header.paragraphs[0].text = "Sam Rivera · sam.rivera@example.com · 555-0100"
        document.add_heading("Work Experience", level=1)
    if with_table:
        table = document.add_table(rows=2, cols=2)
        table.cell(0, 0).text = "Jan 2020 – Present"
        table.cell(0, 1).text = "Data Analyst, Acme Corp"
        table.cell(1, 0).text = "2017 – 2019"
        table.cell(1, 1).text = "Junior Analyst, Beta Logistics"
    if text:
        document.add_paragraph("Built Tableau dashboards for the sales team.", style="List Bullet")
        document.add_heading("Skills", level=1)
        document.add_paragraph("SQL, Python, Excel")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


CONTENT_TYPES = b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'


def make_zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, payload in members.items():
            archive.writestr(name, payload)
    return buffer.getvalue()


def forge_declared_size(data: bytes, member: str, declared: int) -> bytes:
    """Rewrite a member's uncompressed size in the central directory (the field an attacker controls)."""
    out = bytearray(data)
    position = out.find(b"PK\x01\x02")
    while position >= 0:
        name_length = int.from_bytes(out[position + 28 : position + 30], "little")
        if out[position + 46 : position + 46 + name_length] == member.encode():
            out[position + 24 : position + 28] = declared.to_bytes(4, "little")
            return bytes(out)
        position = out.find(b"PK\x01\x02", position + 4)
    raise ValueError(f"{member} not in the zip")


def refused(call: Callable[[], object]) -> DocumentError:
    with pytest.raises(DocumentError) as caught:
        call()
    assert caught.value.message and caught.value.message == str(caught.value)
    return caught.value


# --- PDF ------------------------------------------------------------------------------------------------


def test_pdf_text_is_extracted_and_structured() -> None:
    extracted = extract_text(make_pdf(RESUME_PDF_PAGES), "cv.pdf", "application/pdf", LIMITS)
    assert (extracted.kind, extracted.pages, extracted.filename) == (SourceKind.PDF, 2, "cv.pdf")
    assert "Data Analyst, Acme Corp" in extracted.text
    assert "Page 2 of 2" not in extracted.text
    document = parse_pasted_text(extracted.text)
    assert [entry.title for entry in document.experience] == ["Data Analyst", "Junior Analyst"]
    assert document.experience[0].current and document.experience[1].end == date(2019, 12, 1)
    assert [line.text for line in document.lines_in(SectionKind.SKILLS)] == ["SQL, Python, Excel"]


def test_pdf_with_a_password_is_refused() -> None:
    error = refused(lambda: extract_text(encrypt_pdf(make_pdf(RESUME_PDF_PAGES), "s3cret"), "cv.pdf", None, LIMITS))
    assert error.reason == "encrypted"
    assert "password-protected" in error.message


def test_pdf_encrypted_with_an_empty_password_is_read() -> None:
    extracted = extract_text(encrypt_pdf(make_pdf(RESUME_PDF_PAGES), ""), "cv.pdf", None, LIMITS)
    assert "Sam Rivera" in extracted.text


@pytest.mark.parametrize("fraction", [0.3, 0.6, 0.9])
def test_truncated_pdf_is_corrupt(fraction: float) -> None:
    data = make_pdf(RESUME_PDF_PAGES)
    assert refused(lambda: extract_text(data[: int(len(data) * fraction)], "cv.pdf", None, LIMITS)).reason == "corrupt"


def test_pdf_over_the_page_limit() -> None:
    data = make_pdf([["page"]] * 3)
    error = refused(lambda: extract_text(data, "cv.pdf", None, DocumentLimits(max_pages=2)))
    assert (error.reason, "3 pages" in error.message) == ("too-many-pages", True)


def test_pdf_over_the_character_limit() -> None:
    data = make_pdf([["x" * 80] * 20])
    assert refused(lambda: extract_text(data, "cv.pdf", None, DocumentLimits(max_chars=500))).reason == "too-large"


def test_pdf_without_text_is_empty() -> None:
    error = refused(lambda: extract_text(blank_pdf(), "scan.pdf", None, LIMITS))
    assert error.reason == "empty"
    assert "scan" in error.message


# --- DOCX -----------------------------------------------------------------------------------------------


def test_docx_paragraphs_and_table_cells_in_document_order() -> None:
    extracted = extract_text(make_docx(), "cv.docx", None, LIMITS)
    assert extracted.kind is SourceKind.DOCX
    assert extracted.text.split("\n") == [
        "Sam Rivera · sam.rivera@example.com · 555-0100",
        "Work Experience",
        "Jan 2020 – Present | Data Analyst, Acme Corp",
        "2017 – 2019 | Junior Analyst, Beta Logistics",
        "- Built Tableau dashboards for the sales team.",
        "Skills",
        "SQL, Python, Excel",
    ]


def test_docx_multi_paragraph_cells_are_read_cell_by_cell() -> None:
    document = Document()
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "SKILLS"
    table.cell(0, 0).add_paragraph("SQL, Python")
    table.cell(0, 1).text = "EXPERIENCE"
    table.cell(0, 1).add_paragraph("Data Analyst, Acme Corp 2019 – 2022")
    buffer = io.BytesIO()
    document.save(buffer)
    text = extract_text(buffer.getvalue(), "cv.docx", None, LIMITS).text
    assert text.split("\n") == ["SKILLS", "SQL, Python", "EXPERIENCE", "Data Analyst, Acme Corp 2019 – 2022"]


TEXT_BOX = """\
<w:r xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"
     xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"
     xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"
     xmlns:v="urn:schemas-microsoft-com:vml">
  <mc:AlternateContent>
    <mc:Choice Requires="wps"><w:drawing><wps:txbx><w:txbxContent>
      <w:p><w:r><w:t>TECHNICAL SKILLS</w:t></w:r></w:p><w:p><w:r><w:t>SQL, Tableau</w:t></w:r></w:p>
    </w:txbxContent></wps:txbx></w:drawing></mc:Choice>
    <mc:Fallback><w:pict><v:shape><v:textbox><w:txbxContent>
      <w:p><w:r><w:t>TECHNICAL SKILLS</w:t></w:r></w:p><w:p><w:r><w:t>SQL, Tableau</w:t></w:r></w:p>
    </w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback>
  </mc:AlternateContent>
</w:r>"""


def test_docx_text_boxes_are_read_once() -> None:
    from docx.oxml import parse_xml

    document = Document()
    paragraph = document.add_paragraph("Sam Rivera")
    paragraph._p.append(parse_xml(TEXT_BOX))
    document.add_paragraph("Data Analyst")
    buffer = io.BytesIO()
    document.save(buffer)
    text = extract_text(buffer.getvalue(), "cv.docx", None, LIMITS).text
    assert text.split("\n") == ["Sam Rivera", "TECHNICAL SKILLS", "SQL, Tableau", "Data Analyst"]


def test_docx_that_unpacks_to_gigabytes_is_refused_before_opening() -> None:
    small = make_zip({"[Content_Types].xml": CONTENT_TYPES, "word/document.xml": b"<w:document/>"})
    bomb = forge_declared_size(small, "word/document.xml", 4_000_000_000)
    assert len(bomb) < 1_000
    error = refused(lambda: extract_text(bomb, "cv.docx", None, LIMITS))
    assert error.reason == "too-large"


def test_docx_with_an_extreme_compression_ratio_is_refused() -> None:
    bomb = make_zip({"[Content_Types].xml": CONTENT_TYPES, "word/document.xml": b"\0" * (10 * 1024 * 1024)})
    assert len(bomb) < 50_000  # 10 MB of zeros in a few KB: under the total cap, over the ratio cap
    assert refused(lambda: extract_text(bomb, "cv.docx", None, LIMITS)).reason == "too-large"


def test_docx_over_the_unpacked_total_is_refused() -> None:
    data = make_docx()
    assert (
        refused(lambda: extract_text(data, "cv.docx", None, DocumentLimits(max_unpacked_bytes=1000))).reason
        == "too-large"
    )


def test_truncated_docx_is_corrupt() -> None:
    data = make_docx()
    assert refused(lambda: extract_text(data[: len(data) // 2], "cv.docx", None, LIMITS)).reason == "corrupt"


def test_docx_shaped_zip_with_broken_xml_is_corrupt() -> None:
    data = make_zip({"[Content_Types].xml": CONTENT_TYPES, "word/document.xml": b"<not xml"})
    assert refused(lambda: extract_text(data, "cv.docx", None, LIMITS)).reason == "corrupt"


def test_docx_without_text_is_empty() -> None:
    assert (
        refused(lambda: extract_text(make_docx(with_table=False, text=False), "cv.docx", None, LIMITS)).reason
        == "empty"
    )


def test_password_protected_word_file_is_encrypted_and_old_doc_is_unsupported() -> None:
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504
    encrypted = ole + "EncryptedPackage".encode("utf-16-le") + b"\0" * 64
    assert refused(lambda: extract_text(encrypted, "cv.docx", None, LIMITS)).reason == "encrypted"
    legacy = refused(lambda: extract_text(ole, "cv.doc", None, LIMITS))
    assert (legacy.reason, ".docx" in legacy.message) == ("unsupported-type", True)


# --- type detection -------------------------------------------------------------------------------------


def test_content_decides_the_type_not_the_extension() -> None:
    as_pdf = extract_text(make_docx(), "resume.pdf", "application/pdf", LIMITS)
    assert as_pdf.kind is SourceKind.DOCX
    assert any("resume.pdf" in warning and "Word" in warning for warning in as_pdf.warnings)
    as_docx = extract_text(make_pdf(RESUME_PDF_PAGES), "resume.docx", None, LIMITS)
    assert as_docx.kind is SourceKind.PDF


@pytest.mark.parametrize(
    ("data", "what"),
    [
        (b"\x89PNG\r\n\x1a\n" + b"\0" * 100, "PNG"),
        (b"\xff\xd8\xff\xe0" + b"\0" * 100, "JPEG"),
        (b"{\\rtf1\\ansi hello}", "Rich Text"),
        (make_zip({"xl/workbook.xml": b"<x/>"}), "Excel"),
        (make_zip({"notes.txt": b"hi"}), "zip"),
        (bytes(range(256)) * 4, "PDF, Word"),
    ],
)
def test_unsupported_types(data: bytes, what: str) -> None:
    error = refused(lambda: extract_text(data, "resume.pdf", None, LIMITS))
    assert error.reason == "unsupported-type"
    assert what in error.message


def test_empty_and_oversized_files() -> None:
    assert refused(lambda: extract_text(b"", "cv.pdf", None, LIMITS)).reason == "empty"
    assert refused(lambda: extract_text(b" \n\t\n", "cv.txt", None, LIMITS)).reason == "empty"
    too_big = refused(lambda: extract_text(b"x" * 2_000, "cv.txt", None, DocumentLimits(max_bytes=1_000)))
    assert (too_big.reason, "MB" in too_big.message) == ("too-large", True)


# --- text and Markdown ----------------------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "cp1252"])
def test_text_encodings(encoding: str) -> None:
    text = "Zoë Müller\nEXPERIENCE\nCafé manager – Le Bistro, 2018 – 2020"
    extracted = extract_text(text.encode(encoding), "cv.txt", "text/plain", LIMITS)
    assert extracted.kind is SourceKind.TEXT
    assert extracted.text == text


def test_text_over_the_character_limit() -> None:
    data = ("word " * 50_000).encode()
    assert refused(lambda: extract_text(data, "cv.txt", None, DocumentLimits(max_chars=200_000))).reason == "too-large"


def test_control_characters_are_dropped_but_binary_is_refused() -> None:
    extracted = extract_text(b"SKILLS\x07\nSQL\x1b, Python", "cv.txt", None, LIMITS)
    assert [line.text for line in parse_pasted_text(extracted.text).lines] == ["SKILLS", "SQL, Python"]
    assert (
        refused(lambda: extract_text(b"abc\x00\x01\x02\x03" * 50, "cv.txt", None, LIMITS)).reason == "unsupported-type"
    )


def test_markdown_is_stripped_to_text() -> None:
    markdown = textwrap.dedent(
        """\
        # Sam Rivera
        [sam.rivera@example.com](mailto:sam.rivera@example.com)

        ## Work Experience
        **Data Analyst**, *Acme Corp* | `2019 – 2022`
        * Built dashboards in __Tableau__

        ---
        ## Skills
        | Tool | Level |
        |------|-------|
        | SQL  | Expert |
        """
    )
    extracted = extract_text(markdown.encode(), "cv.md", "text/markdown", LIMITS)
    assert extracted.kind is SourceKind.MARKDOWN
    assert extracted.text.split("\n")[:6] == [
        "Sam Rivera",
        "sam.rivera@example.com",
        "",
        "Work Experience",
        "Data Analyst, Acme Corp | 2019 – 2022",
        "* Built dashboards in Tableau",
    ]
    document = parse_pasted_text(extracted.text)
    assert [(e.title, e.organisation) for e in document.experience] == [("Data Analyst", "Acme Corp")]
    assert "SQL  | Expert" in [line.text for line in document.lines_in(SectionKind.SKILLS)][1]


# --- pasted text ----------------------------------------------------------------------------------------


def test_pasted_text_uses_the_same_limits() -> None:
    assert refused(lambda: extract_pasted_text("   ", LIMITS)).reason == "empty"
    assert refused(lambda: extract_pasted_text("x" * 11, DocumentLimits(max_chars=10))).reason == "too-large"
    document = parse_pasted_text((RESUMES / "welder.txt").read_text(encoding="utf-8"))
    assert document.source is SourceKind.PASTED
    assert len(document.experience) == 3


# --- the isolated worker --------------------------------------------------------------------------------


def test_upload_is_read_in_a_worker_process() -> None:
    document = parse_resume_file(make_docx(), "C:\\Users\\sam\\cv.docx", None)
    assert (document.source, document.filename) == (SourceKind.DOCX, "cv.docx")
    assert [(e.title, e.organisation, e.current) for e in document.experience] == [
        ("Data Analyst", "Acme Corp", True),
        ("Junior Analyst", "Beta Logistics", False),
    ]


def test_a_plain_text_file_is_read_in_process_and_others_in_the_worker(monkeypatch: pytest.MonkeyPatch) -> None:
    """Text needs no parser (as pasted text): no worker; a PDF or DOCX always gets one."""
    import assistant.adapters.documents as documents

    isolated: list[str | None] = []
    real = documents.run_isolated

    def counting(*args: object) -> object:
        isolated.append(args[2])  # type: ignore[arg-type]
        return real(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(documents, "run_isolated", counting)
    text = parse_resume_file((RESUMES / "welder.txt").read_bytes(), "cv.txt", "text/plain")
    assert text.source is SourceKind.TEXT and len(text.experience) == 3 and isolated == []
    assert parse_resume_file(make_docx(), "cv.docx", None).source is SourceKind.DOCX
    assert isolated == ["cv.docx"]
    assert refused(lambda: parse_resume_file(b"\x89PNG\r\n\x1a\n" + b"0" * 20, "cv.txt", None)).reason


def test_worker_errors_keep_their_reason() -> None:
    error = refused(lambda: parse_resume_file(encrypt_pdf(make_pdf(RESUME_PDF_PAGES), "pw"), "cv.pdf", None))
    assert error.reason == "encrypted"


def test_oversized_upload_is_refused_before_a_worker_starts() -> None:
    error = refused(lambda: parse_resume_file(b"x" * 100, "cv.txt", None, DocumentLimits(max_bytes=10)))
    assert error.reason == "too-large"


@pytest.fixture
def fake_extractors(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[ModuleType]:
    """Extractors the spawned worker can import by name: a slow one and one that dies."""
    module = tmp_path / "fake_extractors_for_worker.py"
    module.write_text(
        textwrap.dedent(
            """\
            import os
            import time


            def slow(data, filename, content_type, limits):
                time.sleep(60)


            def crash(data, filename, content_type, limits):
                os._exit(3)
            """
        )
    )
    monkeypatch.syspath_prepend(str(tmp_path))  # the spawned worker inherits sys.path
    yield importlib.import_module("fake_extractors_for_worker")
    sys.modules.pop("fake_extractors_for_worker", None)


def test_slow_extraction_is_killed_at_the_time_limit(fake_extractors: ModuleType) -> None:
    started = time.monotonic()
    error = refused(
        lambda: parse_resume_file(
            b"hello", "cv.txt", None, DocumentLimits(timeout_s=0.3), extractor=fake_extractors.slow
        )
    )
    assert error.reason == "timeout"
    assert "0.3 seconds" in error.message
    assert time.monotonic() - started < 20


def test_a_crashing_worker_is_a_clear_error(fake_extractors: ModuleType) -> None:
    error = refused(lambda: parse_resume_file(b"hello", "cv.txt", None, extractor=fake_extractors.crash))
    assert error.reason == "corrupt"


def test_document_error_survives_pickling() -> None:
    error = pickle.loads(pickle.dumps(DocumentError("encrypted", "This PDF is password-protected.")))
    assert (error.reason, str(error)) == ("encrypted", "This PDF is password-protected.")


def test_limits_are_frozen_and_validated() -> None:
    with pytest.raises(ValueError):
        DocumentLimits(max_pages=0)
    with pytest.raises(ValueError):
        LIMITS.max_pages = 3  # type: ignore[misc]
    assert ExtractedText(text="x", kind=SourceKind.TEXT).pages is None
