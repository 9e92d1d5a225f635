"""The wiring root's own adapters: the relevance gate's crowd over the occupations index."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from assistant.bootstrap import _IndexCrowd
from assistant.core.errors import NotReadyError
from assistant.core.models import Occupation
from assistant.core.ports import OCCUPATION_PROFILE
from assistant.core.taxonomy import Taxonomy

OCC = "http://data.europa.eu/esco/occupation/"
JOBS = Taxonomy(
    skills={},
    occupations={
        f"{OCC}o{i}": Occupation(uri=f"{OCC}o{i}", preferred_label=f"job {i}", isco_group=f"72{i:02d}")
        for i in range(12)
    },
    relations=(),
)


class _Store:
    def __init__(self, profiles: int) -> None:
        self.profiles = profiles
        self.reads = 0

    def vectors_of(self, kind: str) -> tuple[list[str], np.ndarray]:
        assert kind == OCCUPATION_PROFILE
        self.reads += 1
        rows = np.eye(12, 4, dtype=np.float32)[: self.profiles]
        return [f"{OCC}o{i}" for i in range(self.profiles)], rows


def _vectors(texts: Sequence[str]) -> np.ndarray:
    return np.tile(np.array([1.0, 0.0, 0.0, 0.0], dtype=np.float32), (len(texts), 1))


def test_the_crowd_reads_every_job_s_profile_once() -> None:
    store = _Store(12)
    crowd = _IndexCrowd(_vectors, lambda: store, JOBS)
    first, second = crowd.crowd(["a", "b"])
    assert first.tenth == second.tenth == 0.0  # one job of twelve is close: the tenth closest is not
    assert first.groups[0] == "7200"  # the close one, by the taxonomy's ISCO group of its key
    crowd.crowd(["c"])
    assert store.reads == 1


def test_an_index_of_some_jobs_only_gives_the_hand_set_gate_for_good() -> None:
    """An index over a slice of the occupations (tests' small stacks) would make every course look specific."""
    store = _Store(5)
    crowd = _IndexCrowd(_vectors, lambda: store, JOBS)
    assert list(crowd.crowd(["a"])) == [] and list(crowd.crowd(["a"])) == []
    assert store.reads == 1


def test_while_the_index_is_being_built_it_answers_nothing_and_tries_again() -> None:
    attempts: list[int] = []

    def building() -> _Store:
        attempts.append(1)
        raise NotReadyError("the occupations index is being built")

    crowd = _IndexCrowd(_vectors, building, JOBS)
    assert list(crowd.crowd(["a"])) == [] and list(crowd.crowd(["a"])) == []
    assert len(attempts) == 2
