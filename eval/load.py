"""Load run: simulated learners against the real API on localhost. ``python -m eval.load``.

By default it starts the API as ``stackwise serve`` does (``python -m uvicorn`` over the app factory) on a
free localhost port in the embedded mode (no language model), with a fresh SQLite database in a temporary
state folder and the already-built full vector indexes (``STACKWISE_INDEX_DIR``, default ``.stackwise/index``;
built first when missing). The per-key and guest rate limits are raised for the run, so the figures measure
latency rather than the 429 limiter. Once ``/ready`` answers, one warm-up learner (a sample résumé from the
test fixtures) loads the model and indexes: a one-off start-up cost, timed and printed apart, not counted.
Then locust runs ``--users`` learners (``eval.load_user``) for ``--duration`` seconds, including the ramp-up
at ``--spawn-rate`` users a second. Each learner uploads a real résumé of its own, from
``../shared/data/eval/resume_entities`` (``--resumes``), dealt in a seeded order (``--seed``,
``eval.load_resumes``), so a learner's first upload costs what a new résumé costs (its lines are embedded);
without that folder the run stops, unless ``--sample-resumes`` lets 3 fixtures stand in (figures that
flatter, and it says so).

It prints, per endpoint, requests, failures and p50 / p95 / max latency (exact, from every request's own
time), with first uploads (a résumé the server has never seen) and re-uploads on rows of their own, then a
verdict against the targets, set for 20 learners on 2 CPU cores: résumé upload p95 under 2 s, p95 under
1 s for the other non-chat endpoints, under 1 % errors, and no "database is locked" in the server's log.
It exits 1 when the error rate reaches 1 % or the database was locked; the latency verdicts are printed but
do not fail the run (they depend on the machine). ``--host URL`` drives a server that is already running
instead (its log is not read then, and it may have read the same résumés in an earlier run).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from eval.load_resumes import AGAIN, FIRST, SEED, UPLOADS, Deck, Resume, read_resumes, sample_resumes

ROOT = Path(__file__).resolve().parents[1]
CHAT = frozenset({("POST", "/v1/sessions/{id}/messages"), ("POST", "/v1/sessions/{id}/messages/stream")})
# the targets, set for TARGET_USERS learners on TARGET_CORES CPU cores
TARGET_USERS = 20
TARGET_CORES = 2
UPLOAD_P95_TARGET_MS = 2000.0  # a résumé upload, first or again
P95_TARGET_MS = 1000.0  # every other endpoint but chat
ERROR_TARGET = 0.01
LOCKED = "database is locked"
# Raised for the run: 20 learners from one address would otherwise meet the guest limit (20/minute).
RATE_LIMITS = {"STACKWISE_RATE_LIMIT": "100000/minute", "STACKWISE_GUEST_RATE_LIMIT": "100000/minute"}
RESUMES = Path("eval") / "resume_entities"  # under the shared data folder (Settings.source_data_dir)
SAMPLE_RESUMES = ROOT / "tests" / "fixtures" / "resumes"
WARM_UP_RESUME = SAMPLE_RESUMES / "data_analyst.txt"  # never in the real deck; marked seen in the sample one
FLATTER = (
    "NOTE: --sample-resumes: the learners share 3 sample résumés, so after the first upload of each the "
    "embedder's cache serves their lines; the upload figures FLATTER (a new résumé costs more)"
)
READY_TIMEOUT_S = 300.0
WARM_UP_TIMEOUT_S = 600.0


# -- figures (pure) -----------------------------------------------------------------------------------------


def percentile(values: Sequence[float], fraction: float) -> float:
    """Nearest-rank percentile: the smallest value with at least ``fraction`` of the values at or below it."""
    if not values:
        raise ValueError("no values")
    if not 0 < fraction <= 1:
        raise ValueError(f"fraction must be in (0, 1], not {fraction}")
    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


@dataclass
class Recorder:
    """Every request's own time and outcome, keyed by (method, route template); a locust ``request`` listener.

    Exact times rather than locust's histogram, which rounds times above 100 ms to two significant digits."""

    times: dict[tuple[str, str], list[float]] = field(default_factory=lambda: defaultdict(list))
    failures: Counter[tuple[str, str]] = field(default_factory=Counter)
    errors: Counter[str] = field(default_factory=Counter)

    def on_request(
        self, request_type: str, name: str, response_time: float, exception: BaseException | None = None, **_: Any
    ) -> None:
        key = (request_type, name)
        self.times[key].append(float(response_time))
        if exception is not None:
            self.failures[key] += 1
            self.errors[f"{request_type} {name}: {str(exception).splitlines()[0][:160]}"] += 1


