"""Every refusal in plain words a learner can act on (the reason code goes to logs and the API)."""

from __future__ import annotations

from dataclasses import dataclass

from assistant.core.errors import DocumentError, DocumentProblem


@dataclass(frozen=True)
class Refusal:
    """A fixed refusal; ``error()`` makes a fresh exception each time (a shared one would pile up tracebacks)."""

    reason: DocumentProblem
    message: str

    def error(self) -> DocumentError:
        return DocumentError(self.reason, self.message)


ACCEPTED = "We can read PDF, Word (.docx) and plain-text résumés; please upload one of those or paste the text."


def too_large_file(size: int, limit: int) -> DocumentError:
    return DocumentError(
        "too-large",
        f"This file is {size / 1_048_576:.1f} MB; the limit is {limit / 1_048_576:.1f} MB. "
        "Please upload a smaller file or paste the text of your résumé.",
    )


def too_much_text(limit: int) -> DocumentError:
    return DocumentError(
        "too-large",
        f"This has more than {limit:,} characters of text, far more than a résumé. Please upload just your résumé.",
    )


def too_many_pages(pages: int, limit: int) -> DocumentError:
    return DocumentError(
        "too-many-pages",
        f"This PDF has {pages} pages; we read résumés of up to {limit} pages. Please upload just your résumé.",
    )


def unpacks_too_large() -> DocumentError:
    return DocumentError(
        "too-large",
        "This Word file expands to far more data than a résumé holds when opened, so we did not open it. "
        "Please save it again as .docx, or upload a PDF.",
    )


PDF_PASSWORD = Refusal("encrypted", "This PDF is password-protected. Please upload a version without a password.")
PDF_PROTECTED = Refusal(
    "encrypted",
    "This PDF is protected with encryption we cannot open. Please save a copy without protection "
    "(for example with “Print to PDF”) and upload that.",
)
DOCX_PASSWORD = Refusal(
    "encrypted", "This Word file is password-protected. Please save a copy without a password and upload that."
)
PDF_CORRUPT = Refusal(
    "corrupt", "This PDF looks damaged and could not be read. Please export it again, or paste the text instead."
)
DOCX_CORRUPT = Refusal(
    "corrupt",
    "This Word file looks damaged and could not be read. Please save it again as .docx, or paste the text instead.",
)
UNREADABLE = Refusal(
    "corrupt", "We could not read this file. Please save it again as PDF or .docx, or paste the text instead."
)
EMPTY_FILE = Refusal("empty", "This file is empty. Please choose your résumé file again.")
EMPTY_TEXT = Refusal("empty", "There is no text here. Please paste or upload your résumé.")
PDF_NO_TEXT = Refusal(
    "empty",
    "We could not find any text in this PDF. If it is a scan or a photo, please upload a PDF with selectable "
    "text, or paste the text instead.",
)
DOCX_NO_TEXT = Refusal("empty", "This Word document has no text in it. Please check it is your résumé.")
LEGACY_WORD = Refusal(
    "unsupported-type", "This is an older Word (.doc) file. Please save it as .docx or PDF and upload that."
)
RTF = Refusal("unsupported-type", "This is a Rich Text (.rtf) file. Please save it as .docx or PDF. " + ACCEPTED)
UNSUPPORTED = Refusal("unsupported-type", "We cannot read this type of file. " + ACCEPTED)
OUT_OF_MEMORY = Refusal(
    "too-large", "This file needs more memory to read than a résumé should. Please upload a simpler PDF or DOCX."
)


def image(kind: str) -> DocumentError:
    return DocumentError(
        "unsupported-type", f"This looks like an image ({kind}), and we cannot read text from pictures. " + ACCEPTED
    )


def other_office(kind: str) -> DocumentError:
    return DocumentError("unsupported-type", f"This looks like {kind}, not a résumé document. " + ACCEPTED)


def timed_out(seconds: float) -> DocumentError:
    return DocumentError(
        "timeout",
        f"Reading this file took longer than {seconds:g} seconds, so we stopped. "
        "Please upload a simpler PDF or DOCX, or paste the text instead.",
    )
