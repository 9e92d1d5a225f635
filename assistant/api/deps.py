"""What every route gets: the wiring root, who is asking, and uploads read within their limit.

Authentication is an API key sent as ``Authorization: Bearer <key>`` (an OAuth2-style bearer token) or
``X-API-Key``; only its SHA-256 is stored. The use cases check what the caller may do.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request, Security, UploadFile
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer

from assistant.bootstrap import Stackwise
from assistant.core.access import Principal


def root(request: Request) -> Stackwise:
    built: Stackwise = request.app.state.root
    return built


App = Annotated[Stackwise, Depends(root)]

_bearer = HTTPBearer(auto_error=False, description="API key as a bearer token")
_header = APIKeyHeader(name="X-API-Key", auto_error=False, description="API key")


def principal(
    app: App,
    bearer: Annotated[HTTPAuthorizationCredentials | None, Security(_bearer)],
    header: Annotated[str | None, Security(_header)],
) -> Principal:
    return app.access.caller(bearer.credentials if bearer is not None else header)


Caller = Annotated[Principal, Depends(principal)]


async def read_upload(app: Stackwise, file: UploadFile) -> bytes:
    """The uploaded bytes, read to one byte past the limit so the use case can refuse a larger file."""
    data = await file.read(app.learners.max_upload_bytes + 1)
    await file.close()
    return data
