"""Reading a résumé into a profile, told as it goes (the linker is the tiny fake one of the linking tests)."""

from __future__ import annotations

from assistant.core.profile import PROGRESS_BATCH, link_resume
from assistant.core.resume import structure
from tests.core.linking.test_linking import _linker


def _resume(jobs: int) -> str:
    lines = ["Skills", "Python, SQL, build dashboards", "", "Experience"]
    for n in range(jobs):
        lines += [f"Analyst {n}, Acme {n}, 2019 - 2021", f"Built dashboards in Python for team {n}."]
    return "\n".join(lines)


def test_progress_is_told_per_batch_and_ends_at_every_line() -> None:
    linker, document = _linker(), structure(_resume(80))
    told: list[tuple[int, int]] = []
    links = link_resume(document, linker, on_progress=lambda done, total: told.append((done, total)))
    total = told[-1][1]
    assert total > 2 * PROGRESS_BATCH
    assert told[-1] == (total, total)
    assert [done for done, _ in told] == sorted({done for done, _ in told})  # rising, never repeated
    assert len(told) >= total // PROGRESS_BATCH
    assert links == link_resume(document, linker)  # listening changes nothing