@dataclass(frozen=True)
class Endpoint:
    method: str
    name: str
    requests: int
    failures: int
    p50_ms: float
    p95_ms: float
    max_ms: float
    chat: bool
    upload: bool = False


@dataclass(frozen=True)
class WarmUp:
    """The uncounted warm-up: the whole visit and its résumé upload (a sample résumé, the model's first read)."""

    seconds: float
    upload_ms: float


@dataclass(frozen=True)
class Report:
    """The run's figures and the verdict against the targets; ``db_locked`` is None when the log was not read.

    ``resumes`` says where the learners' résumés came from; ``distinct_resumes`` how many different ones were
    dealt (``flatters`` when they were the 3 shared samples)."""

    users: int
    duration_s: float
    endpoints: tuple[Endpoint, ...]
    chat_p95_ms: float | None
    db_locked: int | None
    server_errors: int | None
    top_errors: tuple[tuple[str, int], ...] = ()
    warm_up: WarmUp | None = None
    resumes: str = ""
    distinct_resumes: int | None = None
    flatters: bool = False
    cores: int | None = None

    @property
    def requests(self) -> int:
        return sum(e.requests for e in self.endpoints)

    @property
    def failures(self) -> int:
        return sum(e.failures for e in self.endpoints)

    @property
    def error_rate(self) -> float:
        return self.failures / self.requests if self.requests else 0.0

    def row(self, method: str, name: str) -> Endpoint | None:
        return next((e for e in self.endpoints if (e.method, e.name) == (method, name)), None)

    @property
    def uploads(self) -> tuple[Endpoint, ...]:
        return tuple(e for e in self.endpoints if e.upload)

    @property
    def worst_upload(self) -> Endpoint | None:
        return max(self.uploads, key=lambda e: e.p95_ms) if self.uploads else None

    @property
    def worst_other(self) -> Endpoint | None:
        """The slowest (by p95) of the endpoints that are neither chat nor a résumé upload."""
        rest = [e for e in self.endpoints if not e.chat and not e.upload]
        return max(rest, key=lambda e: e.p95_ms) if rest else None

    @property
    def upload_ok(self) -> bool:
        worst = self.worst_upload
        return worst is None or worst.p95_ms < UPLOAD_P95_TARGET_MS

    @property
    def other_ok(self) -> bool:
        worst = self.worst_other
        return worst is None or worst.p95_ms < P95_TARGET_MS

    @property
    def p95_ok(self) -> bool:
        """Both latency targets; printed, never the exit code."""
        return self.upload_ok and self.other_ok

    @property
    def errors_ok(self) -> bool:
        return self.requests > 0 and self.error_rate < ERROR_TARGET

    @property
    def passed(self) -> bool:
        """What decides the exit code: errors under target and the database never locked."""
        return self.errors_ok and not self.db_locked


def summarise(
    recorder: Recorder,
    *,
    users: int,
    duration_s: float,
    db_locked: int | None,
    server_errors: int | None = None,
    **about: Any,
) -> Report:
    """The report of a run; ``about`` fills the descriptive fields (``warm_up``, ``resumes``, ``cores`` …)."""
    endpoints = tuple(
        Endpoint(
            method=method,
            name=name,
            requests=len(times),
            failures=recorder.failures[(method, name)],
            p50_ms=percentile(times, 0.50),
            p95_ms=percentile(times, 0.95),
            max_ms=max(times),
            chat=(method, name) in CHAT,
            upload=(method, name) in UPLOADS,
        )
        for (method, name), times in sorted(recorder.times.items(), key=lambda kv: (kv[0][1], kv[0][0]))
        if times
    )
    chat_times = [t for key, times in recorder.times.items() if key in CHAT for t in times]
    return Report(
        users=users,
        duration_s=duration_s,
        endpoints=endpoints,
        chat_p95_ms=percentile(chat_times, 0.95) if chat_times else None,
        db_locked=db_locked,
        server_errors=server_errors,
        top_errors=tuple(recorder.errors.most_common(5)),
        **about,
    )


