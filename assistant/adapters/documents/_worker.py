"""The time limit: extraction runs in a fresh process per file that is killed when time is up.

A parser stuck in a crafted file cannot be interrupted from inside; a process can. The clock starts when
the worker has started and imported its libraries, so a slow machine start-up does not count against the file.
On POSIX each worker is forked from a "forkserver" that has imported the parsers once, so a file costs a
fork, not a Python start-up and imports (about half a second of CPU under load); elsewhere it is spawned.
Neither re-imports the caller's main module in the worker (the forkserver's preload list replaces it).
"""

from __future__ import annotations

import logging
import multiprocessing
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any

from assistant.adapters.documents import _messages as say
from assistant.adapters.documents._limits import MB, DocumentLimits, ExtractedText
from assistant.core.errors import DocumentError

Extractor = Callable[[bytes, str | None, str | None, DocumentLimits], ExtractedText]

STARTUP_GRACE_S = 60.0
_READY = "ready"
# what the forkserver imports once; every worker forked from it starts with them loaded
PRELOAD = ["assistant.adapters.documents._extract", "docx", "pypdf"]


def _context() -> Any:
    """The forkserver where there is one (POSIX), else spawn; never plain fork from a threaded server."""
    if "forkserver" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(PRELOAD)
        return context
    return multiprocessing.get_context("spawn")


def run_isolated(
    extractor: Extractor, data: bytes, filename: str | None, content_type: str | None, limits: DocumentLimits
) -> ExtractedText:
    """``extractor(data, filename, content_type, limits)`` in a worker process, within ``limits.timeout_s``.

    The extractor must be importable by name (a module-level function) for the worker process to find it.
    """
    context = _context()
    receiver, sender = context.Pipe(duplex=False)
    worker = context.Process(
        target=_work,
        args=(sender, extractor, data, filename, content_type, limits),
        name="stackwise-document-reader",
        daemon=True,
    )
    worker.start()
    sender.close()
    try:
        if _receive(receiver, STARTUP_GRACE_S, limits) != (_READY,):
            raise say.UNREADABLE.error()
        outcome = _receive(receiver, limits.timeout_s, limits)
    finally:
        receiver.close()
        if worker.is_alive():
            worker.kill()
        worker.join(timeout=5)
    if outcome[0] == "ok" and isinstance(outcome[1], ExtractedText):
        return outcome[1]
    if outcome[0] == "error":
        raise DocumentError(outcome[1], outcome[2])
    raise say.UNREADABLE.error()


def _receive(receiver: Connection, timeout: float, limits: DocumentLimits) -> tuple[Any, ...]:
    if not receiver.poll(timeout):
        raise say.timed_out(limits.timeout_s)
    try:
        message = receiver.recv()
    except (EOFError, OSError):  # the worker died: crashed, or killed for memory
        raise say.UNREADABLE.error() from None
    return message if isinstance(message, tuple) else ()


def _work(
    sender: Connection,
    extractor: Extractor,
    data: bytes,
    filename: str | None,
    content_type: str | None,
    limits: DocumentLimits,
) -> None:
    """Worker entry point: cap memory, load the parsers, say ready, then extract and send the outcome."""
    _cap_memory(limits.max_memory_mb)
    import docx  # noqa: F401  (loaded before the clock starts)
    import pypdf  # noqa: F401

    # pypdf logs a warning per malformed object it works around: a crafted PDF would write hundreds of
    # thousands of lines to the server's stderr. The outcome says all the learner and the log need.
    logging.getLogger("pypdf").setLevel(logging.CRITICAL)

    sender.send((_READY,))
    try:
        sender.send(("ok", extractor(data, filename, content_type, limits)))
    except DocumentError as error:
        sender.send(("error", error.reason, error.message))
    except MemoryError:
        sender.send(("error", say.OUT_OF_MEMORY.reason, say.OUT_OF_MEMORY.message))
    except Exception:
        sender.send(("error", say.UNREADABLE.reason, say.UNREADABLE.message))
    finally:
        sender.close()


def _cap_memory(megabytes: int | None) -> None:
    if megabytes is None:
        return
    try:
        import resource
    except ImportError:  # not POSIX: the time limit still applies
        return
    cap = megabytes * MB
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        cap = min(cap, hard)
    try:
        resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
    except (ValueError, OSError):
        return
