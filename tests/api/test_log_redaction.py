"""The server's logs carry no personal data: creating the app puts the redacting filter on uvicorn's handlers.

uvicorn configures its loggers before it calls the app factory, so the handlers to cover exist when
``create_app`` runs; records logged afterwards, by any logger, reach them redacted.
"""

from __future__ import annotations

import io
import logging
import logging.config
from collections.abc import Iterator

import pytest
from uvicorn.config import LOGGING_CONFIG

from assistant.adapters.logging_redaction import RedactingFilter
from assistant.api.app import create_app
from assistant.bootstrap import Stackwise
from assistant.core.taxonomy import Taxonomy
from assistant.settings import Settings
from tests.fakes import FakeEmbedder

EMAIL = "maya.okafor@example.com"
PHONE = "+1 (415) 555-0134"


@pytest.fixture
def uvicorn_logs() -> Iterator[io.StringIO]:
    """uvicorn's own logging set-up, its handlers writing to one buffer; undone afterwards."""
    names = ("", "uvicorn", "uvicorn.error", "uvicorn.access", "stackwise")
    saved = {n: (logging.getLogger(n).handlers[:], logging.getLogger(n).filters[:]) for n in names}
    saved_levels = {n: logging.getLogger(n).level for n in names}
    saved_flags = {n: (logging.getLogger(n).disabled, logging.getLogger(n).propagate) for n in names}
    # dictConfig leaves ``propagate`` as it found it where the config does not say: a page test run earlier
    # (Streamlit's logging) can leave uvicorn.error not propagating to uvicorn's handler, as uvicorn never does
    for name in names:
        logging.getLogger(name).disabled, logging.getLogger(name).propagate = False, True
    logging.config.dictConfig(LOGGING_CONFIG)
    buffer = io.StringIO()
    for name in ("uvicorn", "uvicorn.access"):
        for handler in logging.getLogger(name).handlers:
            assert isinstance(handler, logging.StreamHandler)
            handler.setStream(buffer)
    yield buffer
    for name, (handlers, filters) in saved.items():
        logger = logging.getLogger(name)
        logger.handlers[:] = handlers
        logger.filters[:] = filters
        logger.setLevel(saved_levels[name])
        logger.disabled, logger.propagate = saved_flags[name]


def test_create_app_redacts_what_uvicorn_logs(taxonomy: Taxonomy, uvicorn_logs: io.StringIO) -> None:
    root = Stackwise(Settings(database_url="sqlite:///:memory:"), taxonomy=taxonomy, embedder=FakeEmbedder())
    create_app(root)
    for name in ("uvicorn", "uvicorn.access"):
        assert all(any(isinstance(f, RedactingFilter) for f in h.filters) for h in logging.getLogger(name).handlers)
    resume_line = f"Maya Okafor · {EMAIL} · {PHONE} · 12 Harbour Street, Oakland, CA 94607"
    logging.getLogger("uvicorn.error").error("could not parse résumé: %s", resume_line)
    logging.getLogger("uvicorn.access").info(
        '%s - "%s %s HTTP/%s" %d', "127.0.0.1:5000", "GET", f"/v1/search?q={EMAIL}", "1.1", 200
    )
    try:
        raise ValueError(f"bad line {resume_line}")
    except ValueError:
        logging.getLogger("uvicorn.error").exception("upload failed")
    written = uvicorn_logs.getvalue()
    assert "could not parse résumé" in written and "/v1/search?q=" in written and "ValueError" in written
    assert EMAIL not in written
    assert "555-0134" not in written
    assert "12 Harbour Street" not in written
    root.close()
