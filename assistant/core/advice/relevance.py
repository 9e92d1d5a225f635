"""How close each catalog credential is to the goal job: the gate that keeps padding out of routes.

A credential can teach one skill of a goal's gap and still be far from the job: *Wind Farm Monitoring*
teaches "use data processing techniques", which a data scientist needs, but no careers adviser would
put it on a data scientist's route. So coverage alone does not admit a credential; it must also be
close to the job. Its **relevance** to a goal adds four things:

* **fit**, the cosine between the credential's text (title, description, outcomes) and the goal
  occupation's (label and ESCO description), from the sentence embedder that matches skills;
* **topic**, the mean cosine between the credential's *title* and the three of the job's ESCO essential
  skills closest to it: what the course is mainly about, against what the job mainly needs. A long
  course text can read close to a job on its own (*Science & Cooking*, a physics course, fits a chef's
  description at 0.46), and a title that names one generic skill of the job (a project-management
  course for a data scientist) reaches a third of one that names three;
* 0.3 × **share**, the share of the credential's own skills that the job requires (essential or
  optional, matched as the gap matches skills): how much of the course is about this job;
* 0.1 when the credential is in the **goal's field**: the catalog field whose three best-fitting
  credentials fit the goal best (the catalog's own grouping: "health-care", "data-it", …), when it
  leads the next field by ``FIELD_MARGIN`` at least. A near tie names no field: a human resources
  officer's fits to "business" and "health-care" differ by under 0.01, and which one wins then turns on
  the embedder's rounding (fp32 against int8), not on the job.

With the occupations' profiles at hand (``JobCrowd``: every ESCO occupation's label and description,
embedded by ``stackwise index build``), two more terms enter. The **crowd**, the cosine between the
credential's text and its ``CROWD_RANK``-th closest occupation: a course close to the goal and to many
other jobs alike (project management, Excel, communication) points at none of them. The **kin**, the
share of those closest occupations in the goal's ISCO minor group: a welding course's closest jobs are
welders and metal workers, a customer-relationship course's are spread over trades. The six terms are
weighed by a logistic regression fitted on the judged development pairs of both catalogs (``python -m
eval.relevance_model --fit``), which reads as the chance an adviser would put the credential on the
goal's route. A credential is relevant at ``ADMIT`` or more: the lowest chance at which the development
pairs the fitted gate admits, each scored by a model fitted without its goal, are 90% relevant (118 of
131; the hand-set gate admits 165 pairs, 132 of them relevant, 80%). Precision before coverage: a
course an adviser might well suggest is left out more often than one they would not is let in.

Without the profiles, the four terms are added by hand-set weights: a credential is relevant at
``RELEVANT`` or more. Those weights and that threshold were chosen on the development goals of
``eval/relevance/judgments.jsonl`` (hand-judged: which credentials an adviser would put on a route)
and the edX development pool (``eval/relevance_edx/dev_pool_a.jsonl``). The held-out goals of both
catalogs are reported, never tuned on (``python -m eval.route_relevance``,
``python -m eval.edx_relevance --set heldout``).

A credential is **made for** the goal when the catalog says it prepares for the job (``prepares_for``),
when such a qualification requires it, when its title names the job (every word of one of the occupation's
labels, stemmed: "Weld Inspection and Fabrication" for a welding inspector), or when its title fits the
job's label at least ``MADE_FOR``. These are offered first and are never gated out. One whose title names
the job but whose listed skills the taxonomy links to none of the job's core skills is recommended too (made
for the job, covering none of the gap) when the gate admits it: a title alone names an electrician in
*Electric Cars: Introduction*. A qualification's **electives** (parts it does not require) are gated, at the
lower ``ELECTIVE_ADMIT``: an associate degree that prepares an office manager counts accounting and marketing
courses toward it, which are not the job.

Without an embedder there is no fit: every credential that covers the gap stays in, as before, and
only title words mark what is made for the goal.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np
import numpy.typing as npt

from assistant.core.advice.matching import SkillMatcher, SkillSimilarity
from assistant.core.models import Credential, Occupation

RELEVANT = 1.0
TOPIC_WEIGHT = 1.0
SHARE_WEIGHT = 0.3
FIELD_BONUS = 0.1
FIELD_MARGIN = 0.01
MADE_FOR = 0.60
CROWD_RANK = 10
#: the fitted gate (``eval.relevance_model --fit``): logistic weights of the six terms, bias, and the
#: chance at which a credential is admitted
FITTED = {"fit": 5.831, "crowd": -9.390, "topic": 7.025, "share": 1.479, "in_field": 0.976, "kin": 3.204}
FITTED_BIAS = -3.068
ADMIT = 0.76
#: an elective part of a qualification for the goal is admitted from this chance: the catalog putting it in a
#: programme for the job is evidence its text cannot show (the lowest chance at which no development elective judged
#: not relevant is admitted: ``eval.relevance_model --electives``)
ELECTIVE_ADMIT = 0.40
_TOP = 3
_WORD = re.compile(r"[a-z]+")
_STOP = frozenset({"and", "of", "the", "for", "in", "to", "a", "an", "with", "on", "at", "or", "i", "ii", "iii"})


@dataclass(frozen=True)
class GoalFit:
    """Each credential's fit to one goal, the goal's field, and the credentials made for it."""

    goal: str
    fit: Mapping[str, float] = field(default_factory=dict)
    goal_field: str | None = None
    made_for: frozenset[str] = frozenset()
    fields: Mapping[str, str | None] = field(default_factory=dict)
    share: Mapping[str, float] = field(default_factory=dict)
    topic: Mapping[str, float] = field(default_factory=dict)
    crowd: Mapping[str, float] = field(default_factory=dict)
    kin: Mapping[str, float] = field(default_factory=dict)
    electives: frozenset[str] = frozenset()
    #: whose title names the job (every word of one of its labels): made for it even when the taxonomy links
    #: none of its listed skills to the job's core skills (then recommended, though it covers no gap skill)
    named: frozenset[str] = frozenset()

    def relevant(self, cid: str) -> bool:
        """Close enough to the goal to be planned (always, when fit was not measured)."""
        return not self.fit or cid in self.made_for or self.score(cid) >= self.threshold_for(cid)

    def threshold_for(self, cid: str) -> float:
        """The fitted gate's admitting chance (lower for an elective of the job's qualification), else the
        hand-set one, which admits every elective (as before electives were told apart, though no longer
        offered first as made for the job)."""
        if self.crowd:
            return ELECTIVE_ADMIT if cid in self.electives else ADMIT
        return -math.inf if cid in self.electives else RELEVANT

    def score(self, cid: str) -> float:
        """The fitted chance an adviser would plan it (with the crowd), else the hand-set sum."""
        in_field = self.goal_field is not None and self.fields.get(cid) == self.goal_field
        terms = {
            "fit": self.fit.get(cid, 0.0),
            "topic": self.topic.get(cid, 0.0),
            "share": self.share.get(cid, 0.0),
            "in_field": float(in_field),
        }
        if self.crowd:
            fitted = {**terms, "crowd": self.crowd[cid], "kin": self.kin.get(cid, 0.0)}
            logit = FITTED_BIAS + sum(FITTED[t] * v for t, v in fitted.items())
            return 1.0 / (1.0 + math.exp(-logit))
        return terms["fit"] + SHARE_WEIGHT * terms["share"] + FIELD_BONUS * in_field + TOPIC_WEIGHT * terms["topic"]

    def why_not(self, cid: str) -> str:
        floor = math.floor(self.score(cid) * 100) / 100  # 0.996 is not "1.00 < 1.00"
        crowd = (
            f", its {_ordinal(CROWD_RANK)} closest job {self.crowd[cid]:.2f}, "
            f"{self.kin.get(cid, 0.0):.0%} of its closest jobs in the goal's ISCO group"
            if self.crowd
            else ""
        )
        return (
            f"far from {self.goal} (relevance {floor:.2f} < {self.threshold_for(cid):.2f}: text fit "
            f"{self.fit.get(cid, 0.0):.2f}{crowd}, title fit to the job's essential skills "
            f"{self.topic.get(cid, 0.0):.2f}, {self.share.get(cid, 0.0):.0%} of its skills used in the job, "
            f"{self.fields.get(cid) or 'no field'})"
        )


def _ordinal(n: int) -> str:
    return f"{n}{'th' if 10 <= n % 100 <= 20 else {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th')}"


@dataclass(frozen=True)
class Crowd:
    """Where a credential's text stands among all jobs: its cosine to the ``CROWD_RANK``-th closest job, and
    the ISCO unit groups of the ``CROWD_RANK`` closest (closest first)."""

    tenth: float
    groups: tuple[str, ...] = ()

    def kin(self, isco_group: str | None) -> float:
        """The share of the closest jobs in the goal's ISCO minor group (its first three digits): a welding
        course's closest jobs are welders and metal workers, a CRM course's are spread over trades."""
        if not isco_group or not self.groups:
            return 0.0
        return sum(group[:3] == isco_group[:3] for group in self.groups) / len(self.groups)


class JobCrowd(Protocol):
    """Where each text stands among the ESCO occupations (label and description): :class:`Crowd`."""

    def crowd(self, texts: Sequence[str]) -> Sequence[Crowd]: ...


class ProfileCrowd:
    """:class:`JobCrowd` over the occupations' profile vectors (``stackwise index build`` embeds them) with
    each one's ISCO unit group, and a function that gives the unit vectors of texts
    (``EmbedderSimilarity.vectors``)."""

    def __init__(
        self,
        vectors: Callable[[Sequence[str]], npt.NDArray[np.float32]],
        profiles: npt.ArrayLike,
        groups: Sequence[str] = (),
    ) -> None:
        self._vectors = vectors
        self._profiles = np.asarray(profiles, dtype=np.float32)
        self._groups = list(groups) or [""] * len(self._profiles)
        if len(self._groups) != len(self._profiles):
            raise ValueError(f"{len(self._groups)} ISCO groups for {len(self._profiles)} job profiles")

    def crowd(self, texts: Sequence[str]) -> list[Crowd]:
        if not texts or not len(self._profiles):
            return [Crowd(0.0) for _ in texts]
        rank = min(CROWD_RANK, len(self._profiles))
        out: list[Crowd] = []
        for start in range(0, len(texts), 512):  # 512 × 3,007 cosines at a time
            grid = self._vectors(texts[start : start + 512]) @ self._profiles.T
            nearest = np.argpartition(grid, -rank, axis=1)[:, -rank:]
            for row, near in zip(grid, nearest, strict=True):
                near = near[np.argsort(-row[near])]
                out.append(Crowd(float(row[near[-1]]), tuple(self._groups[i] for i in near)))
        return out


#: job and course word endings folded together (one rule per word, longest first): welding/weld,
#: inspector/inspection, nurse/nursing, analyst/analysis/analytics, assistant/assistance, manager/management
_SUFFIXES = (
    ("ations", ""), ("ation", ""), ("ytics", "ys"), ("ement", ""), ("ysis", "ys"), ("ings", ""), ("ions", ""),
    ("ance", "ant"), ("ment", ""), ("ing", ""), ("ion", ""), ("ors", ""), ("ers", ""), ("ian", ""), ("ist", ""),
    ("yst", "ys"), ("ant", ""), ("or", ""), ("er", ""), ("s", ""), ("e", ""),
)  # fmt: skip


def _stem(word: str) -> str:
    """A crude stem, enough to pair a job's words with a course title's."""
    for suffix, replacement in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)] + replacement
            return _stem(word) if replacement == "ant" else word
    return word


def _stems(text: str) -> set[str]:
    return {_stem(w) for w in _WORD.findall(text.casefold()) if w not in _STOP}


def _names_job(title: str, occupation: Occupation) -> bool:
    """Every word of one of the occupation's labels (stemmed) is in the title: "Weld Inspection and
    Fabrication" names a welding inspector, "Certificate in Nursing Assistance" a nurse assistant. A
    one-word label counts only when it is the preferred one ("plumber", not the accountant's "auditor")."""
    words = _stems(title)
    for label in occupation.labels:
        wanted = _stems(label)
        if wanted and wanted <= words and (len(wanted) >= 2 or label == occupation.preferred_label):
            return True
    return False


def names_job(occupation: Occupation, credentials: Iterable[Credential]) -> set[str]:
    """The credentials whose title names the job (``_names_job``)."""
    return {c.id for c in credentials if _names_job(c.title, occupation)}


def made_for(occupation: Occupation, credentials: Sequence[Credential]) -> set[str]:
    """Credentials made for the job: those the catalog says prepare for it (``prepares_for``), those whose
    title names it, and the parts such a qualification requires (all its parts when it names none required:
    the catalog then gives no other sign). Its elective parts are ``electives``, not made for the job."""
    core = _qualification_parts(occupation, credentials)
    named = names_job(occupation, credentials)
    parts = {cid for cid, required in core.items() if required}
    qualifications = {c.id for c in credentials if occupation.uri in c.prepares_for}
    return qualifications | named | parts


def electives(occupation: Occupation, credentials: Sequence[Credential]) -> set[str]:
    """Parts that count toward a qualification for the job without being required by it: an associate
    degree in business prepares an office manager, and of its eighteen parts it requires four; its
    accounting and marketing electives are another job's. They are gated, at ``ELECTIVE_ADMIT`` (unless made for
    the job some other way: *Office Administration* names the office administrator, another label of the job)."""
    parts = {cid for cid, required in _qualification_parts(occupation, credentials).items() if not required}
    return parts - made_for(occupation, credentials)


def _qualification_parts(occupation: Occupation, credentials: Sequence[Credential]) -> dict[str, bool]:
    """Each credential that stacks into a qualification for the job, and whether one such requires it."""
    required: dict[str, set[str] | None] = {
        c.id: set(c.stack_requirement.required_ids)
        if c.stack_requirement is not None and c.stack_requirement.required_ids
        else None
        for c in credentials
        if occupation.uri in c.prepares_for
    }
    parts: dict[str, bool] = {}
    for c in credentials:
        for rule in c.stacks_into:
            if rule.target_id in required:
                wanted = required[rule.target_id]
                parts[c.id] = parts.get(c.id, False) or wanted is None or c.id in wanted
    return parts


def occupation_profile(occupation: Occupation) -> str:
    """The job as one text (label and ESCO description): what a credential's text is compared with."""
    return f"{occupation.preferred_label}. {occupation.description or ''}".strip()


def credential_text(credential: Credential) -> str:
    return f"{credential.title}. {credential.description or ''} {' '.join(credential.learning_outcomes)}".strip()


def goal_fit(
    occupation: Occupation,
    credentials: Iterable[Credential],
    similarity: SkillSimilarity | None,
    share: Mapping[str, float] | None = None,
    essential: Sequence[str] = (),
    crowd: Mapping[str, Crowd] | None = None,
) -> GoalFit:
    """Fit, field and made-for for one goal over the catalog (rules in the module docstring); ``share``
    is each credential's share of skills the job requires (``skill_share``), ``crowd`` where each one
    stands among all occupations (``JobCrowd``; none: the hand-set gate)."""
    items = list(credentials)
    fields = {c.id: c.field for c in items}
    made = made_for(occupation, items)
    optional = electives(occupation, items)
    named = frozenset(names_job(occupation, items))
    if similarity is None or not items:
        return GoalFit(occupation.preferred_label, made_for=frozenset(made | optional), fields=fields, named=named)
    scores = similarity.similarity([occupation_profile(occupation)], [credential_text(c) for c in items])[0]
    titles = similarity.similarity([occupation.preferred_label], [c.title for c in items])[0]
    fit = {c.id: float(s) for c, s in zip(items, scores, strict=True)}
    made |= {c.id for c, s in zip(items, titles, strict=True) if float(s) >= MADE_FOR}
    by_field: dict[str, list[float]] = defaultdict(list)
    for c in items:
        if c.field:
            by_field[c.field].append(fit[c.id])
    best = _clear_best(by_field)
    topic: dict[str, float] = {}
    if essential:
        grid = np.asarray(similarity.similarity(list(essential), [c.title for c in items]))
        top = np.sort(grid, axis=0)[-_TOP:]
        topic = {c.id: float(v) for c, v in zip(items, top.mean(axis=0), strict=True)}
    known = crowd if crowd and all(c.id in crowd for c in items) else {}
    tenth = {cid: where.tenth for cid, where in known.items()}
    kin = {cid: where.kin(occupation.isco_group) for cid, where in known.items()}
    return GoalFit(
        occupation.preferred_label,
        fit,
        best,
        frozenset(made),
        fields,
        dict(share or {}),
        topic,
        tenth,
        kin,
        frozenset(optional),
        named,
    )


def _clear_best(by_field: Mapping[str, list[float]]) -> str | None:
    """The field whose best ``_TOP`` fits are highest on average, unless another is within ``FIELD_MARGIN``."""
    ranked = sorted(((sum(sorted(v)[-_TOP:]) / _TOP, f) for f, v in by_field.items()), reverse=True)
    if not ranked:
        return None
    if len(ranked) > 1 and ranked[0][0] - ranked[1][0] < FIELD_MARGIN:
        return None
    return ranked[0][1]


def skill_share(
    credentials: Iterable[Credential], required: Sequence[tuple[str, str]], matcher: SkillMatcher
) -> dict[str, float]:
    """Each credential's share of its own skills that meet one of ``required`` (uri, label) as the gap
    matches skills (same concept, hierarchy, relations, or label similarity at the held threshold)."""
    items = list(credentials)
    taught = list(dict.fromkeys(uri for c in items for uri in c.skill_uris))
    if not taught or not required:
        return {c.id: 0.0 for c in items}
    credit = matcher.credit_matrix(taught, required)
    hit = np.asarray((credit >= matcher.policy.held_threshold).any(axis=1), dtype=bool)
    met = {uri: bool(hit[i]) for i, uri in enumerate(taught)}
    return {c.id: sum(met[u] for u in c.skill_uris) / len(c.skill_uris) if c.skill_uris else 0.0 for c in items}


__all__ = [
    "ADMIT",
    "CROWD_RANK",
    "ELECTIVE_ADMIT",
    "FIELD_MARGIN",
    "FITTED",
    "MADE_FOR",
    "RELEVANT",
    "Crowd",
    "GoalFit",
    "JobCrowd",
    "ProfileCrowd",
    "credential_text",
    "electives",
    "goal_fit",
    "made_for",
    "occupation_profile",
    "skill_share",
]
