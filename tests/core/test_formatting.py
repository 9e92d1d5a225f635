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


def test_a_list_is_ended_by_a_blank_line_before_the_next_paragraph() -> None:
    from assistant.core.formatting import end_lists

    text = "Intro:\n- a\n- b\nNext.\n\n1. x\n   more of x\n2) y\nLast.\n```\n- code\nstays\n```"
    assert end_lists(text) == (
        "Intro:\n- a\n- b\n\nNext.\n\n1. x\n   more of x\n2) y\n\nLast.\n```\n- code\nstays\n```"
    )
    assert end_lists("-5% growth\nnext") == "-5% growth\nnext"  # not a list item
    assert end_lists(end_lists(text)) == end_lists(text)
