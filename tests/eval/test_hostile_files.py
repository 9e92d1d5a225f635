"""The hostile-file corpus through the upload path: every case ends in its expected outcome, in plain words.

The default suite runs the representative subset (``slow=False`` in ``eval.hostile_files.CASES``, about
half a second each: one worker process per file); the rest run with ``-m slow``.
"""

from __future__ import annotations

import json
import zlib

import pytest

from assistant.adapters.documents import DocumentLimits
from eval.hostile_files import (
    CASES,
    MB,
    CaseResult,
    HostileCase,
    main,
    pdf_flate_bomb,
    plain_words,
    run_case,
    still_serving,
    summary,
)

BY_NAME = {case.name: case for case in CASES}
FAST = [case for case in CASES if not case.slow]
# the slow cases (big inflations, thousands of pages) run in the slow suite
SLOW = [pytest.param(case, id=case.name) for case in CASES if case.slow]


def assert_handled(case: HostileCase, result: CaseResult) -> None:
    assert result.outcome in case.expected, (result.outcome, result.message)
    assert result.problems == ()
    if result.message:
        assert plain_words(result.message)
        assert "Traceback" not in result.message and "Error" not in result.message


def test_the_corpus_covers_the_brief() -> None:
    names = set(BY_NAME)
    assert len(names) == len(CASES) >= 40
    for needed in ("docx-bomb-ratio", "docx-billion-laughs", "pdf-deep-arrays", "pdf-deep-page-tree",
                   "pdf-object-stream-loop", "pdf-many-pages", "pdf-encrypted-aes256", "docx-encrypted-ole",
                   "pdf-truncated", "docx-truncated", "pdf-named-docx", "docx-named-pdf", "png-named-pdf",
                   "exe-named-pdf", "text-50mb", "text-bidi-invisible", "text-empty", "docx-zero-bytes"):  # fmt: skip
        assert needed in names
    assert 10 <= len(FAST) <= 30  # the default suite stays quick


@pytest.mark.parametrize("case", FAST, ids=lambda case: case.name)
def test_hostile_file(case: HostileCase) -> None:
    assert_handled(case, run_case(case))


@pytest.mark.slow
@pytest.mark.parametrize("case", SLOW)
def test_hostile_file_slow(case: HostileCase) -> None:
    assert_handled(case, run_case(case))


def test_the_service_keeps_serving_after_bombs() -> None:
    for name in ("pdf-flate-bomb", "docx-bomb-ratio", "pdf-deep-arrays"):
        assert run_case(BY_NAME[name]).ok
    assert still_serving()


def test_parser_warnings_stay_out_of_the_server_log(capfd: pytest.CaptureFixture[str]) -> None:
    """pypdf warns once per duplicate key: 50,000 nested dictionaries once wrote 11,000 lines to stderr."""
    result = run_case(BY_NAME["pdf-deep-dicts"])
    assert result.ok
    assert len(capfd.readouterr().err.splitlines()) < 5


def test_the_flate_bomb_is_what_it_claims() -> None:
    data = pdf_flate_bomb()
    assert len(data) < DocumentLimits().max_bytes
    start = data.index(b"stream\n") + len(b"stream\n")
    inflater = zlib.decompressobj()
    out = inflater.decompress(data[start:], 64 * MB)
    assert len(out) == 64 * MB and not out.strip(b"\0") and inflater.unconsumed_tail  # and it goes on


def test_plain_words() -> None:
    assert plain_words("This PDF looks damaged and could not be read. Please export it again.")
    assert not plain_words('Traceback (most recent call last):\n  File "x.py", line 1')
    assert not plain_words("PdfReadError: Error reading PDF file.")
    assert not plain_words("<pypdf.generic.DictionaryObject object at 0x7f>")


def test_summary_line() -> None:
    results = [
        CaseResult("a", "corrupt", 0.41, 58.0, "This PDF looks damaged."),
        CaseResult("b", "hang", 25.0, None, problems=("still running after 25 s",)),
        CaseResult("c", "crash: TypeError", 0.2, None, problems=("raised something other than DocumentError",)),
    ]
    line = summary(results, DocumentLimits(), serving=True)
    assert line.startswith("hostile files: 3 cases, 1 handled with a clear error or clean text, 1 crashes, 1 hangs,")
    assert "max 25.00 s, limit 15 s" in line


def test_the_runner_prints_a_table_and_exits_zero(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--case", "text-empty", "--case", "png-named-pdf"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split()[:3] == ["case", "outcome", "seconds"]
    assert lines[-1].startswith("hostile files: 2 cases, 2 handled with a clear error or clean text, 0 crashes")
    assert main(["--json", "--case", "text-empty"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["cases"][0]["outcome"] == "empty" and report["serving"] is True
