"""The hand-checked advice cases are well-formed against the real taxonomy and demo catalog."""

from __future__ import annotations

from pathlib import Path

from assistant.core.advice import OccupationTarget, resolve_occupation
from assistant.core.taxonomy import Taxonomy
from eval.bench_advice import CASES, case_profile, load_cases

FIELDS = {"data-it", "health-care", "business", "education", "green", "skilled-trades"}


def test_cases_cover_the_fields_and_use_real_concepts(taxonomy: Taxonomy) -> None:
    _, cases = load_cases(Path(CASES))
    assert len(cases) >= 15 and {c["field"] for c in cases} == FIELDS
    assert len({c["id"] for c in cases}) == len(cases)
    for case in cases:
        resolved = resolve_occupation(taxonomy, OccupationTarget(title=case["target"]))
        assert resolved.occupation_uri == case["occupation_uri"], case["id"]
        expected = {s["uri"] for s in case["expected_gap"]}
        shown = {s["uri"] for s in case["judged_shown"]}
        assert expected and not expected & shown, case["id"]
        for entry in [*case["expected_gap"], *case["judged_shown"]]:
            assert taxonomy.skills[entry["uri"]].preferred_label == entry["label"]
        profile, _ = case_profile(case)
        assert profile.skills and all(s.skill_uri in taxonomy.skills for s in profile.skills)
        assert all(s.evidence[0].line_no for s in profile.skills)
