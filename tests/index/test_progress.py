"""The progress file a start's index build leaves for the API and the page."""

from __future__ import annotations

import json
import os
from pathlib import Path

from index.build import build_indexes
from index.progress import FILE, ProgressWriter, read_progress


def test_written_read_and_removed(tmp_path: Path) -> None:
    writer = ProgressWriter(tmp_path, ["skills", "occupations", "credentials"], every_s=0)
    assert read_progress(tmp_path) is None
    writer("occupations", 450, 1000)
    progress = read_progress(tmp_path)
    assert progress is not None and progress.pid == os.getpid()
    assert progress.describe() == "occupations 45% (part 2 of 3)"
    writer.finish()
    assert read_progress(tmp_path) is None and not (tmp_path / FILE).exists()


def test_a_file_left_by_a_build_that_died_is_ignored(tmp_path: Path) -> None:
    ProgressWriter(tmp_path, ["skills"], every_s=0)("skills", 1, 2)
    data = json.loads((tmp_path / FILE).read_text())
    (tmp_path / FILE).write_text(json.dumps({**data, "pid": 2**22 + 7}))  # above Linux's pid_max default
    assert read_progress(tmp_path) is None
    (tmp_path / FILE).write_text("{not json")
    assert read_progress(tmp_path) is None


def test_writes_are_throttled_but_the_last_one_is_kept(tmp_path: Path) -> None:
    writer = ProgressWriter(tmp_path, ["skills"], every_s=3600)
    writer("skills", 1, 10)
    writer("skills", 5, 10)  # within the interval: skipped
    assert read_progress(tmp_path).describe() == "skills 10% (part 1 of 1)"
    writer("skills", 10, 10)  # the end is always written
    assert read_progress(tmp_path).describe() == "skills 100% (part 1 of 1)"


def test_a_build_reports_each_part_as_it_embeds(tmp_path: Path, small_taxonomy, small_catalog, fake_embedder) -> None:
    seen: list[tuple[str, int, int]] = []
    build_indexes(
        tmp_path / "index",
        embedder=fake_embedder,
        taxonomy=small_taxonomy,
        catalog=small_catalog,
        progress=False,
        on_progress=lambda part, done, total: seen.append((part, done, total)),
    )
    parts = list(dict.fromkeys(part for part, _, _ in seen))
    assert set(parts) == {"skills", "occupations", "credentials"}
    for part in parts:
        last = [entry for entry in seen if entry[0] == part][-1]
        assert last[1] == last[2] > 0  # each part ends at all of its texts
