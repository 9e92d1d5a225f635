"""The one table from domain errors to HTTP answers: status, message and headers.

Use cases raise the core's errors (:mod:`assistant.core.errors`, ``AccessDenied``); no route raises an
HTTP error by hand. The most specific class in the table wins (a ``DocumentError`` is a ``StackwiseError``
but answers by its reason), and the message is the error's first line: plain words a learner or
a client can act on, never a traceback.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from assistant.core.access import AccessDenied
from assistant.core.errors import (
    AuthenticationError,
    BadRequestError,
    ConflictError,
    DocumentError,
    NotFoundError,
    NotReadyError,
    StackwiseError,
    StorageUnavailableError,
    TooLargeError,
)


def first_line(exc: Exception) -> str:
    text = str(exc)
    return text.splitlines()[0] if text else type(exc).__name__


@dataclass(frozen=True)
class Answer:
    """How one kind of error is answered."""

    status: int | Callable[[Exception], int]
    headers: Mapping[str, str] = field(default_factory=dict)
    message: Callable[[Exception], str] = first_line

    def status_for(self, exc: Exception) -> int:
        return self.status(exc) if callable(self.status) else self.status


#: a résumé that cannot be read: too large or too long is 413, a type we do not read 415, the rest 422
DOCUMENT_STATUS: Mapping[str, int] = {"too-large": 413, "too-many-pages": 413, "unsupported-type": 415}


def _document_status(exc: Exception) -> int:
    return DOCUMENT_STATUS.get(exc.reason, 422) if isinstance(exc, DocumentError) else 422


def _document_message(exc: Exception) -> str:
    return exc.message if isinstance(exc, DocumentError) else first_line(exc)


ERRORS: Mapping[type[Exception], Answer] = {
    AuthenticationError: Answer(401, {"WWW-Authenticate": "Bearer"}),
    AccessDenied: Answer(403),
    BadRequestError: Answer(400),
    NotFoundError: Answer(404),
    ConflictError: Answer(409),
    TooLargeError: Answer(413),
    StorageUnavailableError: Answer(503, {"Retry-After": "60"}),
    NotReadyError: Answer(503, {"Retry-After": "15"}),
    DocumentError: Answer(_document_status, message=_document_message),
    StackwiseError: Answer(422),
}


def answer_for(exc: Exception) -> tuple[int, str, Mapping[str, str]] | None:
    """Status, message and headers for an error the table knows (its most specific class), else None."""
    for cls in type(exc).__mro__:
        found = ERRORS.get(cls)
        if found is not None:
            return found.status_for(exc), found.message(exc), found.headers
    return None


def install(app: FastAPI) -> None:
    """Answer every error of the table with its status and a JSON ``detail``."""

    async def handle(request: Request, exc: Exception) -> JSONResponse:
        answer = answer_for(exc)
        if answer is None:  # pragma: no cover - only table classes are registered
            raise exc
        status, message, headers = answer
        return JSONResponse({"detail": message}, status_code=status, headers=dict(headers) or None)

    for cls in ERRORS:
        app.add_exception_handler(cls, handle)
