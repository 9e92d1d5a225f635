"""Skill linking: from text (résumé lines, job postings) to ESCO skills with evidence spans."""

from assistant.core.linking.adapter import QueryAdapter
from assistant.core.linking.lexicon import LabelMatch, SkillLexicon
from assistant.core.linking.linker import LinkerConfig, ScoredSkill, SkillLinker, SkillMention
from assistant.core.linking.phrases import Phrase, looks_like_a_list, split_phrases

__all__ = [
    "LabelMatch",
    "LinkerConfig",
    "Phrase",
    "QueryAdapter",
    "ScoredSkill",
    "SkillLexicon",
    "SkillLinker",
    "SkillMention",
    "looks_like_a_list",
    "split_phrases",
]
