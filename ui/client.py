"""A small typed client of the Stackwise API, shared by the Streamlit pages (no business logic here)."""

from __future__ import annotations

import os
from typing import Any

import httpx

DEFAULT_API_URL = "http://127.0.0.1:8000"


class ApiError(RuntimeError):
    """The API could not be reached or refused the request; the message is fit to show a person."""


class StackwiseClient:
    def __init__(
        self, base_url: str | None = None, *, timeout: float = 30.0, transport: httpx.BaseTransport | None = None
    ) -> None:
        self.base_url = (base_url or os.environ.get("STACKWISE_API_URL") or DEFAULT_API_URL).rstrip("/")
        self._http = httpx.Client(base_url=self.base_url, timeout=timeout, transport=transport)

    def _get(self, path: str, **params: Any) -> Any:
        try:
            response = self._http.get(path, params={k: v for k, v in params.items() if v not in (None, "")})
        except httpx.HTTPError as exc:
            raise ApiError(f"Cannot reach the Stackwise service at {self.base_url}. Is it running?") from exc
        if response.status_code == 404:
            raise ApiError(response.json().get("detail", "Not found."))
        if response.status_code >= 400:
            raise ApiError(f"The service answered {response.status_code}: {response.text[:300]}")
        return response.json()

    def stats(self) -> dict[str, Any]:
        result: dict[str, Any] = self._get("/v1/stats")
        return result

    def occupations(self, query: str, limit: int = 10) -> list[dict[str, Any]]:
        result: list[dict[str, Any]] = self._get("/v1/occupations", q=query, limit=limit)
        return result

    def occupation(self, uri: str) -> dict[str, Any]:
        result: dict[str, Any] = self._get("/v1/occupations/detail", uri=uri)
        return result

    def catalog(self, **filters: Any) -> dict[str, Any]:
        result: dict[str, Any] = self._get("/v1/catalog", **filters)
        return result

    def credential(self, credential_id: str) -> dict[str, Any]:
        result: dict[str, Any] = self._get(f"/v1/catalog/{credential_id}")
        return result
