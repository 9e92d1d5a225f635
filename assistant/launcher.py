"""Start the API and the Streamlit page as child processes, wait until they answer, print the URLs.

Both bind to localhost only. Ctrl-C (or either child exiting) stops both.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

from assistant.bootstrap import Stackwise
from assistant.core.errors import StackwiseError
from assistant.settings import Settings

UI_SCRIPT = Path(__file__).resolve().parent.parent / "ui" / "app.py"
# longer than clients keep an idle connection (httpx: 5 s, uvicorn's default too), so a client never
# sends on a connection the server is closing at the same moment (seen as resets under load)
KEEP_ALIVE_S = 30


def proxy_arguments(trusted: str) -> list[str]:
    """uvicorn believes X-Forwarded-For only from the proxies the settings name; by default from none (uvicorn
    itself trusts 127.0.0.1, so any local client could pick the address its limits count against)."""
    if not trusted.strip():
        return ["--no-proxy-headers"]
    return ["--proxy-headers", "--forwarded-allow-ips", trusted.strip()]


def _wait_until_up(url: str, process: subprocess.Popen[bytes], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise StackwiseError(f"{url} did not start (exit code {process.returncode}); see the log above")
        try:
            if httpx.get(url, timeout=2).status_code < 500:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise StackwiseError(f"{url} did not answer within {timeout:.0f}s")


class IndexBuild:
    """The vector indexes a start still has to build, built on a thread while the API and the page already
    serve: the page shows the progress (``index.progress``), and what needs no index (the catalog, browsing
    occupations, the chat's first questions) works at once. Later starts find everything up to date."""

    def __init__(self, service: Stackwise) -> None:
        from assistant.adapters.search.documents import build_documents
        from assistant.adapters.search.indexes import check_indexes
        from assistant.core.ports import PARTS

        self.service = service
        settings = service.settings
        print(f"checking vector indexes in {settings.index_path} (first start builds them)", flush=True)
        self.documents = build_documents(PARTS, taxonomy=service.taxonomy, catalog=service.catalog)
        model_id, dimension = service.embedder_identity()
        statuses = check_indexes(
            settings.index_path, model_id=model_id, dimension=dimension, documents=self.documents, parts=PARTS
        )
        self.pending = [part for part in PARTS if not statuses[part].usable]
        self.thread: threading.Thread | None = None
        self.failed: str | None = None
        self.then: Callable[[], None] | None = None

    def start(self, then: Callable[[], None] | None = None) -> None:
        """Build on a thread, writing progress beside the indexes, then run ``then`` (which may need them);
        when all are up to date, ``then`` runs at once."""
        self.then = then
        if not self.pending:
            print("indexes ready (all up to date)", flush=True)
            if then is not None:
                then()
            return
        from index.progress import ProgressWriter

        self.service.embedder  # noqa: B018 - loaded (the int8 export made, once) before the API could race to it
        writer = ProgressWriter(self.service.settings.index_path, self.pending)
        writer(self.pending[0], 0, 1)  # the API says "building" from the first moment
        self.thread = threading.Thread(target=self._build, args=(writer,), name="index-build", daemon=True)
        self.thread.start()

    def _build(self, writer: Any) -> None:
        from index.build import build_indexes

        settings = self.service.settings
        started = time.monotonic()
        try:
            report = build_indexes(
                settings.index_path,
                embedder=self.service.embedder,
                documents=self.documents,
                parts=self.pending,
                hnsw_threshold=settings.index_hnsw_threshold,
                progress=False,
                on_progress=writer,
            )
        except Exception as exc:  # said on the terminal; the API names the missing index
            self.failed = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            print(f"building the indexes failed: {self.failed}", flush=True)
            return
        finally:
            writer.finish()
        built = [name for name, part in report.parts.items() if part.status != "reused"]
        print(f"indexes ready (built: {', '.join(built)} in {time.monotonic() - started:.0f} s)", flush=True)
        if self.then is not None:
            self.then()

    def stop(self) -> None:
        from index.progress import FILE

        (self.service.settings.index_path / FILE).unlink(missing_ok=True)


def serve_all(settings: Settings, *, with_ui: bool = True) -> None:
    service = Stackwise(settings)
    stats = service.stats()  # loads and validates taxonomy + catalog before anything listens
    print(
        f"data ok: {stats['skills']} skills, {stats['occupations']} occupations, "
        f"{stats['credentials']} credentials, {stats['stack_destinations']} stack destinations",
        flush=True,
    )
    build = IndexBuild(service)
    env = {**os.environ, "STACKWISE_API_URL": settings.api_url}
    if settings.demo_users:  # their profiles are read from sample résumés: once the indexes are there
        from assistant.demo_accounts import ensure_demo_accounts, keys_path

        def demo_accounts() -> None:
            keys = ensure_demo_accounts(service)
            service.close()
            print(f"demo accounts: keys in {keys} (advisor, two advisees, an alumna)", flush=True)

        env["STACKWISE_DEMO_KEYS"] = str(keys_path(service).resolve())  # the page reads it when it is there
        build.start(then=demo_accounts)
    else:
        build.start()
    # A SIGTERM (service manager, `timeout`) unwinds like Ctrl-C so the children are stopped too.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    children: list[subprocess.Popen[bytes]] = []
    try:
        api = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "uvicorn",
                "assistant.api.app:app_from_settings",
                "--factory",
                "--host",
                settings.api_host,
                "--port",
                str(settings.api_port),
                "--log-level",
                "warning",
                "--timeout-keep-alive",
                str(KEEP_ALIVE_S),
                *proxy_arguments(settings.trusted_proxies),
            ],
            env=env,
        )
        children.append(api)
        _wait_until_up(f"{settings.api_url}/health", api, timeout=120)
        print(f"API ready:      {settings.api_url}  (docs at {settings.api_url}/docs)", flush=True)
        if with_ui:
            ui = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "streamlit",
                    "run",
                    str(UI_SCRIPT),
                    "--server.headless",
                    "true",
                    "--server.address",
                    "127.0.0.1",
                    "--server.port",
                    str(settings.ui_port),
                    "--browser.gatherUsageStats",
                    "false",
                    "--server.maxUploadSize",
                    str(max(1, round(settings.max_upload_mb))),
                    "--client.toolbarMode",
                    "minimal",
                ],
                env=env,
            )
            children.append(ui)
            ui_url = f"http://127.0.0.1:{settings.ui_port}"
            _wait_until_up(f"{ui_url}/_stcore/health", ui, timeout=120)
            building = (
                ""
                if build.thread is None or not build.thread.is_alive()
                else "  (indexes still building; the page shows how far)"
            )
            print(f"Open Stackwise: {ui_url}{building}", flush=True)
        print("Press Ctrl-C to stop.", flush=True)
        while all(child.poll() is None for child in children):
            time.sleep(1)
    except KeyboardInterrupt:
        pass
    finally:
        build.stop()
        for child in children:
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)
        for child in children:
            try:
                child.wait(timeout=10)
            except subprocess.TimeoutExpired:
                child.kill()
