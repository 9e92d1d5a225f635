"""The linking benchmark picks résumés near two pages and reads quantiles from every request."""

from __future__ import annotations

from eval.bench_linking import quantile, two_page
from eval.resume_entities import Annotated


def _resume(index: int, words: int) -> Annotated:
    return Annotated(index, " ".join(["word"] * words), ())


def test_the_resumes_closest_to_two_pages_are_chosen() -> None:
    resumes = [_resume(0, 100), _resume(1, 880), _resume(2, 2500), _resume(3, 950), _resume(4, 400)]
    assert [r.index for r in two_page(resumes, 2, 900)] == [1, 3]


def test_quantiles_are_read_from_the_sorted_times() -> None:
    times = [float(n) for n in range(1, 21)]  # 1 … 20 s
    assert quantile(times, 0.5) == 11.0
    assert quantile(times, 0.95) == 19.0
    assert quantile(list(reversed(times)), 0.95) == 19.0
    assert quantile([0.4], 0.95) == 0.4
