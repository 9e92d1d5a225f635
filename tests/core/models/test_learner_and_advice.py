import pytest
from pydantic import ValidationError

from assistant.core.models import (
    Constraints,
    Evidence,
    EvidenceSource,
    GapItem,
    GapStatus,
    HeldSkill,
    LearnerProfile,
    OccupationRequirement,
    RequirementSource,
    StackProgress,
    TextSpan,
)


def test_constraints_levels_must_be_ordered() -> None:
    with pytest.raises(ValidationError, match="min_eqf_level"):
        Constraints(min_eqf_level=6, max_eqf_level=4)


def test_span_must_be_ordered() -> None:
    with pytest.raises(ValidationError):
        TextSpan(start=5, end=2)


def test_profile_exposes_skill_uris() -> None:
    evidence = Evidence(
        source=EvidenceSource.RESUME, text="Built SQL reports", line_no=3, span=TextSpan(start=6, end=9)
    )
    profile = LearnerProfile(skills=(HeldSkill(skill_uri="u1", label="SQL", confidence=0.9, evidence=(evidence,)),))
    assert profile.skill_uris == {"u1"}


def test_gap_item_cites_at_least_one_requirement() -> None:
    with pytest.raises(ValidationError):
        GapItem(skill_uri="u", label="SQL", weight=1.0, status=GapStatus.MISSING, requirements=())
    requirement = OccupationRequirement(
        occupation_uri="o", source=RequirementSource.ESCO_ESSENTIAL, label="SQL", skill_uri="u", citation="ESCO"
    )
    item = GapItem(skill_uri="u", label="SQL", weight=1.0, status=GapStatus.MISSING, requirements=(requirement,))
    assert item.closest is None


def test_stack_progress_completion() -> None:
    assert StackProgress(target_id="c", credit_earned=12, credit_required=12).complete
    assert not StackProgress(target_id="c", credit_earned=11.5, credit_required=12).complete
