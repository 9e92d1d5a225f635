"""PDF text through pypdf: refuse what needs a password, cap pages and characters, and call any
parser failure 'corrupt' (pypdf raises many exception types on malformed input)."""

from __future__ import annotations

import io
import re

from assistant.adapters.documents import _messages as say
from assistant.adapters.documents._limits import DocumentLimits
from assistant.core.errors import DocumentError

_PAGE_NUMBER = re.compile(r"^[ \t]*(?:page ?)?\d+ ?(?:(?:of|/) ?\d+)?[ \t]*$", re.IGNORECASE | re.MULTILINE)


def read_pdf(data: bytes, limits: DocumentLimits) -> tuple[str, int]:
    """(text with pages separated by a blank line, page count)."""
    from pypdf import PasswordType, PdfReader
    from pypdf.errors import DependencyError, FileNotDecryptedError

    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            try:  # many PDFs are "encrypted" with an empty password only to restrict printing
                unlocked = reader.decrypt("") != PasswordType.NOT_DECRYPTED
            except DependencyError:  # AES needs the optional cryptography package
                raise say.PDF_PROTECTED.error() from None
            if not unlocked:
                raise say.PDF_PASSWORD.error()
        count = len(reader.pages)
        if count > limits.max_pages:
            raise say.too_many_pages(count, limits.max_pages)
        pages: list[str] = []
        total = 0
        for page in reader.pages:
            text = _PAGE_NUMBER.sub("", page.extract_text() or "")
            total += len(text)
            if total > limits.max_chars:
                raise say.too_much_text(limits.max_chars)
            pages.append(text)
    except DocumentError:
        raise
    except FileNotDecryptedError:
        raise say.PDF_PASSWORD.error() from None
    except MemoryError:
        raise say.OUT_OF_MEMORY.error() from None
    except Exception:
        raise say.PDF_CORRUPT.error() from None
    text = "\n\n".join(pages)
    if not text.strip():
        raise say.PDF_NO_TEXT.error()
    return text, count
