"""What a résumé upload may cost, and what reading one yields."""

from __future__ import annotations

from pydantic import Field

from assistant.core.models._base import Record
from assistant.core.resume import SourceKind

MB = 1024 * 1024


class DocumentLimits(Record):
    """Caps on one upload; anything beyond them is refused with a DocumentError, never truncated silently."""

    max_bytes: int = Field(default=5 * MB, gt=0, description="size of the uploaded file")
    max_pages: int = Field(default=20, gt=0, description="PDF pages")
    max_chars: int = Field(default=200_000, gt=0, description="characters of extracted text")
    timeout_s: float = Field(default=15.0, gt=0, description="seconds the isolated worker may spend reading")
    max_unpacked_bytes: int = Field(default=50 * MB, gt=0, description="a DOCX's members, uncompressed, together")
    max_memory_mb: int | None = Field(
        default=1024, gt=0, description="address-space cap of the worker process (POSIX only); None for none"
    )


class ExtractedText(Record):
    """Plain text read from a file or paste, before structuring; ``pages`` only for PDFs."""

    text: str
    kind: SourceKind
    filename: str | None = None
    pages: int | None = Field(default=None, ge=0)
    warnings: tuple[str, ...] = ()
