"""One goal resolver for the chat, the API, the CLI and the pages: free text → an ESCO occupation, a
question, or a plain "nothing close".

Precision before coverage. The resolver settles on one occupation only when the words name it: an ESCO
preferred label, or a synonym (ESCO alternative label, O*NET title) that points to one occupation more
than to any other. A word that covers several distinct jobs ("teacher", "nurse", "engineer") becomes a
question with the most common of them as options; a field ("healthcare", "something in data") a short
list to explore with wage and growth; a phrase matched only by meaning is offered, never taken silently.
Options are ranked by US employment (BLS OEWS), so the jobs most people mean come first.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from typing import Literal, Protocol, runtime_checkable

from pydantic import BaseModel, ConfigDict

from assistant.core.formatting import money
from assistant.core.goals.common_names import common_names
from assistant.core.goals.fields import FIELDS, Field
from assistant.core.goals.lexicon import Naming, Repair, agent_forms, key, lexicon_for, singular
from assistant.core.goals.phrase import alternatives, goal_phrase
from assistant.core.taxonomy import Taxonomy

Status = Literal["resolved", "clarify", "not_found"]

MAX_OPTIONS = 8
#: options that share a SOC code are kept to two, so eight options are eight different jobs, not eight
#: specialisms of one ("biology teacher secondary school", "chemistry teacher secondary school", …)
PER_SOC = 2
#: a synonym settles on its best occupation when it leads the runner-up by this much support
CLEAR_MARGIN = 0.5
#: a word shared by job titles in this many distinct SOC occupations is a family, not one job
FAMILY_SOCS = 3
#: semantic matches below this are not offered at all (nonsense scores 0.4–0.6 by meaning)
MIN_SEMANTIC = 0.62
#: a phrase matched only by meaning is offered as a question (never taken) when its best match is this close,
#: or this much closer when a word of it is in no job title ("unicorn wrangler")
MIN_OFFER = 0.70
MIN_OFFER_UNKNOWN = 0.85


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class GoalOption(_Frozen):
    """An occupation the goal may mean, with what the learner weighs it by."""

    uri: str
    label: str
    soc_code: str | None = None
    soc_title: str | None = None
    wage_median: float | None = None
    wage_year: str | None = None
    growth_pct: float | None = None
    employment: int | None = None

    @property
    def facts(self) -> str:
        """ "US median $63,970 a year, +7.4% jobs 2020–30", what is known of it, or "" when nothing is."""
        parts = []
        if self.wage_median:
            parts.append(f"US median {money(self.wage_median)} a year")
        if self.growth_pct is not None:
            parts.append(f"{self.growth_pct:+.1f}% jobs 2020–30")
        return ", ".join(parts)


class GoalAnswer(_Frozen):
    """What a goal phrase means: ``resolved`` with ``occupation``, ``clarify`` with ``options`` (at most 8,
    distinct), or ``not_found``; ``how`` and ``note`` say why in plain words."""

    text: str
    status: Status
    phrase: str | None = None
    occupation: GoalOption | None = None
    options: tuple[GoalOption, ...] = ()
    field: str | None = None
    how: str = ""
    note: str = ""
    repaired: tuple[str, ...] = ()

    @property
    def uri(self) -> str | None:
        return self.occupation.uri if self.occupation else None


class _Hit(Protocol):
    @property
    def occupation_uri(self) -> str: ...
    @property
    def score(self) -> float: ...


@runtime_checkable
class SemanticTitles(Protocol):
    """The port for meaning-based title search (``assistant.core.advice.TitleSearch`` fits): ESCO
    occupations best first, each with a cosine-like score."""

    def search_titles(self, title: str, k: int = 10) -> Sequence[_Hit]: ...


class GoalResolver:
    """See the module docstring. ``semantic`` (optional) ranks titles by meaning; without it the resolver
    works from words alone and asks more often."""

    def __init__(self, taxonomy: Taxonomy, semantic: SemanticTitles | None = None) -> None:
        self.taxonomy = taxonomy
        self.lexicon = lexicon_for(taxonomy)
        self.semantic = semantic

    # --- public --------------------------------------------------------------------------------------

    def resolve(self, text: str) -> GoalAnswer:
        phrase = goal_phrase(text)
        if not phrase:
            return GoalAnswer(text=text, status="not_found", note="I could not find a job or a field in that.")
        several = alternatives(phrase)
        if len(several) > 1:
            return self._several(text, phrase, several)
        folded = key(phrase)
        repaired, repairs = self.lexicon.repair(folded)
        fixes = tuple(f"{r.typed} → {r.word}" for r in repairs)
        for form in dict.fromkeys((folded, repaired)):
            known = self._common(text, phrase, form, fixes)
            if known is not None:
                return known
        for form in dict.fromkeys((folded, repaired)):
            preferred = self._preferred(form)
            if preferred is not None:
                return self._resolved(text, phrase, preferred, fixes, how="ESCO title", matched=form)
        field = FIELDS.get(repaired)
        if field is not None:  # "healthcare", "law", "retail": a field, even where a job has it as a synonym
            return self._clarify(text, phrase, self._field_members(field), fixes, field=field, how="field")
        for form in dict.fromkeys((folded, repaired, *agent_forms(repaired))):
            answer = self._common(text, phrase, form, fixes) or self._exact(text, phrase, form, fixes)
            if answer is not None:
                return answer
        family = self._family(repaired)
        if len(self._socs(family)) >= FAMILY_SOCS or (len(family) > 1) or (family and fixes):
            return self._clarify(text, phrase, family, fixes, how="family")
        if family:  # the one job whose title holds these words ("payroll" → payroll clerk)
            return self._resolved(text, phrase, family[0], fixes, how="title words", matched=phrase)
        return self._by_meaning(text, phrase, repaired, fixes, family)

    def _several(self, text: str, phrase: str, jobs: list[str]) -> GoalAnswer:
        """ "a teacher or a nurse": each job's answer (or its first options), asked about together."""
        pool: list[str] = []
        for job in jobs[:3]:
            answer = self.resolve(job)
            pool += [answer.occupation.uri] if answer.occupation else [o.uri for o in answer.options[:3]]
        found = self._clarify(text, phrase, pool, (), how="several named", distinct_socs=False)
        if found.status != "clarify":
            return found
        named = " or ".join(f"“{job}”" for job in jobs[:3])
        return found.model_copy(update={"note": f"You named several jobs ({named}): which one shall we plan for?"})

    def _common(self, text: str, phrase: str, folded: str, fixes: tuple[str, ...]) -> GoalAnswer | None:
        """An everyday name from the hand-checked table ("sparky", "HVAC tech", "PT"), read as an adviser
        reads it: one job, or a question about its readings."""
        entry = common_names().get(folded)
        uris = [u for u in entry.uris if u in self.taxonomy.occupations] if entry else []
        if entry is None or not uris:
            return None
        if entry.expect == "resolved":
            found = self._resolved(text, phrase, uris[0], fixes, how="common name", matched=folded)
            return found.model_copy(update={"note": entry.caveat + "."}) if entry.caveat else found
        return self._clarify(text, phrase, uris, fixes, how="common name", distinct_socs=False)

    def _preferred(self, folded: str) -> str | None:
        found = {n.uri for n in self.lexicon.lookup(folded) if n.source == "esco-preferred"}
        return next(iter(found)) if len(found) == 1 else None

    def option(self, uri: str) -> GoalOption:
        occupation = self.taxonomy.occupations[uri]
        wage = self.taxonomy.wage_for(uri)
        projection = self.taxonomy.projection_for(uri)
        code = wage.soc_code if wage else projection.soc_code if projection else None
        return GoalOption(
            uri=uri,
            label=occupation.preferred_label,
            soc_code=code,
            soc_title=wage.title if wage else projection.title if projection else None,
            wage_median=wage.annual_median if wage else None,
            wage_year=wage.release or None if wage else None,
            growth_pct=projection.change_pct if projection else None,
            employment=wage.employment if wage else None,
        )

    # --- exact names ---------------------------------------------------------------------------------

    def _exact(self, text: str, phrase: str, folded: str, fixes: tuple[str, ...]) -> GoalAnswer | None:
        names = [n for n in self.lexicon.lookup(folded) if self._plausible(n, folded)]
        if not names:
            return None
        preferred = {n.uri for n in names if n.source == "esco-preferred"}
        if len(preferred) == 1:
            return self._resolved(text, phrase, next(iter(preferred)), fixes, how="ESCO title", matched=folded)
        support = self._support(names)
        synonyms = sorted({n.uri for n in names if n.source == "esco-alternative"})
        codes = {n.code.split(".")[0] for n in names if n.code}
        family = self._family(folded)
        ranked = sorted(support, key=lambda u: (-support[u], self.taxonomy.occupations[u].preferred_label))
        pool = list(dict.fromkeys((*synonyms, *family, *ranked)))
        one_word = len(folded.split()) == 1
        if one_word and len(self._socs(family)) >= FAMILY_SOCS:
            # "teacher", "nurse": the common jobs of the word first, whatever one synonym says
            return self._clarify(text, phrase, [*family, *pool], fixes, how="several jobs")
        others = [u for u in family if u not in synonyms]
        if len(synonyms) == 1 and self._soc(synonyms[0]) in codes and not others:
            # ESCO's synonym and O*NET's titles agree ("attorney" → lawyer, "truck driver" → cargo vehicle driver)
            return self._resolved(text, phrase, synonyms[0], fixes, how="synonym", matched=folded)
        if len(synonyms) == 1 and not codes and not others and not one_word and len(folded) > 3:
            # a synonym of several words only ESCO knows ("chef de partie" → chef)
            return self._resolved(text, phrase, synonyms[0], fixes, how="synonym", matched=folded)
        lead = len(ranked) == 1 or support[ranked[0]] - support[ranked[1]] >= CLEAR_MARGIN
        if synonyms == [ranked[0]] and self._soc(ranked[0]) in codes and lead and len(codes) < FAMILY_SOCS:
            # ESCO's synonym and an O*NET title agree on one occupation more than on any other ("paralegal")
            return self._resolved(text, phrase, ranked[0], fixes, how="synonym", matched=folded)
        if len(pool) == 1 and support[ranked[0]] >= 0.5:
            # the only reading of an acronym, synonym or O*NET title ("RN", "OT", "registered nurse")
            return self._resolved(text, phrase, ranked[0], fixes, how="synonym", matched=folded)
        if len(codes) >= FAMILY_SOCS or one_word or len(folded) <= 3 or others:
            # a bare word, an acronym or a phrase other titles share: ask ("joiner", "PT", "support worker")
            return self._clarify(text, phrase, pool, fixes, how="several jobs", distinct_socs=False)
        agreed = not codes or self._soc(ranked[0]) in codes  # ESCO's synonym and O*NET's titles do not disagree
        if lead and agreed and (ranked[0] in synonyms or support[ranked[0]] >= 0.75):
            # an O*NET title alone settles only on an occupation that shares its words or titles
            return self._resolved(text, phrase, ranked[0], fixes, how="synonym", matched=folded)
        return self._clarify(text, phrase, ranked, fixes, how="synonym of several", distinct_socs=False)

    def _plausible(self, naming: Naming, folded: str) -> bool:
        """An O*NET title names every ESCO occupation mapped to its code; keep those whose own labels share
        at least half the words of what was typed (of the title an acronym stands for): the crosswalk maps
        "User Experience Designer" to *technical communicator* as well as to *user interface designer*."""
        if naming.source != "onet":
            return True
        occupation = self.taxonomy.occupations[naming.uri]
        mine = {singular(w) for label in occupation.labels for w in key(label).split()}
        said = key(_PARENS.sub(" ", naming.text)) if len(folded) <= 3 else folded
        theirs = {singular(w) for w in said.split()} - _FILLER
        return bool(theirs) and 2 * len(mine & theirs) >= len(theirs)

    def _support(self, names: Iterable[Naming]) -> dict[str, float]:
        """How strongly the names point to each occupation: its own ESCO synonym counts 2, an O*NET title
        counts the affinity (at most 1) between the occupation and that O*NET code: ESCO's own wording
        comes first, since an O*NET code is often mapped to several ESCO occupations."""
        support: dict[str, float] = defaultdict(float)
        seen: set[tuple[str, str]] = set()
        for naming in names:
            if naming.source == "esco-alternative":
                support[naming.uri] += 2.0
            elif naming.code and (naming.uri, naming.code) not in seen:
                seen.add((naming.uri, naming.code))
                support[naming.uri] += self._affinity(naming.uri, naming.code)
        return dict(support)

    def _affinity(self, uri: str, code: str) -> float:
        occupation = self.taxonomy.occupations[uri]
        onet = self.taxonomy.onet_occupations[code]
        esco_keys = {key(label) for label in occupation.labels}
        onet_keys = {key(t) for t in (onet.title, *onet.alt_titles, *onet.reported_titles)}
        shared = len(esco_keys & onet_keys)
        mine, theirs = set(key(occupation.preferred_label).split()), set(key(onet.title).split())
        words = {singular(w) for w in mine} & {singular(w) for w in theirs}
        return min(1.0, 0.25 + 0.25 * shared + 0.5 * len(words) / max(len(mine), 1))

    # --- families and fields -------------------------------------------------------------------------

    def _family(self, folded: str) -> list[str]:
        """Occupations whose ESCO preferred label holds every word of the phrase, most employed first."""
        words = [singular(w) for w in folded.split() if w not in _FILLER]
        if not words:
            return []
        sets = [self.lexicon.word_index.get(w, frozenset()) for w in words]
        members = frozenset.intersection(*sets) if sets else frozenset()
        return self._by_employment(members)

    def _field_members(self, field: Field | None) -> list[str]:
        if field is None:
            return []
        members = [o.uri for o in self.taxonomy.occupations.values() if o.isco_group.startswith(field.isco_prefixes)]
        return self._by_employment(members)

    def _socs(self, uris: Iterable[str]) -> set[str]:
        return {self._soc(u) or u for u in uris}

    def _soc(self, uri: str) -> str | None:
        return self.lexicon.soc(uri)

    def _by_employment(self, uris: Iterable[str]) -> list[str]:
        def rank(uri: str) -> tuple[float, int, str]:
            # common jobs first, and plain titles before specialised ones: a tenfold share of employment
            # weighs as much as two extra words ("data analyst" before "data entry supervisor")
            label = self.taxonomy.occupations[uri].preferred_label
            extra_words = max(0, len(label.split()) - 2)
            return (-(math.log10(self._employment_share(uri) + 1) - 0.5 * extra_words), len(label), label)

        return sorted(set(uris), key=rank)

    def _employment_share(self, uri: str) -> float:
        """US employment of the occupation's SOC code, shared among the ESCO occupations mapped to it: a
        proxy for how many people hold the job, so "data analyst" comes before "chief data officer"."""
        wage = self.taxonomy.wage_for(uri)
        soc = self._soc(uri)
        if wage is None or not wage.employment or soc is None:
            return 0.0
        return wage.employment / max(self.lexicon.esco_per_soc.get(soc, 1), 1)

    # --- by meaning ----------------------------------------------------------------------------------

    def _by_meaning(self, text: str, phrase: str, folded: str, fixes: tuple[str, ...], family: list[str]) -> GoalAnswer:
        found = self.semantic.search_titles(folded, 12) if self.semantic is not None else ()
        hits = [c for c in found if c.score >= MIN_SEMANTIC]
        unknown = self.lexicon.unknown_words(folded)
        if hits and hits[0].score >= (MIN_OFFER_UNKNOWN if unknown else MIN_OFFER):
            pool = list(dict.fromkeys((*family, *(c.occupation_uri for c in hits))))
            return self._clarify(text, phrase, pool, fixes, how="meaning", distinct_socs=False)
        if family:
            return self._clarify(text, phrase, family, fixes, how="title words", distinct_socs=False)
        note = f"Nothing in the occupation lists is close to “{phrase}”."
        if unknown:
            note += (
                " I do not know the word"
                + ("s " if len(unknown) > 1 else " ")
                + ", ".join(f"“{w}”" for w in unknown)
                + "."
            )
        return GoalAnswer(text=text, status="not_found", phrase=phrase, note=note, repaired=fixes)

    # --- answers -------------------------------------------------------------------------------------

    def _resolved(
        self, text: str, phrase: str, uri: str, fixes: tuple[str, ...], *, how: str, matched: str
    ) -> GoalAnswer:
        option = self.option(uri)
        # named as ESCO names it: nothing to explain
        as_named = key(phrase) == key(option.label)
        note = "" if as_named else f"“{phrase}” read as the ESCO occupation {option.label}"
        if fixes:
            note = (note or option.label) + f" (spelling read as {', '.join(fixes)})"
        return GoalAnswer(
            text=text,
            status="resolved",
            phrase=phrase,
            occupation=option,
            how=how,
            note=note + "." if note else "",
            repaired=fixes,
        )

    def _clarify(
        self,
        text: str,
        phrase: str,
        pool: Sequence[str],
        fixes: tuple[str, ...],
        *,
        how: str,
        field: Field | None = None,
        distinct_socs: bool = True,
    ) -> GoalAnswer:
        options: list[GoalOption] = []
        socs: Counter[str] = Counter()  # at most PER_SOC options share a US occupation code
        labels: set[str] = set()
        for uri in pool:
            option = self.option(uri)
            soc = option.soc_code or uri
            if option.label in labels or (distinct_socs and socs[soc] >= PER_SOC):
                continue
            socs[soc] += 1
            labels.add(option.label)
            options.append(option)
            if len(options) == MAX_OPTIONS:
                break
        if not options:
            return GoalAnswer(text=text, status="not_found", phrase=phrase, note=f"Nothing is close to “{phrase}”.")
        if field is not None:
            note = f"“{phrase}” is a field ({field.name}): here are common jobs in it to explore."
        elif how == "family":
            note = f"“{phrase}” covers several jobs: here are common ones to explore. Which is closest?"
        else:
            note = f"“{phrase}” can mean several jobs: which one do you mean?"
        return GoalAnswer(
            text=text,
            status="clarify",
            phrase=phrase,
            options=tuple(options),
            field=field.name if field else ("related jobs" if how == "family" else None),
            how=how,
            note=note,
            repaired=fixes,
        )


_PARENS = re.compile(r"\([^)]*\)")
_FILLER = frozenset({"a", "an", "the", "of", "and", "in", "for", "with", "to", "job", "role", "work"})


__all__ = ["GoalAnswer", "GoalOption", "GoalResolver", "Repair", "SemanticTitles", "Status"]
