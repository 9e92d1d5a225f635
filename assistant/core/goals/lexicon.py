"""Every way the bundle names a job, looked up exactly: ESCO labels and O*NET 29.2 titles.

O*NET's official, alternate and reported titles carry the US wording (RN, CNA, LPN, paralegal, attorney,
HVAC tech) and ESCO's alternative labels the UK and European wording (solicitor, joiner). An O*NET title
names the ESCO occupations the crosswalk maps its code to. Keys are folded the same way on both sides:
lower case, words only, common short forms spelt out ("tech" → technician), the last word singular.
A word the vocabulary lacks is repaired to its nearest vocabulary word (``rapidfuzz``), so "managment"
and "anaylst" are found.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import Literal

from rapidfuzz import process
from rapidfuzz.distance import OSA, Indel

from assistant.core.taxonomy import Taxonomy

Source = Literal["esco-preferred", "esco-alternative", "onet"]

_SHORT_FORMS = {
    "tech": "technician", "techs": "technician", "mgr": "manager", "asst": "assistant", "dev": "developer",
    "devs": "developer", "rep": "representative", "reps": "representative", "admin": "administrator",
    "coord": "coordinator", "spec": "specialist", "sw": "software", "sr": "senior", "jr": "junior",
}  # fmt: skip
_WORD = re.compile(r"[a-z0-9+#]+")
_PAREN = re.compile(r"\(([^)]*)\)")


def repair_distance(word: str) -> int:
    """Edits (optimal string alignment: a swap of neighbours is one) a typed word may be from the word meant:
    one up to seven letters, two from eight ("managment", "anaylst", "flebotomist"), so "unicorn" is not
    "union"."""
    return 1 if len(word) < 8 else 2


def singular(word: str) -> str:
    if len(word) > 3 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def key(text: str) -> str:
    """The folded form both sides of a look-up use: "HVAC Techs" → "hvac technician"."""
    folded = text.casefold().replace("&", " and ").replace("'s ", " ").replace("’s ", " ")
    tokens = [_SHORT_FORMS.get(t, t) for t in _WORD.findall(folded)]
    if tokens:
        tokens[-1] = singular(tokens[-1])
    return " ".join(tokens)


def variants(title: str) -> Iterator[str]:
    """A title as written, without its bracketed part, and the bracketed part itself ("Registered Nurse (RN)"
    → the whole, "Registered Nurse", "RN")."""
    yield title
    inner = _PAREN.findall(title)
    if inner:
        yield _PAREN.sub(" ", title)
        yield from inner


@dataclass(frozen=True)
class Naming:
    """One way an ESCO occupation is named: its own label, or an O*NET title of a code mapped to it."""

    uri: str
    source: Source
    text: str
    code: str | None = None


@dataclass(frozen=True)
class Repair:
    """A typed word replaced by a vocabulary word."""

    typed: str
    word: str


class TitleLexicon:
    """Exact look-up of folded job titles, with the vocabulary of their words for typo repair."""

    def __init__(self, taxonomy: Taxonomy) -> None:
        self.taxonomy = taxonomy

    @cached_property
    def _names(self) -> Mapping[str, tuple[Naming, ...]]:
        names: dict[str, dict[Naming, None]] = defaultdict(dict)

        def add(text: str, naming: Naming) -> None:
            for variant in variants(text):
                folded = key(variant)
                if folded:
                    names[folded][naming] = None

        for occupation in self.taxonomy.occupations.values():
            add(occupation.preferred_label, Naming(occupation.uri, "esco-preferred", occupation.preferred_label))
            for label in occupation.alt_labels:
                add(label, Naming(occupation.uri, "esco-alternative", label))
        for code, onet in self.taxonomy.onet_occupations.items():
            for uri in self.taxonomy.occupations_by_onet.get(code, ()):
                for title in dict.fromkeys((onet.title, *onet.alt_titles, *onet.reported_titles)):
                    add(title, Naming(uri, "onet", title, code))
        return {folded: tuple(found) for folded, found in names.items()}

    @cached_property
    def vocabulary(self) -> Mapping[str, int]:
        counts: Counter[str] = Counter()
        for folded in self._names:
            counts.update(folded.split())
        return counts

    @cached_property
    def _vocabulary_list(self) -> list[str]:
        return sorted(self.vocabulary)

    def lookup(self, folded: str) -> tuple[Naming, ...]:
        return self._names.get(folded, ())

    def repair(self, folded: str) -> tuple[str, tuple[Repair, ...]]:
        """The key with each unknown word (five letters or more) replaced by the closest vocabulary word.

        A word the vocabulary holds only a few times (O*NET's reported titles keep some misspellings:
        "bookeeper", "techician") counts as unknown when a word ten times commoner is one edit away.
        """
        out, repairs = [], []
        for word in folded.split():
            seen = self.vocabulary.get(word, 0)
            if seen > 5 or len(word) < 5 or not word.isalpha():
                out.append(word)
                continue
            limit = repair_distance(word) if not seen else 1
            near = process.extract(word, self._vocabulary_list, scorer=OSA.distance, score_cutoff=limit, limit=8)
            found = [hit for hit in near if hit[0] != word and (not seen or self.vocabulary[hit[0]] >= 10 * seen)]
            if not found:
                out.append(word)
                continue
            # fewest edits; then the closest by insertions and deletions ("electican" → electrician, not
            # electrical); then a word the typist dropped letters from ("enginer" → engineer, not engine)
            best = min(
                found,
                key=lambda hit: (
                    hit[1],
                    Indel.distance(word, hit[0]),
                    len(hit[0]) < len(word),
                    -self.vocabulary[hit[0]],
                ),
            )[0]
            out.append(best)
            repairs.append(Repair(word, best))
        return " ".join(out), tuple(repairs)

    @cached_property
    def word_index(self) -> Mapping[str, frozenset[str]]:
        """word → ESCO occupations whose preferred label holds it (alternative labels are too loose:
        "teacher" is one of *politics lecturer*)."""
        index: dict[str, set[str]] = defaultdict(set)
        for occupation in self.taxonomy.occupations.values():
            for word in key(occupation.preferred_label).split():
                index[singular(word)].add(occupation.uri)
        return {word: frozenset(uris) for word, uris in index.items()}

    def soc(self, uri: str) -> str | None:
        codes = self.taxonomy.occupations[uri].onet_codes
        return codes[0].split(".")[0] if codes else None

    @cached_property
    def esco_per_soc(self) -> Mapping[str, int]:
        counts: Counter[str] = Counter()
        for uri in self.taxonomy.occupations:
            soc = self.soc(uri)
            if soc:
                counts[soc] += 1
        return counts

    def unknown_words(self, folded: str) -> list[str]:
        return [w for w in folded.split() if w not in self.vocabulary]


@lru_cache(maxsize=4)
def lexicon_for(taxonomy: Taxonomy) -> TitleLexicon:
    """One lexicon per loaded taxonomy (built in about a second, on first use)."""
    return TitleLexicon(taxonomy)


#: activity nouns learners use for a job ("project management", "nursing", "welding") and the job noun
_AGENT_SUFFIXES = (
    ("management", "manager"), ("analysis", "analyst"), ("analytic", "analyst"), ("analytics", "analyst"),
    ("science", "scientist"), ("nursing", "nurse"), ("accounting", "accountant"), ("consulting", "consultant"),
    ("administration", "administrator"), ("coordination", "coordinator"), ("engineering", "engineer"),
    ("design", "designer"), ("law", "lawyer"), ("ology", "ologist"), ("istry", "ist"), ("acy", "acist"),
    ("tomy", "tomist"), ("therapy", "therapist"), ("ry", "er"), ("ing", "er"), ("ing", ""), ("ing", "e"),
    ("y", "er"), ("ics", "ician"), ("ion", "or"), ("ance", "ant"), ("ence", "ent"),
)  # fmt: skip


def agent_forms(folded: str) -> list[str]:
    """The job nouns an activity phrase may stand for: "project management" → "project manager"."""
    *head, last = folded.split() or [""]
    out = []
    for suffix, replacement in _AGENT_SUFFIXES:
        if last.endswith(suffix) and len(last) - len(suffix) + len(replacement) >= 4:
            out.append(" ".join((*head, last[: len(last) - len(suffix)] + replacement)))
    return list(dict.fromkeys(f for f in out if f != folded))