def table(report: Report) -> str:
    rows: list[tuple[str, ...]] = [("method", "endpoint", "requests", "failures", "p50 ms", "p95 ms", "max ms", "")]
    rows += [
        (
            e.method,
            e.name,
            str(e.requests),
            str(e.failures),
            *(f"{ms:.0f}" for ms in (e.p50_ms, e.p95_ms, e.max_ms)),
            "chat" if e.chat else "upload" if e.upload else "",
        )
        for e in report.endpoints
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    align = ("<", "<", ">", ">", ">", ">", ">", "<")
    return "\n".join(
        "  ".join(f"{cell:{a}{w}}" for cell, a, w in zip(row, align, widths, strict=True)).rstrip() for row in rows
    )


def _p95(endpoint: Endpoint | None) -> str:
    return f"{endpoint.p95_ms:.0f} ms" if endpoint else "n/a"


def summary_line(report: Report) -> str:
    worst = report.worst_other
    worst_text = f"{worst.p95_ms:.0f} ms ({worst.method} {worst.name})" if worst else "n/a"
    chat = f"{report.chat_p95_ms:.0f} ms" if report.chat_p95_ms is not None else "n/a"
    locked = "not checked" if report.db_locked is None else str(report.db_locked)
    return (
        f"load: {report.users} users for {report.duration_s:.0f} s, {report.requests} requests "
        f"({report.requests / report.duration_s if report.duration_s else 0:.1f}/s), "
        f"error rate {report.error_rate:.2%}, upload p95 first {_p95(report.row('PUT', FIRST))} / "
        f"again {_p95(report.row('PUT', AGAIN))}, other non-chat p95 worst {worst_text}, chat p95 {chat}, "
        f'"{LOCKED}" {locked}'
    )


def verdict(report: Report) -> list[str]:
    def mark(ok: bool) -> str:
        return "met" if ok else "MISSED"

    def over(endpoints: Sequence[Endpoint]) -> str:
        return ", ".join(f"{e.method} {e.name} {e.p95_ms:.0f} ms" for e in endpoints)

    cores = f"{report.cores} CPU cores" if report.cores else "cores unknown"
    lines = [f"targets for {TARGET_USERS} users on {TARGET_CORES} CPU cores (this run: {report.users} users, {cores})"]
    if report.resumes:
        distinct = f", {report.distinct_resumes} distinct dealt" if report.distinct_resumes is not None else ""
        lines.append(f"résumés: {report.resumes}{distinct}")
    if report.warm_up is not None:
        lines.append(
            f"warm-up (not counted): {report.warm_up.seconds:.1f} s, its résumé upload "
            f"{report.warm_up.upload_ms:.0f} ms"
        )
    uploads = report.uploads
    slow_uploads = [e for e in uploads if e.p95_ms >= UPLOAD_P95_TARGET_MS]
    if not uploads:
        upload_text = "n/a (no uploads)"
    else:
        detail = over(slow_uploads) if slow_uploads else ", ".join(f"{e.name} {e.p95_ms:.0f} ms" for e in uploads)
        upload_text = f"{mark(report.upload_ok)} ({'over: ' if slow_uploads else ''}{detail})"
    lines.append(f"target résumé upload p95 < {UPLOAD_P95_TARGET_MS:.0f} ms: {upload_text}")
    slow = [e for e in report.endpoints if not e.chat and not e.upload and e.p95_ms >= P95_TARGET_MS]
    worst = report.worst_other
    lines.append(
        f"target p95 < {P95_TARGET_MS:.0f} ms for the other non-chat endpoints: {mark(report.other_ok)}"
        + (f" (over: {over(slow)})" if slow else f" (worst {worst.p95_ms:.0f} ms)" if worst else "")
    )
    lines.append(
        f"target error rate < {ERROR_TARGET:.0%}: {mark(report.errors_ok)} "
        f"({report.failures} of {report.requests} failed)"
    )
    if report.db_locked is None:
        lines.append(f'target no "{LOCKED}": not checked (server log not available)')
    else:
        lines.append(f'target no "{LOCKED}": {mark(report.db_locked == 0)} ({report.db_locked} in the server log)')
    if report.server_errors:
        lines.append(f"server log: {report.server_errors} tracebacks")
    lines += [f"  {count} × {message}" for message, count in report.top_errors]
    if report.flatters:
        lines.append(FLATTER)
    missed = [name for name, ok in (("upload p95", report.upload_ok), ("p95", report.other_ok)) if not ok]
    lines.append(
        "verdict: "
        + ("PASS" if report.passed else "FAIL")
        + (f" ({' and '.join(missed)} target missed, reported only)" if missed else "")
    )
    return lines


def count_in_log(path: Path, needle: str) -> int:
    """Lines of the server's log that contain ``needle``."""
    with path.open(encoding="utf-8", errors="replace") as log:
        return sum(needle in line for line in log)


# -- the server ---------------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def server_env(state_dir: Path, index_dir: Path) -> dict[str, str]:
    """The embedded mode over a fresh SQLite database and the built indexes, with the limits raised."""
    return {
        **os.environ,
        "HF_HUB_OFFLINE": "1",
        "TRANSFORMERS_OFFLINE": "1",
        "TOKENIZERS_PARALLELISM": "false",
        "STACKWISE_STATE_DIR": str(state_dir),
        "STACKWISE_INDEX_DIR": str(index_dir),
        "STACKWISE_DATABASE_URL": f"sqlite:///{state_dir / 'stackwise.db'}",
        "STACKWISE_LLM_PROVIDER": "none",
        **RATE_LIMITS,
    }


def ensure_index(index_dir: Path, env: dict[str, str]) -> None:
    """Build the full indexes when none are there (about ten minutes on two cores); reuse them otherwise."""
    if (index_dir / "manifest.json").is_file():
        return
    print(f"no indexes in {index_dir}: building them (several minutes)", flush=True)
    stackwise = Path(sys.executable).with_name("stackwise")
    subprocess.run([str(stackwise), "index", "build"], env=env, cwd=ROOT, check=True)


def start_server(port: int, env: dict[str, str], log_path: Path) -> subprocess.Popen[bytes]:
    """The API as ``stackwise serve`` starts it (``python -m uvicorn`` over the app factory), access log on."""
    from assistant.launcher import KEEP_ALIVE_S

    command = [sys.executable, "-m", "uvicorn", "assistant.api.app:app_from_settings", "--factory"]
    command += ["--timeout-keep-alive", str(KEEP_ALIVE_S)]
    with log_path.open("wb") as log:
        return subprocess.Popen(
            [*command, "--host", "127.0.0.1", "--port", str(port), "--log-level", "info"],
            env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip


def wait_ready(url: str, server: subprocess.Popen[bytes], timeout: float = READY_TIMEOUT_S) -> None:
    import httpx

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"the API exited with code {server.returncode} before it was ready")
        try:
            if httpx.get(f"{url}/ready", timeout=5).json().get("ready"):
                return
        except (httpx.HTTPError, ValueError):
            pass
        time.sleep(0.5)
    raise SystemExit(f"the API was not ready within {timeout:.0f} s")


def warm_up(url: str) -> WarmUp:
    """One learner's first visit, so the model, indexes and planner load before the clock starts.

    Its résumé is a sample from the fixtures, never one of the real deck, so the learners' first uploads stay
    first; it is timed apart (the model's first read of a résumé) and not counted."""
    import httpx

    clock = time.monotonic()
    with httpx.Client(base_url=url, timeout=WARM_UP_TIMEOUT_S) as client:
        key = client.post("/v1/auth/guest", json={}).raise_for_status().json()["api_key"]
        client.headers["Authorization"] = f"Bearer {key}"
        files = {"file": (WARM_UP_RESUME.name, WARM_UP_RESUME.read_bytes(), "text/plain")}
        upload = time.monotonic()
        client.put("/v1/learners/me/resume", files=files).raise_for_status()
        upload_ms = (time.monotonic() - upload) * 1000
        target = {"target": {"kind": "occupation", "title": "data analyst"}}
        client.post("/v1/learners/me/advice", json=target).raise_for_status()
        client.get("/v1/learners/me/suggestions").raise_for_status()
        client.get("/v1/occupations", params={"q": "data analyst"}).raise_for_status()
        session = client.post("/v1/sessions", json={}).raise_for_status().json()["id"]
        turn = {"text": "I want to move into data analysis"}
        client.post(f"/v1/sessions/{session}/messages", json=turn).raise_for_status()
        client.delete("/v1/learners/me").raise_for_status()
    return WarmUp(seconds=time.monotonic() - clock, upload_ms=upload_ms)


def stop_server(server: subprocess.Popen[bytes]) -> None:
    if server.poll() is None:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


# -- the load -----------------------------------------------------------------------------------------------


def drive(
    host: str, users: int, spawn_rate: float, duration_s: float, recorder: Recorder, deck: Deck
) -> tuple[int, float]:
    """Run locust headless in this process, the learners dealt résumés from ``deck``; returns the users reached
    and the seconds the load ran.

    Users still in a request at the end finish it (``stop_timeout``), so the slowest requests are counted."""
    import gevent  # type: ignore[import-untyped]
    from locust.env import Environment

    from eval.load_user import TIMEOUT_S, Learner

    Learner.deck = deck
    env = Environment(user_classes=[Learner], host=host, stop_timeout=TIMEOUT_S)
    env.events.request.add_listener(recorder.on_request)  # type: ignore[no-untyped-call]
    runner = env.create_local_runner()
    started = time.monotonic()
    runner.start(users, spawn_rate=spawn_rate)
    gevent.sleep(duration_s)
    reached = runner.user_count
    runner.quit()
    return reached, time.monotonic() - started


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    from assistant.settings import Settings

    settings = Settings()
    parser = argparse.ArgumentParser(prog="python -m eval.load", description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--users", type=int, default=TARGET_USERS, help=f"concurrent learners (default {TARGET_USERS})")
    parser.add_argument("--spawn-rate", type=float, default=2.0, help="learners started per second (default 2)")
    parser.add_argument("--duration", type=float, default=120.0, help="seconds of load, ramp-up included")
    parser.add_argument("--host", help="an API already running (default: start one on a free localhost port)")
    parser.add_argument("--index-dir", type=Path, default=settings.index_path, help="built vector indexes")
    parser.add_argument(
        "--resumes", type=Path, default=settings.source_data_dir / RESUMES,
        help="the real résumés, one per learner (resume_entities: testdata.json, traindata.json; default %(default)s)",
    )  # fmt: skip
    parser.add_argument("--seed", type=int, default=SEED, help=f"the order résumés are dealt in (default {SEED})")
    parser.add_argument(
        "--sample-resumes", action="store_true",
        help="use the 3 sample résumés of the test fixtures instead (shared by the learners: figures flatter)",
    )  # fmt: skip
    parser.add_argument("--server-log", type=Path, help="keep the server's log here (default: a temporary file)")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args(argv)
    if args.users < 1 or args.spawn_rate <= 0 or args.duration <= 0:
        parser.error("--users, --spawn-rate and --duration must be positive")
    return args


def deal(args: argparse.Namespace) -> tuple[Deck, str]:
    """The run's deck of résumés and where they came from, in words (never their text)."""
    if args.sample_resumes:
        warm = WARM_UP_RESUME.read_text(encoding="utf-8")
        resumes = sample_resumes(SAMPLE_RESUMES)
        seen = frozenset(r.index for r in resumes if r.text == warm)
        where = f"{len(resumes)} sample résumés from {SAMPLE_RESUMES.relative_to(ROOT)}, shared by the learners"
        return Deck(resumes, seed=args.seed, seen=seen), where
    folder = args.resumes.resolve()
    real: list[Resume] = read_resumes(folder)  # a one-line SystemExit when the folder or its files are missing
    where = f"{len(real)} real résumés from {folder}, one per learner, dealt in a seeded order (seed {args.seed})"
    return Deck(real, seed=args.seed), where


def run(args: argparse.Namespace, state_dir: Path, deck: Deck, where: str) -> Report:
    recorder = Recorder()
    about: dict[str, Any] = {"resumes": where, "flatters": args.sample_resumes, "cores": os.cpu_count()}
    print(f"résumés: {where}", flush=True)
    if args.sample_resumes:
        print(FLATTER, flush=True)
    if args.host:
        print(f"driving {args.host} (its log is not read; its own rate limits apply)", flush=True)
        warm = warm_up(args.host)
        print(f"warm-up {warm.seconds:.1f} s (its résumé upload {warm.upload_ms:.0f} ms), not counted", flush=True)
        reached, elapsed = drive(args.host, args.users, args.spawn_rate, args.duration, recorder, deck)
        about |= {"warm_up": warm, "distinct_resumes": deck.distinct_dealt}
        return summarise(recorder, users=reached, duration_s=elapsed, db_locked=None, **about)
    index_dir = args.index_dir.resolve()
    env = server_env(state_dir, index_dir)
    ensure_index(index_dir, env)
    log_path = args.server_log.resolve() if args.server_log else state_dir / "server.log"
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    print(f"starting the API on {url}: embedded mode, fresh SQLite in {state_dir}, indexes from {index_dir}")
    print("rate limits raised for the run (" + ", ".join(f"{k}={v}" for k, v in RATE_LIMITS.items()) + ")")
    clock = time.monotonic()
    server = start_server(port, env, log_path)
    try:
        wait_ready(url, server)
        ready_s = time.monotonic() - clock
        warm = warm_up(url)
        print(
            f"API ready in {ready_s:.0f} s; warm-up (model, indexes) {warm.seconds:.1f} s, its résumé upload "
            f"{warm.upload_ms:.0f} ms, not counted"
        )
        print(f"load: {args.users} users at {args.spawn_rate:g}/s for {args.duration:g} s …", flush=True)
        reached, elapsed = drive(url, args.users, args.spawn_rate, args.duration, recorder, deck)
    finally:
        stop_server(server)
    return summarise(
        recorder,
        users=reached,
        duration_s=elapsed,
        db_locked=count_in_log(log_path, LOCKED),
        server_errors=count_in_log(log_path, "Traceback (most recent call last)"),
        warm_up=warm,
        distinct_resumes=deck.distinct_dealt,
        **about,
    )


def main(argv: Sequence[str] | None = None) -> int:
    import eval.load_user  # noqa: F401  -- locust patches the standard library with gevent: first, before ssl

    sys.stdout.reconfigure(line_buffering=True)  # type: ignore[union-attr]  # progress shows as it happens
    args = parse_args(argv)
    deck, where = deal(args)
    with tempfile.TemporaryDirectory(prefix="stackwise-load-") as tmp:
        report = run(args, Path(tmp), deck, where)
    print(table(report))
    print(summary_line(report))
    print("\n".join(verdict(report)))
    if args.json:
        figures = {**asdict(report), "requests": report.requests, "failures": report.failures,
                   "error_rate": report.error_rate, "upload_ok": report.upload_ok, "other_ok": report.other_ok,
                   "p95_ok": report.p95_ok, "errors_ok": report.errors_ok, "passed": report.passed,
                   "spawn_rate": args.spawn_rate, "seed": args.seed, "host": args.host,
                   "rate_limits": None if args.host else RATE_LIMITS}  # fmt: skip
        args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    return 0 if report.passed else 1


if __name__ == "__main__":
    sys.exit(main())
