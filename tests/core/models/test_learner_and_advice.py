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


# --- the learner's say over the skill list ---------------------------------------------------------------

_A, _B, _C = (f"http://data.europa.eu/esco/skill/{n}" for n in ("a", "b", "c"))


def _held(uri: str, source: EvidenceSource = EvidenceSource.RESUME, *, confirmed: bool = False) -> HeldSkill:
    evidence = (Evidence(source=source, text="line", line_no=1 if source is EvidenceSource.RESUME else None),)
    return HeldSkill(skill_uri=uri, label=uri[-1], confidence=0.7, evidence=evidence, confirmed=confirmed)


def test_confirm_dismiss_and_add() -> None:
    profile = LearnerProfile(skills=(_held(_A),), unconfirmed=(_held(_B),))
    confirmed = profile.confirm([_B, _A])
    assert [s.skill_uri for s in confirmed.skills] == [_A, _B] and all(s.confirmed for s in confirmed.skills)
    assert confirmed.unconfirmed == ()
    dismissed = profile.dismiss([_A, _B])
    assert dismissed.skills == () and dismissed.unconfirmed == () and set(dismissed.dismissed) == {_A, _B}
    typed = _held(_B, EvidenceSource.SELF_REPORTED)
    added = profile.add([typed, _held(_C, EvidenceSource.SELF_REPORTED)])
    b = next(s for s in added.skills if s.skill_uri == _B)
    assert b.confirmed and [e.source for e in b.evidence] == [EvidenceSource.RESUME, EvidenceSource.SELF_REPORTED]
    assert _C in added.skill_uris and added.unconfirmed == ()
    assert _A in profile.dismiss([_A]).add([_held(_A, EvidenceSource.SELF_REPORTED)]).skill_uris


def test_a_resume_read_again_replaces_what_the_last_one_read_but_not_what_the_learner_said() -> None:
    profile = LearnerProfile(
        skills=(_held(_A), _held(_B, confirmed=True), _held(_C, EvidenceSource.SELF_REPORTED)),
        dismissed=("http://data.europa.eu/esco/skill/d",),
    )
    read = profile.with_read(
        EvidenceSource.RESUME,
        (_held("http://data.europa.eu/esco/skill/d"),),
        (_held("http://data.europa.eu/esco/skill/e"),),
    )
    assert [s.skill_uri for s in read.skills] == [_B, _C]  # A came from the old résumé; D was dismissed
    assert [s.skill_uri for s in read.unconfirmed] == ["http://data.europa.eu/esco/skill/e"]


def test_products_are_read_again_removed_and_added_like_skills() -> None:
    from assistant.core.models import HeldTechnology

    def tool(name: str, source: EvidenceSource = EvidenceSource.RESUME) -> HeldTechnology:
        return HeldTechnology(name=name, evidence=(Evidence(source=source, text=name),))

    profile = LearnerProfile().with_read(EvidenceSource.RESUME, (), (), (tool("Tableau"), tool("Git")))
    assert [t.label for t in profile.technologies] == ["Tableau", "Git"], "a label defaults to the name"
    profile = profile.dismiss(["onet-technology:Git"]).add_technologies([tool("Docker", EvidenceSource.SELF_REPORTED)])
    assert {t.name: t.confirmed for t in profile.technologies} == {"Tableau": False, "Docker": True}
    again = profile.with_read(EvidenceSource.RESUME, (), (), (tool("Git"), tool("Excel")))
    assert [t.name for t in again.technologies] == ["Docker", "Excel"], "typed stays, removed stays removed"
    assert again.confirm(["onet-technology:Excel"]).technologies[1].confirmed
