"""Fields a learner names instead of a job ("healthcare", "IT", "the trades"), as ISCO-08 groups.

A field answers with a short list of occupations to explore. The groups are the ISCO-08 unit, minor or
sub-major groups whose occupations a careers adviser would list under the field; each ESCO occupation
carries its ISCO group, so the list comes from the taxonomy, not from a hand-picked set of jobs. A field
that is also a word of job titles ("data", "marketing") is answered from the titles that contain it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Field:
    name: str
    isco_prefixes: tuple[str, ...] = ()


#: (the words a learner uses, folded as lexicon.key folds them) → the field
_FIELDS: tuple[tuple[tuple[str, ...], Field], ...] = (
    (
        ("healthcare", "health care", "health", "medical", "medicine", "hospital", "clinical"),
        Field("healthcare", ("22", "32", "5321")),
    ),
    (
        (
            "it",
            "tech",
            "technology",
            "computer",
            "computing",
            "software",
            "ict",
            "computer science",
            "coding",
            "programming",
        ),
        Field("IT and software", ("25", "35")),
    ),
    (
        ("trade", "the trade", "skilled trade", "construction", "building", "hands on"),
        Field("the skilled trades", ("71", "72", "741")),
    ),
    (
        ("education", "school", "teaching and learning"),
        Field("education", ("23", "5312")),
    ),
    (
        ("finance", "banking", "money", "financial service"),
        Field("finance", ("2411", "2412", "2413", "3311", "3312", "3313", "4311")),
    ),
    (
        ("animal", "working with animal", "work with animal", "pet"),
        Field("working with animals", ("2250", "3240", "5164", "6121")),
    ),
    (
        ("kid", "children", "child", "working with kid", "working with children", "young people"),
        Field("working with children", ("2341", "2342", "2352", "5311", "3412")),
    ),
    (
        ("cyber security", "cybersecurity", "cyber", "information security", "infosec"),
        Field("cyber security", ("2522", "2523", "2529", "3511", "3512", "3513")),
    ),
    (
        ("business", "office", "corporate"),
        Field("business and administration", ("242", "243", "332", "334", "411")),
    ),
    (
        ("legal", "law"),
        Field("law", ("261", "3411")),
    ),
    (
        ("hospitality", "food", "restaurant", "hotel", "catering", "tourism"),
        Field("hospitality", ("512", "513", "1411", "1412", "3434", "4221", "4224")),
    ),
    (
        # not "supply chain" or "warehouse": words of job titles, answered from the titles that hold them (a
        # warehouse lead's "something in supply chain" is a supply chain manager or assistant, not a hearse driver)
        ("warehousing",),
        Field("warehousing", ("1324", "4321", "8344", "9333")),
    ),
    (
        ("logistic", "transport", "shipping"),
        Field("logistics", ("1324", "4321", "4323", "8322", "8332", "9333")),
    ),
    (
        ("manufacturing", "factory", "production"),
        Field("manufacturing", ("3122", "72", "81", "82")),
    ),
    (
        ("social care", "care", "caring", "social work", "community work", "helping people", "help people"),
        Field("care and social work", ("2635", "3412", "5311", "5322")),
    ),
    (
        ("creative", "art", "arts", "design", "media", "creative industry"),
        Field("creative work and media", ("216", "264", "265", "3431", "3432", "3435")),
    ),
    (
        ("sale", "retail", "selling"),
        Field("sales and retail", ("1420", "243", "332", "522", "523")),
    ),
    (
        ("government", "public service", "public sector", "civil service"),
        Field("public service", ("111", "242", "335")),
    ),
    (
        ("science", "research", "lab", "laboratory"),
        Field("science and research", ("211", "213", "311", "314")),
    ),
    (
        ("public safety", "security", "emergency service"),
        Field("public safety", ("541", "3355")),
    ),
    (
        ("agriculture", "farming", "outdoor", "outdoors", "environment"),
        Field("agriculture and the outdoors", ("61", "62", "2132")),
    ),
    (
        ("beauty", "wellness", "fitness", "sport", "sports"),
        Field("beauty, fitness and sport", ("3422", "3423", "514")),
    ),
    (
        ("energy", "renewable", "green energy", "green job", "renewable energy"),
        Field("energy", ("2151", "3113", "3131", "7411", "7413")),
    ),
)

FIELDS: Mapping[str, Field] = {name: field for names, field in _FIELDS for name in names}
