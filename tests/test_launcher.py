"""``stackwise serve``'s index build: on a thread, with progress beside the indexes, while the page serves."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.bootstrap import Stackwise
from assistant.launcher import IndexBuild
from assistant.settings import Settings
from index.progress import FILE


def _service(tmp_path: Path, small_taxonomy, small_catalog, fake_embedder) -> Stackwise:
    settings = Settings(state_dir=tmp_path, index_dir=tmp_path / "index", database_url="sqlite:///:memory:")
    return Stackwise(settings, taxonomy=small_taxonomy, catalog=small_catalog, embedder=fake_embedder)


def test_a_first_start_builds_on_a_thread_and_a_later_one_reuses(
    tmp_path: Path,
    small_taxonomy,
    small_catalog,
    fake_embedder,
    capsys: pytest.CaptureFixture[str],
) -> None:
    service = _service(tmp_path, small_taxonomy, small_catalog, fake_embedder)
    build = IndexBuild(service)
    assert build.pending == ["skills", "occupations", "credentials"]
    build.start()
    assert build.thread is not None
    build.thread.join(timeout=120)
    assert build.failed is None and not (tmp_path / "index" / FILE).exists()
    assert "indexes ready (built: skills, occupations, credentials" in capsys.readouterr().out
    assert service.index_build() is None and service.indexes is not None

    again = IndexBuild(_service(tmp_path, small_taxonomy, small_catalog, fake_embedder))
    again.start()
    assert again.pending == [] and again.thread is None
    assert "indexes ready (all up to date)" in capsys.readouterr().out


def test_a_failed_build_says_so_and_leaves_no_progress_behind(
    tmp_path: Path,
    small_taxonomy,
    small_catalog,
    fake_embedder,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("index.build.build_indexes", broken)
    build = IndexBuild(_service(tmp_path, small_taxonomy, small_catalog, fake_embedder))
    build.start()
    assert build.thread is not None
    build.thread.join(timeout=60)
    assert build.failed == "[Errno 28] No space left on device"
    assert "building the indexes failed: [Errno 28] No space left on device" in capsys.readouterr().out
    assert not (tmp_path / "index" / FILE).exists()


def test_what_needs_the_indexes_runs_after_the_build_or_at_once(
    tmp_path: Path, small_taxonomy, small_catalog, fake_embedder
) -> None:
    """Demo accounts read sample résumés: they are made once the indexes exist."""
    service = _service(tmp_path, small_taxonomy, small_catalog, fake_embedder)
    seen: list[str | None] = []
    build = IndexBuild(service)
    build.start(then=lambda: seen.append(service.index_build()))
    assert build.thread is not None
    build.thread.join(timeout=120)
    assert seen == [None]  # ran after the build, with no build in progress any more
    IndexBuild(service).start(then=lambda: seen.append("at once"))
    assert seen == [None, "at once"]
