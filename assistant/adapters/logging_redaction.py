"""Personal data kept out of log output: a ``logging.Filter`` that redacts every record before it is written.

Request logs, tracebacks and debug lines quote what learners typed or uploaded; a résumé's e-mail address or
phone number must not reach a log file because of that. The filter formats the message (so data passed as
``%s`` arguments is caught too), redacts it with ``assistant.core.privacy.redact``, and does the same to the
exception and stack text. Filters run per logger and per handler, so ``install_redaction`` puts it on the
handlers that write (including the root's, which records from every child logger reach).

An exception's message is withheld from tracebacks altogether (its type, length and every frame are kept):
messages quote their input ("invalid value 'Led a team of…'", pydantic's ``input_value=…``), and a résumé
line or chat message is free text that no pattern can recognise.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Iterable
from types import TracebackType

from assistant.core.privacy import redact

DEFAULT_LOGGERS: tuple[str, ...] = ("", "uvicorn", "uvicorn.access", "uvicorn.error", "fastapi", "stackwise")
# uvicorn's AccessFormatter unpacks ``record.args`` (client, method, path, version, status): there each
# text argument is redacted in place instead of the message being formatted up front.
KEEP_ARGS_LOGGERS: frozenset[str] = frozenset({"uvicorn.access"})
_DONE = "_stackwise_redacted"


class RedactingFilter(logging.Filter):
    """Redacts a record's message, arguments, exception and stack text in place; never drops a record."""

    def __init__(self, name: str = "", keep_args_loggers: Iterable[str] = KEEP_ARGS_LOGGERS) -> None:
        super().__init__(name)
        self.keep_args_loggers = frozenset(keep_args_loggers)

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, _DONE, False):  # the same record passes a logger's filter and each handler's
            return True
        if record.name in self.keep_args_loggers and isinstance(record.args, tuple):
            record.msg = redact(str(record.msg)).text
            record.args = tuple(redact(arg).text if isinstance(arg, str) else arg for arg in record.args)
        else:
            record.msg = redact(_message(record)).text
            record.args = None
        if record.exc_info and record.exc_info[0] is not None:
            record.exc_text = traceback_without_messages(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text).text
            record.exc_info = None  # a formatter would otherwise render the original traceback again
        if record.stack_info:
            record.stack_info = redact(record.stack_info).text
        setattr(record, _DONE, True)
        return True


def traceback_without_messages(
    exc_info: tuple[type[BaseException], BaseException, TracebackType | None] | tuple[None, None, None],
) -> str:
    """The traceback as Python prints it, chained exceptions included, with each message replaced by its length."""
    _, exc, _ = exc_info
    if exc is None:
        return ""
    return "".join(_chain(traceback.TracebackException.from_exception(exc))).rstrip("\n")


def _chain(te: traceback.TracebackException) -> list[str]:
    lines: list[str] = []
    if te.__cause__ is not None:
        lines += [*_chain(te.__cause__), "\nThe above exception was the direct cause of the following exception:\n\n"]
    elif te.__context__ is not None and not te.__suppress_context__:
        lines += [*_chain(te.__context__), "\nDuring handling of the above exception, another exception occurred:\n\n"]
    if te.stack:
        lines += ["Traceback (most recent call last):\n", *te.stack.format()]
    message = "".join(te.format_exception_only()).rstrip("\n")
    name = te.exc_type_str if hasattr(te, "exc_type_str") else getattr(te.exc_type, "__qualname__", "Exception")
    withheld = len(message) - len(name) - 2
    lines.append(f"{name}: [message withheld, {withheld} characters]\n" if withheld > 0 else f"{name}\n")
    return lines


def _message(record: logging.LogRecord) -> str:
    """``msg % args``; a call with mismatched arguments is still logged (redacted), not lost."""
    try:
        return record.getMessage()
    except (TypeError, ValueError, KeyError):
        return f"{record.msg} {record.args!r}"


def install_redaction(logger_names: Iterable[str] = DEFAULT_LOGGERS) -> RedactingFilter:
    """Attach one ``RedactingFilter`` to the named loggers, their handlers and the root's handlers.

    Handlers added later (say, by ``logging.config.dictConfig`` when uvicorn starts) are not covered:
    call this again after configuring logging. Calling it twice adds nothing twice.
    """
    redacting = RedactingFilter()
    targets: list[logging.Filterer] = []
    for name in (*logger_names, ""):
        logger = logging.getLogger(name)
        targets += [logger, *logger.handlers]
    for target in targets:
        if not any(isinstance(existing, RedactingFilter) for existing in target.filters):
            target.addFilter(redacting)
    return redacting
