"""The load command: its résumé deal, figures and verdict as pure functions, then one tiny real run against a
real server.

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
    ERROR_TARGET,
    Endpoint,
    Recorder,
    Report,
    WarmUp,
    count_in_log,
    percentile,
    summarise,
    summary_line,
    table,
    verdict,
)
from eval.load_resumes import AGAIN, FILES, FIRST, Deck, MissingResumes, Resume, read_resumes, upload_name

ROOT = Path(__file__).resolve().parents[2]
MESSAGES = "/v1/sessions/{id}/messages"


def recorded(entries: dict[tuple[str, str], list[float]], failed: dict[tuple[str, str], int] | None = None) -> Recorder:
    recorder = Recorder()
    for (method, name), times in entries.items():
        bad = (failed or {}).get((method, name), 0)
        for i, ms in enumerate(times):
            recorder.on_request(method, name, ms, RuntimeError("HTTP 500: boom") if i < bad else None)
    return recorder


def endpoint(
    name: str, p95: float, *, requests: int = 10, failures: int = 0, chat: bool = False, upload: bool = False
) -> Endpoint:
    return Endpoint("PUT" if upload else "GET", name, requests, failures, p95 / 2, p95, p95 * 2, chat, upload)


def resumes(n: int) -> list[Resume]:
    return [Resume(i, f"résumé {i}") for i in range(n)]


def write_lines(path: Path, rows: list[object]) -> None:
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")


# -- the résumés -------------------------------------------------------------------------------------------


def test_resumes_are_read_from_both_files_deduplicated_and_never_shown(tmp_path: Path) -> None:
    write_lines(tmp_path / "testdata.json", [{"content": "Ann  ", "annotation": []}, {"content": "Bo"}])
    write_lines(tmp_path / "traindata.json", [{"content": "Ann"}, {"content": "   "}, {"content": "Cy"}])
    (tmp_path / "traindata.json").write_text(
        (tmp_path / "traindata.json").read_text(encoding="utf-8") + "\n", encoding="utf-8"
    )
    read = read_resumes(tmp_path)
    assert [(r.index, r.text) for r in read] == [(0, "Ann"), (1, "Bo"), (2, "Cy")]
    assert "Ann" not in repr(read[0])  # personal data stays out of logs and reprs
    assert read[2].upload() == ("resume-002.txt", b"Cy", "text/plain")


def test_missing_resumes_stop_the_run_in_one_line(tmp_path: Path) -> None:
    with pytest.raises(MissingResumes) as missing:
        read_resumes(tmp_path / "nowhere")
    message = str(missing.value)
    assert "\n" not in message and "nowhere" in message and "--sample-resumes" in message
    assert all(name in message for name in FILES)
    write_lines(tmp_path / "testdata.json", [{"content": " "}])
    with pytest.raises(MissingResumes, match="no résumé text"):
        read_resumes(tmp_path)
    (tmp_path / "testdata.json").write_text("[1]\n", encoding="utf-8")
    with pytest.raises(MissingResumes, match="line 1 is not a JSON object"):
        read_resumes(tmp_path)


def test_each_learner_gets_a_resume_of_its_own_in_a_seeded_order() -> None:
    deck = Deck(resumes(220), seed=7)
    drawn = [deck.draw() for _ in range(30)]
    assert all(first for _, first in drawn)
    assert len({r.index for r, _ in drawn}) == 30  # distinct
    assert [r.index for r, _ in drawn] != list(range(30))  # shuffled, not file order
    again = Deck(resumes(220), seed=7)
    assert [again.draw()[0].index for _ in range(30)] == [r.index for r, _ in drawn]  # the same seed, the same deal
    other = Deck(resumes(220), seed=8)
    assert [other.draw()[0].index for _ in range(30)] != [r.index for r, _ in drawn]
    assert deck.distinct_dealt == 30
    with pytest.raises(ValueError):
        Deck([])


def test_first_uploads_are_told_apart_from_later_ones() -> None:
    deck = Deck(resumes(3), seed=1)
    first_round = [deck.draw() for _ in range(3)]
    second_round = [deck.draw() for _ in range(3)]
    assert [first for _, first in first_round] == [True] * 3
    assert [first for _, first in second_round] == [False] * 3  # the deck ran out: the server has seen these
    assert [r.index for r, _ in second_round] == [r.index for r, _ in first_round]
    assert deck.distinct_dealt == 3
    warmed = Deck(resumes(3), seed=1, seen=frozenset({first_round[0][0].index}))
    assert [warmed.draw()[1] for _ in range(3)] == [False, True, True]  # the warm-up read that one already
    assert upload_name(True) == FIRST and upload_name(False) == AGAIN and FIRST != AGAIN


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
            ("PUT", FIRST): [float(v) for v in range(100, 3100, 100)],
            ("PUT", AGAIN): [200.0] * 10,
        },
        failed={("POST", "/v1/learners/me/advice"): 1},
    )
    report = summarise(recorder, users=20, duration_s=120, db_locked=0)
    by_name = {e.name: e for e in report.endpoints}
    assert by_name["/v1/learners/me/profile"].p95_ms == 95
    assert by_name[MESSAGES].chat and not by_name["/v1/learners/me/advice"].chat
    assert by_name[FIRST].upload and by_name[AGAIN].upload and not by_name[FIRST].chat
    assert by_name[FIRST].p95_ms == 2900 and by_name[AGAIN].p95_ms == 200  # first uploads apart from the rest
    assert report.requests == 340 and report.failures == 1
    worst = report.worst_other
    assert worst is not None and worst.name == "/v1/learners/me/advice" and worst.p95_ms == 1040
    upload = report.worst_upload
    assert upload is not None and upload.name == FIRST
    assert report.chat_p95_ms == 5000  # pooled over both chat endpoints: 20 slow of 100
    assert not report.upload_ok and not report.other_ok and not report.p95_ok
    assert report.errors_ok and report.passed


def test_verdict_fails_on_errors_or_a_locked_database_not_on_p95() -> None:
    assert ERROR_TARGET == 0.01
    slow = Report(20, 120, (endpoint("/a", 3000),), None, 0, None)
    assert not slow.p95_ok and slow.passed
    at_target = Report(20, 120, (endpoint("/a", 10, requests=100, failures=1),), None, 0, None)
    assert at_target.error_rate == 0.01 and not at_target.passed
    under = Report(20, 120, (endpoint("/a", 10, requests=1000, failures=9),), None, 0, None)
    assert under.passed
    locked = Report(20, 120, (endpoint("/a", 10),), None, 3, None)
    assert not locked.passed
    unread = Report(20, 120, (endpoint("/a", 10),), None, None, None)
    assert unread.passed
    assert not Report(20, 120, (), None, 0, None).passed  # nothing measured is no pass
    chat_only_slow = Report(20, 120, (endpoint("/a", 10), endpoint(MESSAGES, 9000, chat=True)), 9000, 0, None)
    assert chat_only_slow.p95_ok


def test_uploads_have_a_target_of_their_own() -> None:
    upload_1500 = Report(20, 120, (endpoint("/a", 900), endpoint(FIRST, 1500, upload=True)), None, 0, None)
    assert upload_1500.upload_ok and upload_1500.other_ok and upload_1500.p95_ok  # 1.5 s: under 2 s, not under 1 s
    upload_2000 = Report(20, 120, (endpoint("/a", 900), endpoint(FIRST, 2000, upload=True)), None, 0, None)
    assert not upload_2000.upload_ok and upload_2000.other_ok and not upload_2000.p95_ok and upload_2000.passed
    text = "\n".join(verdict(upload_2000))
    assert f"target résumé upload p95 < 2000 ms: MISSED (over: PUT {FIRST} 2000 ms)" in text
    assert "target p95 < 1000 ms for the other non-chat endpoints: met (worst 900 ms)" in text
    assert text.endswith("verdict: PASS (upload p95 target missed, reported only)")
    none = Report(20, 120, (endpoint("/a", 10),), None, 0, None)
    assert none.upload_ok and "target résumé upload p95 < 2000 ms: n/a (no uploads)" in "\n".join(verdict(none))


def test_printed_lines() -> None:
    report = Report(
        users=20,
        duration_s=120,
        endpoints=(
            endpoint("/v1/learners/me/profile", 40),
            endpoint(MESSAGES, 1500, chat=True),
            endpoint(FIRST, 1200, upload=True),
        ),
        chat_p95_ms=1500,
        db_locked=0,
        server_errors=0,
        top_errors=(("GET /x: HTTP 500: boom", 2),),
        warm_up=WarmUp(seconds=31.44, upload_ms=2500.4),
        resumes="220 real résumés from /data, one per learner",
        distinct_resumes=28,
        cores=2,
    )
    lines = table(report).splitlines()
    assert lines[0].split() == ["method", "endpoint", "requests", "failures", "p50", "ms", "p95", "ms", "max", "ms"]
    assert lines[2].split() == ["GET", MESSAGES, "10", "0", "750", "1500", "3000", "chat"]
    assert lines[3].split() == ["PUT", *FIRST.split(), "10", "0", "600", "1200", "2400", "upload"]
    assert summary_line(report) == (
        "load: 20 users for 120 s, 30 requests (0.2/s), error rate 0.00%, upload p95 first 1200 ms / again n/a, "
        'other non-chat p95 worst 40 ms (GET /v1/learners/me/profile), chat p95 1500 ms, "database is locked" 0'
    )
    text = "\n".join(verdict(report))
    assert text.startswith("targets for 20 users on 2 CPU cores (this run: 20 users, 2 CPU cores)\n")
    assert "résumés: 220 real résumés from /data, one per learner, 28 distinct dealt" in text
    assert "warm-up (not counted): 31.4 s, its résumé upload 2500 ms" in text
    assert f"target résumé upload p95 < 2000 ms: met ({FIRST} 1200 ms)" in text
    assert "p95 < 1000 ms for the other non-chat endpoints: met" in text
    assert "target error rate < 1%: met (0 of 30 failed)" in text
    assert "  2 × GET /x: HTTP 500: boom" in text
    assert "FLATTER" not in text
    assert text.endswith("verdict: PASS")
    flattering = "\n".join(verdict(Report(20, 120, (endpoint("/a", 10),), None, 0, None, flatters=True)))
    assert "figures FLATTER" in flattering


def test_count_in_log(tmp_path: Path) -> None:
    log = tmp_path / "server.log"
    log.write_text("ok\nsqlite3.OperationalError: database is locked\nfine\n(database is locked)\n", encoding="utf-8")
    assert count_in_log(log, "database is locked") == 2


# -- a real run --------------------------------------------------------------------------------------------

SUMMARY = re.compile(
    r"^load: (\d+) users for \d+ s, (\d+) requests \([\d.]+/s\), error rate ([\d.]+)%, "
    r"upload p95 first \d+ ms / again (\d+ ms|n/a), "
    r"other non-chat p95 worst \d+ ms \(\w+ \S+\), chat p95 (\d+ ms|n/a), \"database is locked\" 0$",
    re.MULTILINE,
)
SHARED_RESUMES = ROOT.parent / "shared" / "data" / "eval" / "resume_entities"


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
    real = (SHARED_RESUMES / "testdata.json").is_file()
    command += ["--resumes", str(SHARED_RESUMES)] if real else ["--sample-resumes"]  # without the data, the samples
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    text = done.stdout
    assert "rate limits raised for the run" in text
    assert re.search(r"^method\s+endpoint\s+requests\s+failures\s+p50 ms\s+p95 ms\s+max ms$", text, re.MULTILINE)
    assert ("real résumés from" if real else "figures FLATTER") in text
    for method, name in (("POST", "/v1/auth/guest"), ("PUT", FIRST)):
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
    assert {e["name"] for e in figures["endpoints"]} >= {"/v1/auth/guest", FIRST}
    assert figures["distinct_resumes"] >= 2 and figures["warm_up"]["upload_ms"] > 0
