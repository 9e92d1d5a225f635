"""Domain models: frozen pydantic records with no framework imports.

Grouped by concern: ``taxonomy`` (ESCO / O*NET / labour-market data), ``credentials`` (catalog
entries, EU micro-credential elements, stacking), ``learner`` (profile, evidence, constraints) and
``advice`` (gap, recommendations, routes). Everything is re-exported here as one flat API.
"""

from assistant.core.models.advice import (
    GapItem,
    GapStatus,
    Recommendation,
    Route,
    RouteObjective,
    RouteStep,
    StackProgress,
)
from assistant.core.models.credentials import (
    AssessmentType,
    Credential,
    CredentialKind,
    CreditUnit,
    DeliveryMode,
    Money,
    Pacing,
    PrerequisiteGroup,
    SkillAlignment,
    StackingRule,
    StackRequirement,
)
from assistant.core.models.learner import (
    Constraints,
    Evidence,
    EvidenceSource,
    HeldSkill,
    LearnerProfile,
    TextSpan,
)
from assistant.core.models.taxonomy import (
    Occupation,
    OccupationRequirement,
    OccupationSkillRelation,
    OnetOccupation,
    OnetSkillRating,
    OnetTechnology,
    Projection,
    RelationType,
    RequirementSource,
    ReuseLevel,
    Skill,
    SkillGroup,
    SkillType,
    Wage,
)

__all__ = [
    "AssessmentType",
    "Constraints",
    "Credential",
    "CredentialKind",
    "CreditUnit",
    "DeliveryMode",
    "Evidence",
    "EvidenceSource",
    "GapItem",
    "GapStatus",
    "HeldSkill",
    "LearnerProfile",
    "Money",
    "Occupation",
    "OccupationRequirement",
    "OccupationSkillRelation",
    "OnetOccupation",
    "OnetSkillRating",
    "OnetTechnology",
    "Pacing",
    "PrerequisiteGroup",
    "Projection",
    "Recommendation",
    "RelationType",
    "RequirementSource",
    "ReuseLevel",
    "Route",
    "RouteObjective",
    "RouteStep",
    "Skill",
    "SkillAlignment",
    "SkillGroup",
    "SkillType",
    "StackProgress",
    "StackRequirement",
    "StackingRule",
    "TextSpan",
    "Wage",
]
