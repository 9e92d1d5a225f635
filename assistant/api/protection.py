"""Rate limiting per API key (or per address without a valid one), with the `limits` library's moving window.

Health checks are never limited; guest sign-ups have their own, stricter limit per address, so one client
cannot mint accounts to dodge the per-key limit. A key the service does not know counts against the caller's
address: made-up keys used to get a fresh bucket each. The counters live in the storage the settings name
(memory for one process, Redis for several). A refused request gets 429 and ``Retry-After``.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable

import anyio
from limits import parse
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter
from starlette.types import ASGIApp, Receive, Scope, Send

from assistant.core.errors import StorageUnavailableError

EXEMPT = ("/health", "/ready", "/docs", "/openapi.json", "/redoc")
GUEST_PATH = "/v1/auth/guest"


class RateLimitMiddleware:
    def __init__(
        self,
        app: ASGIApp,
        *,
        limit: str,
        guest_limit: str,
        storage: str = "memory://",
        known_key: Callable[[str], bool] | None = None,
    ) -> None:
        self.app = app
        self.limit = parse(limit)
        self.guest_limit = parse(guest_limit)
        self.limiter = MovingWindowRateLimiter(storage_from_string(storage))
        self.known_key = known_key

    async def _known(self, key: str) -> bool:
        """Whether ``key`` is a user's; a store that cannot be read counts it against the address, and the
        route answers the store's 503 itself."""
        if self.known_key is None:
            return True
        try:
            return bool(await anyio.to_thread.run_sync(self.known_key, key))
        except StorageUnavailableError:
            return False

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith(EXEMPT):
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        client = (scope.get("client") or ("unknown", 0))[0]
        key = headers.get("x-api-key") or headers.get("authorization", "").removeprefix("Bearer ").strip()
        if scope["path"] == GUEST_PATH and scope.get("method") == "POST":
            item, identity = self.guest_limit, f"guest:{client}"
        else:
            item = self.limit
            valid = bool(key) and await self._known(key)
            identity = "key:" + hashlib.sha256(key.encode()).hexdigest() if valid else f"addr:{client}"
        if not self.limiter.hit(item, identity):
            reset = self.limiter.get_window_stats(item, identity).reset_time
            retry = max(1, int(reset - time.time()))
            body = json.dumps({"detail": f"Too many requests; try again in {retry} s."}).encode()
            await send(
                {
                    "type": "http.response.start",
                    "status": 429,
                    "headers": [
                        (b"content-type", b"application/json"),
                        (b"retry-after", str(retry).encode()),
                        (b"content-length", str(len(body)).encode()),
                    ],
                }
            )
            await send({"type": "http.response.body", "body": body})
            return
        await self.app(scope, receive, send)
