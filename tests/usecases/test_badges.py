"""A badge from another issuer that matches no catalog credential counts through the skills it names, and
the reply says what was taken from it."""

from __future__ import annotations

from pathlib import Path

from assistant.core.taxonomy import Taxonomy
from tests.builders import ApiWorld, api_world, lexical_root

BADGES = Path(__file__).resolve().parents[1] / "fixtures" / "badges"


def _upload(world: ApiWorld, fixture: str) -> list[str]:
    """Upload a badge fixture as the learner; the notes the reply gives, one per badge."""
    files = {"file": ("badge.json", (BADGES / fixture).read_bytes())}
    response = world.call("learner", "POST", "/v1/learners/me/badges", files=files)
    assert response.status_code == 200, response.text
    notes: list[str] = response.json()["notes"]
    return notes


def test_a_badge_with_named_alignments_counts_through_them(taxonomy: Taxonomy) -> None:
    with api_world(lexical_root(taxonomy)) as world:
        world.user("learner")
        notes = _upload(world, "named_alignments.json")
        assert len(notes) == 1 and "“Data Foundations” from Example Learning Co is not in this catalog" in notes[0]
        assert "SQL" in notes[0] and "statistics" in notes[0]
        target = {"target": {"kind": "occupation", "title": "data analyst"}}
        advice = world.call("learner", "POST", "/v1/learners/me/advice", json=target)
        assert advice.status_code == 200, advice.text
        status = {row["label"]: row["status"] for row in advice.json()["skills"]}
        assert status["query languages"] == "held" and status["statistics"] == "held"  # SQL is a query language


def test_a_badge_with_an_esco_alignment_and_no_proof_says_both(taxonomy: Taxonomy) -> None:
    with api_world(lexical_root(taxonomy)) as world:
        world.user("learner")
        note = _upload(world, "python_for_data_work.json")[0]
        assert "its skills count: Python (computer programming)" in note
        assert note.endswith("It carries no signature to check.")
