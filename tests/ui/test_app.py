"""The explorer page against the real API served on localhost (uvicorn in a thread)."""

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import uvicorn
from streamlit.testing.v1 import AppTest

from assistant.api.app import create_app
from assistant.bootstrap import Stackwise
from assistant.core.taxonomy import Taxonomy
from assistant.settings import Settings

APP = str(Path(__file__).resolve().parents[2] / "ui" / "app.py")


def explorer(timeout: float) -> AppTest:
    """The app opens on the learner page; the explorer is one navigation away."""
    app = AppTest.from_file(APP, default_timeout=timeout).run()
    return app.switch_page("views/explorer.py").run()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def api_url(taxonomy: Taxonomy, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    # The app opens on the learner page, which signs in a guest: keep that account in a throwaway database.
    settings = Settings(state_dir=tmp_path_factory.mktemp("state"), index_dir=Settings().index_path.resolve())
    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(
            create_app(Stackwise(settings, taxonomy=taxonomy)), host="127.0.0.1", port=port, log_level="warning"
        )
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            if httpx.get(f"{url}/health", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.1)
    yield url
    server.should_exit = True
    thread.join(timeout=10)


def test_page_shows_counts_and_finds_an_occupation(api_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STACKWISE_API_URL", api_url)
    app = explorer(60)
    assert not app.exception
    metrics = {m.label: m.value for m in app.metric}
    assert metrics["ESCO skills"] == "13,896"
    app.text_input[0].input("welder").run()
    assert not app.exception
    assert app.selectbox[0].value.startswith("welder")
    assert app.subheader[0].value == "welder"
    assert app.dataframe, "requirements table is shown"


def test_catalog_tab_lists_credentials(api_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STACKWISE_API_URL", api_url)
    app = explorer(60)
    captions = [c.value for c in app.caption]
    assert any(c.endswith("credentials") and not c.startswith("0 ") for c in captions)


def test_page_says_plainly_when_the_api_is_down(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STACKWISE_API_URL", f"http://127.0.0.1:{_free_port()}")
    app = explorer(30)
    assert app.error
    assert "Cannot reach the Stackwise service" in app.error[0].value
