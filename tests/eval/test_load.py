"""The load command: its figures and verdict as pure functions, then one tiny real run against a real server.

The real run starts the API over the full indexes in ``.stackwise/index`` (skipped when they are not built;
25 to 50 s, most of it loading the model and indexes) in a subprocess: locust patches the standard library
with gevent, which must not leak into pytest.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from eval.load import (
    CHAT,
    Endpoint,
    Recorder,
    Report,
    count_in_log,
    percentile,
    summarise,
    summary_line,
    table,
    verdict,
)

ROOT = Path(__file__).resolve().parents[2]
MESSAGES = "/v1/sessions/{id}/messages"


def recorded(entries: dict[tuple[str, str], list[float]], failed: dict[tuple[str, str], int] | None = None) -> Recorder:
    recorder = Recorder()
    for (method, name), times in entries.items():
        bad = (failed or {}).get((method, name), 0)
        for i, ms in enumerate(times):
            recorder.on_request(method, name, ms, RuntimeError("HTTP 500: boom") if i < bad else None)
    return recorder


def endpoint(name: str, p95: float, *, requests: int = 10, failures: int = 0, chat: bool = False) -> Endpoint:
    return Endpoint("GET", name, requests, failures, p95 / 2, p95, p95 * 2, chat)


def test_percentile_is_nearest_rank() -> None:
    values = [float(v) for v in range(100, 0, -1)]
    assert percentile(values, 0.50) == 50
    assert percentile(values, 0.95) == 95
    assert percentile(values, 1.0) == 100
    assert percentile([7.0], 0.95) == 7
    assert percentile([1.0, 2.0], 0.5) == 1
    with pytest.raises(ValueError):
        percentile([], 0.5)
    with pytest.raises(ValueError):
        percentile([1.0], 0)


def test_recorder_groups_by_route_and_keeps_the_error() -> None:
    recorder = recorded({("GET", "/v1/catalog"): [10.0, 20.0, 30.0]}, failed={("GET", "/v1/catalog"): 2})
    assert recorder.times[("GET", "/v1/catalog")] == [10.0, 20.0, 30.0]
    assert recorder.failures[("GET", "/v1/catalog")] == 2
    assert recorder.errors == {"GET /v1/catalog: HTTP 500: boom": 2}


def test_summary_splits_chat_from_the_rest() -> None:
    assert ("POST", MESSAGES) in CHAT
    recorder = recorded(
        {
            ("GET", "/v1/learners/me/profile"): [float(v) for v in range(1, 101)],
            ("POST", "/v1/learners/me/advice"): [float(v) for v in range(100, 1100, 10)],
            ("POST", MESSAGES): [5000.0] * 20,
            ("POST", MESSAGES + "/stream"): [100.0] * 80,
        },
        failed={("POST", "/v1/learners/me/advice"): 1},
    )
    report = summarise(recorder, users=20, duration_s=120, db_locked=0)
    by_name = {e.name: e for e in report.endpoints}
    assert by_name["/v1/learners/me/profile"].p95_ms == 95
    assert by_name[MESSAGES].chat and not by_name["/v1/learners/me/advice"].chat
    assert report.requests == 300 and report.failures == 1
    worst = report.worst_non_chat
    assert worst is not None and worst.name == "/v1/learners/me/advice" and worst.p95_ms == 1040
    assert report.chat_p95_ms == 5000  # pooled over both chat endpoints: 20 slow of 100
    assert not report.p95_ok and report.errors_ok and report.passed


def test_verdict_fails_on_errors_or_a_locked_database_not_on_p95() -> None:
    slow = Report(20, 120, (endpoint("/a", 3000),), None, 0, None)
    assert not slow.p95_ok and slow.passed
    at_target = Report(20, 120, (endpoint("/a", 10, requests=100, failures=2),), None, 0, None)
    assert at_target.error_rate == 0.02 and not at_target.passed
    locked = Report(20, 120, (endpoint("/a", 10),), None, 3, None)
    assert not locked.passed
    unread = Report(20, 120, (endpoint("/a", 10),), None, None, None)
    assert unread.passed
    assert not Report(20, 120, (), None, 0, None).passed  # nothing measured is no pass
    chat_only_slow = Report(20, 120, (endpoint("/a", 10), endpoint(MESSAGES, 9000, chat=True)), 9000, 0, None)
    assert chat_only_slow.p95_ok


def test_printed_lines() -> None:
    report = Report(
        users=20,
        duration_s=120,
        endpoints=(endpoint("/v1/learners/me/profile", 40), endpoint(MESSAGES, 1500, chat=True)),
        chat_p95_ms=1500,
        db_locked=0,
        server_errors=0,
        top_errors=(("GET /x: HTTP 500: boom", 2),),
    )
    lines = table(report).splitlines()
    assert lines[0].split() == ["method", "endpoint", "requests", "failures", "p50", "ms", "p95", "ms", "max", "ms"]
    assert lines[2].split() == ["GET", MESSAGES, "10", "0", "750", "1500", "3000", "chat"]
    assert summary_line(report) == (
        "load: 20 users for 120 s, 20 requests (0.2/s), error rate 0.00%, non-chat p95 worst 40 ms "
        '(GET /v1/learners/me/profile), chat p95 1500 ms, "database is locked" 0'
    )
    text = "\n".join(verdict(report))
    assert "p95 < 1000 ms for non-chat endpoints: met" in text
    assert "  2 × GET /x: HTTP 500: boom" in text
    assert text.endswith("verdict: PASS")


def test_count_in_log(tmp_path: Path) -> None:
    log = tmp_path / "server.log"
    log.write_text("ok\nsqlite3.OperationalError: database is locked\nfine\n(database is locked)\n", encoding="utf-8")
    assert count_in_log(log, "database is locked") == 2


# -- a real run --------------------------------------------------------------------------------------------

SUMMARY = re.compile(
    r"^load: (\d+) users for \d+ s, (\d+) requests \([\d.]+/s\), error rate ([\d.]+)%, "
    r"non-chat p95 worst \d+ ms \(\w+ \S+\), chat p95 (\d+ ms|n/a), \"database is locked\" 0$",
    re.MULTILINE,
)


@pytest.mark.e2e  # in `make test-e2e`, after the browser tests' start-up has built the full indexes
def test_a_tiny_load_run_against_the_real_api(tmp_path: Path) -> None:
    """Two learners for ten seconds: the API starts, answers, stops, and the figures come out in both forms."""
    if importlib.util.find_spec("locust") is None:
        pytest.skip("locust is not installed (the load extra)")
    if not (ROOT / ".stackwise" / "index" / "manifest.json").is_file():
        pytest.skip("the full vector indexes are not built (stackwise index build)")
    out = tmp_path / "load.json"
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "TOKENIZERS_PARALLELISM": "false"}
    command = [sys.executable, "-m", "eval.load", "--users", "2", "--spawn-rate", "2", "--duration", "10"]
    command += ["--json", str(out), "--index-dir", str(ROOT / ".stackwise" / "index")]
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    text = done.stdout
    assert "rate limits raised for the run" in text
    assert re.search(r"^method\s+endpoint\s+requests\s+failures\s+p50 ms\s+p95 ms\s+max ms$", text, re.MULTILINE)
    for method, name in (("POST", "/v1/auth/guest"), ("PUT", "/v1/learners/me/resume")):
        row = re.search(rf"^{method}\s+{re.escape(name)}\s+(\d+)\s+(\d+)\s", text, re.MULTILINE)
        assert row, text
        assert int(row.group(1)) >= 2 and row.group(2) == "0"  # more when a learner erased and came back
    match = SUMMARY.search(text)
    assert match, text
    assert match.group(1) == "2" and float(match.group(3)) == 0
    assert "verdict: PASS" in text
    figures = json.loads(out.read_text(encoding="utf-8"))
    assert figures["users"] == 2 and figures["db_locked"] == 0 and figures["passed"] is True
    assert figures["requests"] == int(match.group(2)) == sum(e["requests"] for e in figures["endpoints"])
    assert figures["rate_limits"]["STACKWISE_GUEST_RATE_LIMIT"] == "100000/minute"
    assert {e["name"] for e in figures["endpoints"]} >= {"/v1/auth/guest", "/v1/learners/me/resume"}
