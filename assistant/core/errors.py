"""The exception tree of the core.

StackwiseError
├── DataValidationError      input data broke a rule; carries every DataIssue found
│   └── CatalogValidationError   a catalog file or export (row, field named per issue)
├── DataSourceError          a source file is missing, unreadable or not the expected release
├── DocumentError            a résumé file or text that cannot be read (reason: too-large, encrypted, …)
├── NotFoundError            an id, URI or name that is not in the loaded data (or that the caller may not see)
├── GoalUnclearError         a goal that can mean several jobs; carries the options to ask about
├── AuthenticationError      no credentials, or ones that are not valid
├── AccessDenied             (in ``access``) the caller is known but may not do this
├── BadRequestError          a request that names the wrong kind of thing (``me`` from an advisor)
├── ConflictError            not possible in the current state (advice with an empty profile)
├── TooLargeError            an upload past the size limit
├── StorageUnavailableError  the database cannot be written or reached now (disk full, read-only, down)
└── NotReadyError            still preparing: a first start's indexes are being built

Each entry point maps these to its own words once: the API in ``assistant.api.errors`` (one table of
status codes), the CLI in ``assistant.cli_errors`` (a message and exit code 2).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

from pydantic import BaseModel, ConfigDict


class DataIssue(BaseModel):
    """One problem in input data, located as precisely as the format allows."""

    model_config = ConfigDict(frozen=True)

    file: str
    message: str
    row: int | None = None
    field: str | None = None
    record_id: str | None = None

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f", row {self.row}"
        if self.record_id:
            where += f" (id {self.record_id!r})"
        if self.field:
            where += f", field {self.field!r}"
        return f"{where}: {self.message}"


class StackwiseError(Exception):
    """Base of every error Stackwise raises on purpose."""


class DataValidationError(StackwiseError):
    """Raised with all issues found, so a user fixes a file in one pass."""

    def __init__(self, issues: Iterable[DataIssue], summary: str = "invalid data") -> None:
        self.issues = tuple(issues)
        lines = [f"{summary}: {len(self.issues)} issue(s)"] + [f"  - {issue}" for issue in self.issues[:50]]
        if len(self.issues) > 50:
            lines.append(f"  … and {len(self.issues) - 50} more")
        super().__init__("\n".join(lines))


class CatalogValidationError(DataValidationError):
    """A catalog failed validation; nothing from it was loaded."""

    def __init__(self, issues: Iterable[DataIssue], summary: str = "catalog rejected") -> None:
        super().__init__(issues, summary)


class DataSourceError(StackwiseError):
    """A source file is missing, unreadable, or not the release the importer expects."""


DocumentProblem = Literal[
    "too-large", "too-many-pages", "encrypted", "corrupt", "empty", "unsupported-type", "timeout", "not-one-person"
]


class DocumentError(StackwiseError):
    """A résumé that cannot be read: ``reason`` is for code, the message is plain words for the learner."""

    def __init__(self, reason: DocumentProblem, message: str) -> None:
        self.reason: DocumentProblem = reason
        self.message = message
        super().__init__(message)

    def __reduce__(self) -> tuple[type[DocumentError], tuple[DocumentProblem, str]]:
        # Keeps the reason when the error crosses a process boundary (the extraction worker).
        return (type(self), (self.reason, self.message))


class NotFoundError(StackwiseError, LookupError):
    """An id, URI or name that is not in the loaded data."""


class GoalUnclearError(StackwiseError):
    """A goal in words that names several jobs, or a field: the caller asks which, never picks one silently."""

    def __init__(
        self, phrase: str, options: Iterable[tuple[str, str, str]], note: str = "", field: str | None = None
    ) -> None:
        self.phrase = phrase
        self.options = tuple(options)  # (ESCO URI, label, facts such as "US median $52,000 a year")
        self.note = note or f"“{phrase}” can mean several jobs: which one do you mean?"
        self.field = field
        labels = "; ".join(label for _, label, _ in self.options)
        super().__init__(f"{self.note} Options: {labels}. Name one to continue.")


class AuthenticationError(StackwiseError):
    """No credentials were given, or they are not valid."""


class BadRequestError(StackwiseError):
    """The request names the wrong kind of thing for this caller (``me`` from an advisor or admin)."""


class ConflictError(StackwiseError):
    """Not possible in the current state; the message says what to do first."""


class TooLargeError(StackwiseError):
    """An upload larger than the configured limit."""


StorageFault = Literal["full", "read-only", "unavailable"]

_STORAGE_WORDS: dict[str, str] = {
    "full": "the disk that holds its data is full",
    "read-only": "its data is read-only on this server",
    "unavailable": "its database does not answer",
}


class StorageUnavailableError(StackwiseError):
    """The store failed for a reason of the machine, not the request: the transaction was rolled back, so the
    same request can simply be sent again later. The message is for the person, ``fault`` for code."""

    def __init__(self, fault: StorageFault) -> None:
        self.fault = fault
        super().__init__(
            f"Stackwise cannot use its database right now: {_STORAGE_WORDS[fault]}. Nothing was changed; "
            "please try again later."
        )


class NotReadyError(StackwiseError):
    """Still preparing (a first start's search indexes are being built): the same request works in a while."""
