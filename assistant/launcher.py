"""Start the API and the Streamlit page as child processes, wait until they answer, print the URLs.

Both bind to localhost only. Ctrl-C (or either child exiting) stops both.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

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


def _ensure_indexes(service: Stackwise) -> None:
    """Build the vector indexes that are missing or stale (the first start embeds the taxonomy once:
    several minutes on a laptop; later starts reuse them, and a catalog change re-embeds only it)."""
    from index.build import build_indexes

    settings = service.settings
    print(f"checking vector indexes in {settings.index_path} (first start builds them)", flush=True)
    report = build_indexes(
        settings.index_path,
        embedder=service.embedder,
        taxonomy=service.taxonomy,
        catalog=service.catalog,
        hnsw_threshold=settings.index_hnsw_threshold,
    )
    built = [name for name, part in report.parts.items() if part.status != "reused"]
    print(f"indexes ready ({'built: ' + ', '.join(built) if built else 'all up to date'})", flush=True)


def serve_all(settings: Settings, *, with_ui: bool = True) -> None:
    service = Stackwise(settings)
    stats = service.stats()  # loads and validates taxonomy + catalog before anything listens
    print(
        f"data ok: {stats['skills']} skills, {stats['occupations']} occupations, "
        f"{stats['credentials']} credentials, {stats['stack_destinations']} stack destinations",
        flush=True,
    )
    _ensure_indexes(service)
    env = {**os.environ, "STACKWISE_API_URL": settings.api_url}
    if settings.demo_users:
        from assistant.demo_accounts import ensure_demo_accounts

        keys = ensure_demo_accounts(service)
        service.close()
        env["STACKWISE_DEMO_KEYS"] = str(keys.resolve())
        print(f"demo accounts: keys in {keys} (advisor, two advisees, an alumna)", flush=True)
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
            print(f"Open Stackwise: {ui_url}", flush=True)
        print("Press Ctrl-C to stop.", flush=True)
        while all(child.poll() is None for child in children):
            time.sleep(1)
    except KeyboardInterrupt:
        pass
    finally:
        for child in children:
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)
        for child in children:
            try:
                child.wait(timeout=10)
            except subprocess.TimeoutExpired:
                child.kill()
