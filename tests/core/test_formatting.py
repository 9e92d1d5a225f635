"""Readiness in words, with the number behind them."""

from __future__ import annotations

import pytest

from assistant.core.formatting import readiness


@pytest.mark.parametrize(
    ("share", "words"),
    [
        (0.0, "just starting out: you show 0%"),
        (0.096, "just starting out: you show 10%"),
        (0.3, "some of the way there"),
        (0.52, "well on the way: you show 52%"),
        (0.85, "nearly ready"),
        (0.95, "ready: you show 95%"),
    ],
)
def test_readiness_reads_in_words_first(share: float, words: str) -> None:
    assert readiness(share).startswith(words)
    assert readiness(share).endswith("of what the job asks")
