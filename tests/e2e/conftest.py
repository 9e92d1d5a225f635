"""The real product for browser tests: `stackwise serve` (API, demo accounts, Streamlit) and Debian chromium.

The stack starts once per session on free ports, with a throwaway state folder (database, demo keys)
but the repository's real vector indexes and model, so the pages show real advice. Screenshots go to
``artifacts/screenshots`` (gitignored) for people to look at after a run.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.e2e.support import CHROMIUM, CHROMIUM_ARGS, ROOT, Stack

SCREENSHOTS = ROOT / "artifacts" / "screenshots"
# The first start on a fresh clone embeds the taxonomy (about 10 minutes on two cores); later ones reuse it.
START_TIMEOUT = float(os.environ.get("STACKWISE_E2E_START_TIMEOUT", "1500"))


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _up(url: str) -> bool:
    try:
        return httpx.get(url, timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


def _stop(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM unwinds the launcher, which stops its API and Streamlit children; kill only as a last resort."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is not installed: run .ci/browser.sh (Debian package `chromium`)")
    stackwise = Path(sys.executable).with_name("stackwise")
    if not stackwise.exists():
        pytest.skip(f"{stackwise} is missing: install the project (`make install-dev`)")
    state = tmp_path_factory.mktemp("stackwise-state")
    api_port, ui_port = _free_port(), _free_port()
    env = {
        **os.environ,
        "HF_HUB_OFFLINE": "1",
        "TRANSFORMERS_OFFLINE": "1",
        "TOKENIZERS_PARALLELISM": "false",
        "STACKWISE_STATE_DIR": str(state),
        "STACKWISE_INDEX_DIR": os.environ.get("STACKWISE_INDEX_DIR", str(ROOT / ".stackwise" / "index")),
        "STACKWISE_API_PORT": str(api_port),
        "STACKWISE_UI_PORT": str(ui_port),
        "STACKWISE_DEMO_USERS": "true",
    }
    env.pop("STACKWISE_API_URL", None)
    env.pop("STACKWISE_DEMO_KEYS", None)
    log = state / "serve.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [str(stackwise), "serve"], cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    stack = Stack(f"http://127.0.0.1:{api_port}", f"http://127.0.0.1:{ui_port}", state / "demo_keys.json", log)
    started = time.monotonic()
    try:
        # ready, not only up: a first start serves the page while it builds the indexes (``/ready`` says 503
        # until they are built), and makes the demo accounts after them
        while not (
            _up(f"{stack.api_url}/ready") and _up(f"{stack.ui_url}/_stcore/health") and stack.demo_keys.is_file()
        ):
            if process.poll() is not None or time.monotonic() - started > START_TIMEOUT:
                tail = log.read_text(encoding="utf-8", errors="replace")[-3000:]
                pytest.fail(f"`stackwise serve` did not come up (exit {process.poll()}):\n{tail}")
            time.sleep(1)
        print(f"\nstackwise serve ready in {time.monotonic() - started:.1f}s", file=sys.stderr)
        yield stack
    finally:
        _stop(process)


@pytest.fixture(scope="session")
def browser(stack: Stack) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def screenshots() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    """On a failed browser test, save what the page showed, next to the screenshots."""
    outcome = yield
    report = outcome.get_result()
    funcargs = getattr(item, "funcargs", {})
    page = funcargs.get("page") or funcargs.get("phone")
    if report.when == "call" and report.failed and page is not None:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        try:
            page.screenshot(path=str(SCREENSHOTS / f"failed-{item.name}.png"), full_page=True)
        except Exception as exc:  # the browser may be gone; the failure itself matters more
            print(f"no failure screenshot: {exc}", file=sys.stderr)
