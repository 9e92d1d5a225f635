"""The request body's gate: a size limit on the bytes actually read, and JSON a person's text can travel in.

The limit used to read only ``Content-Length``, so a chunked body of any size was parsed (and its 422 echoed
it back). Here the body is read as it arrives and refused with 413 as soon as it passes the limit, chunked or
not; uploads (multipart) keep their own, larger limit, enforced by the upload route. A JSON body holding a
value no JSON answer can carry (NaN, Infinity, a number too large for a float, a lone UTF-16 surrogate such as
``"\\ud800"``) is refused with 422 and a message that names the problem without repeating the value: those
values used to pass validation or reach the error handler and end as a 500, with the raw field in the log.
"""

from __future__ import annotations

import json
import math
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

NON_FINITE = "Numbers in a request must be finite: NaN, Infinity and values beyond a float's range are refused."
SURROGATE = "Text in a request must not hold an unpaired UTF-16 surrogate (\\ud800 to \\udfff)."
NOT_UTF8 = "The request body is not UTF-8 text."


class _NonFinite(ValueError):
    pass


def _constant(name: str) -> Any:
    raise _NonFinite(name)


def _walk(value: Any) -> str | None:
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if any(0xD800 <= ord(c) <= 0xDFFF for c in item):
                return SURROGATE
        elif isinstance(item, float):
            if not math.isfinite(item):
                return NON_FINITE
        elif isinstance(item, dict):
            for key, inner in item.items():
                stack.extend((key, inner))
        elif isinstance(item, list):
            stack.extend(item)
    return None


def json_problem(body: bytes) -> str | None:
    """Why this JSON body cannot be accepted, or None (a syntax error is left to the framework's 422)."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return NOT_UTF8
    try:
        value = json.loads(text, parse_constant=_constant)
    except _NonFinite:
        return NON_FINITE
    except ValueError:
        return None
    return _walk(value)


class BodyGate:
    def __init__(self, app: ASGIApp, *, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        kind = headers.get("content-type", "").lower()  # media types are case-insensitive, as FastAPI reads them
        if kind.startswith("multipart/") or scope.get("method") in ("GET", "HEAD", "OPTIONS", "DELETE"):
            await self.app(scope, receive, send)
            return
        body = bytearray()
        more = True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            body += message.get("body", b"")
            more = bool(message.get("more_body", False))
            if len(body) > self.max_bytes:
                await _answer(send, 413, f"Request body larger than {self.max_bytes // 1024} KB.")
                return
        if body and (not kind or "json" in kind):  # FastAPI reads a body without a type as JSON too
            problem = json_problem(bytes(body))
            if problem is not None:
                await _answer(send, 422, problem)
                return
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": bytes(body), "more_body": False}
            return await receive()

        await self.app(scope, replay, send)


async def _answer(send: Send, status: int, detail: str) -> None:
    payload = json.dumps({"detail": detail}).encode("utf-8")
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(payload)).encode())],
        }
    )
    await send({"type": "http.response.body", "body": payload})


__all__ = ["BodyGate", "json_problem"]
