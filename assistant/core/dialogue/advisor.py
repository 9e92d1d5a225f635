"""The operations a conversation performs on the core: each takes a state and returns a new one.

Understanding a message and phrasing a reply live elsewhere; here the profile changes, the goal is
resolved, the advice computed and the catalog searched, always through the same ``advise`` the CLI and
the API use, so what the chat says and what the API returns cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from assistant.core.advice import (
    AdviceOptions,
    AdviceService,
    ExploreTarget,
    OccupationTarget,
    PostingTarget,
    SkillSimilarity,
    Target,
    TypedTerms,
    compare_targets,
    extract_skills,
    read_terms,
    skills_from_terms,
    technologies_from_terms,
)
from assistant.core.advice.view import AdviceView, compute_view
from assistant.core.catalog import Catalog
from assistant.core.dialogue.slots import Slots, split_terms
from assistant.core.dialogue.state import ComparisonRow, ConversationState
from assistant.core.errors import NotFoundError
from assistant.core.goals import GoalResolver
from assistant.core.models import Credential, CredentialKind, EvidenceSource, LearnerProfile, Projection, Wage
from assistant.core.search import words
from assistant.core.taxonomy import Taxonomy

ResumeReader = Callable[[str], LearnerProfile]


#: words of occupation titles that name no field ("nurse responsible for general care")
_GENERIC_WORDS = frozenset(
    {"responsible", "general", "care", "specialist", "manager", "assistant", "officer", "worker", "technician",
     "senior", "junior", "chief", "head", "other", "with", "and"}
)  # fmt: skip


@dataclass(frozen=True)
class OccupationFacts:
    label: str
    wage: Wage | None
    projection: Projection | None
    job_zone: int | None
    regulated: bool = False


PostingReader = Callable[[str], PostingTarget]
TermLinker = Callable[[str], TypedTerms]
CredentialSearch = Callable[[str, int], list[str]]


@dataclass
class Advisor:
    """The core's tools, bound to the advice service and the ports that read text into skills."""

    advice: AdviceService
    read_resume: ResumeReader | None = None
    read_posting: PostingReader | None = None
    link_terms: TermLinker | None = None
    search_credentials: CredentialSearch | None = None
    today: Callable[[], date] = date.today

    @property
    def taxonomy(self) -> Taxonomy:
        return self.advice.taxonomy

    @property
    def catalog(self) -> Catalog:
        return self.advice.catalog

    @property
    def similarity(self) -> SkillSimilarity | None:
        return self.advice.similarity

    # --- the profile ---------------------------------------------------------------------------------

    def load_resume(self, state: ConversationState, text: str, *, add: bool = False) -> ConversationState:
        """A pasted résumé replaces the résumé part of the profile (typed skills and limits stay), or with
        ``add`` adds what it shows to what the profile holds."""
        if self.read_resume is not None:
            read = self.read_resume(text)
            found, offered, products = read.skills, read.unconfirmed, read.technologies
        else:
            lines = [(n, line, "other") for n, line in enumerate(text.splitlines(), 1) if line.strip()]
            found, offered, products = tuple(extract_skills(self.taxonomy, lines, EvidenceSource.RESUME)), (), ()
        if add:  # what the new text shows joins the profile as read, not as confirmed; removed stays removed
            before = state.profile
            skip = set(before.dismissed) | before.skill_uris
            skills = tuple(s for s in found if s.skill_uri not in skip)
            # a skill the first résumé only suggested and this one shows with confidence moves up, once
            promoted = {s.skill_uri for s in skills}
            waiting = tuple(s for s in before.unconfirmed if s.skill_uri not in promoted)
            skip |= {s.skill_uri for s in (*skills, *waiting)}
            tools = {t.key for t in before.technologies} | set(before.dismissed)
            profile = before.model_copy(
                update={
                    "skills": (*before.skills, *skills),
                    "unconfirmed": (*waiting, *(s for s in offered if s.skill_uri not in skip)),
                    "technologies": (*before.technologies, *(t for t in products if t.key not in tools)),
                }
            )
        else:
            profile = state.profile.with_read(EvidenceSource.RESUME, found, offered, products)
        return state.model_copy(update={"profile": profile, "view": None})

    def add_skills(self, state: ConversationState, text: str) -> tuple[ConversationState, TypedTerms]:
        """Skills and products the learner says they have, cited as self-reported with their own words; a
        skill the résumé only suggested is confirmed, keeping the résumé lines."""
        typed = self.link_terms(text) if self.link_terms is not None else read_terms(self.taxonomy, split_terms(text))
        profile = state.profile.add(typed.skills).add_technologies(typed.technologies)
        return state.model_copy(update={"profile": profile, "view": None}), typed

    def remove_skills(self, state: ConversationState, text: str) -> tuple[ConversationState, list[str], list[str]]:
        """Drop skills and products the learner says they do not have (by label or name, held or offered),
        whatever the evidence was; a résumé read again does not bring them back. Returns the skills' labels and
        the products' labels removed."""
        terms = split_terms(text)
        found, _ = skills_from_terms(self.taxonomy, terms)
        products, _ = technologies_from_terms(self.taxonomy, terms)
        named = {s.skill_uri for s in found}
        lowered = {t.casefold() for t in terms}
        listed = (*state.profile.skills, *state.profile.unconfirmed)
        drop = [s for s in listed if s.skill_uri in named or s.label.casefold() in lowered]
        product_keys = {p.key for p in products}
        tools = [t for t in state.profile.technologies if t.key in product_keys or t.name.casefold() in lowered]
        removed = list(dict.fromkeys(s.label for s in drop))
        profile = state.profile.dismiss({s.skill_uri for s in drop} | named | {t.key for t in tools})
        return state.model_copy(update={"profile": profile, "view": None}), removed, [t.label for t in tools]

    def hold_credentials(self, state: ConversationState, ids: Sequence[str]) -> ConversationState:
        known = [cid for cid in ids if cid in self.catalog]
        earned = tuple(dict.fromkeys((*state.profile.earned_credentials, *known)))
        profile = state.profile.model_copy(update={"earned_credentials": earned})
        return state.model_copy(update={"profile": profile, "view": None})

    def set_constraints(self, state: ConversationState, slots: Slots) -> ConversationState:
        current = state.profile.constraints
        update: dict[str, object] = {}
        if slots.budget is not None:
            update["budget"] = slots.budget
            update["currency"] = slots.currency or self.catalog.institution.currency
        if slots.hours_per_week is not None:
            update["hours_per_week"] = slots.hours_per_week
        if slots.deadline is not None:
            update["deadline"] = slots.deadline
        if slots.delivery_modes:
            update["delivery_modes"] = slots.delivery_modes
        constraints = current.model_validate({**current.model_dump(), **update})
        profile = state.profile.model_copy(update={"constraints": constraints})
        return state.model_copy(update={"profile": profile, "view": None})

    def with_budget(self, state: ConversationState, budget: Decimal | None) -> ConversationState:
        constraints = state.profile.constraints.model_copy(update={"budget": budget})
        profile = state.profile.model_copy(update={"constraints": constraints})
        return state.model_copy(update={"profile": profile, "view": None})

    # --- the goal ------------------------------------------------------------------------------------

    def occupation_facts(self, uri: str) -> OccupationFacts:
        """The US wage, projection and O*NET job zone of an occupation, as the bundle holds them."""
        occupation = self.taxonomy.occupation(uri)
        zones = [
            self.taxonomy.onet_occupations[c].job_zone
            for c in occupation.onet_codes
            if c in self.taxonomy.onet_occupations
        ]
        return OccupationFacts(
            label=occupation.preferred_label,
            wage=self.taxonomy.wage_for(uri),
            projection=self.taxonomy.projection_for(uri),
            job_zone=next((z for z in zones if z), None),
            regulated=occupation.regulated,
        )

    def job_description(self, label: str) -> str:
        """The first sentence of ESCO's description of the occupation of that preferred label ("" if none)."""
        occupation = next((o for o in self.taxonomy.occupations.values() if o.preferred_label == label), None)
        text = " ".join(((occupation.description or "") if occupation else "").split())
        return text.split(". ", 1)[0].rstrip(".") + "." if text else ""

    def names_a_job(self, text: str) -> bool:
        """Whether the words name a job or a field (resolved or worth asking about), by words alone."""
        return GoalResolver(self.taxonomy).resolve(text).status != "not_found"

    def goal_uri(self, state: ConversationState) -> str | None:
        """The ESCO occupation of the current goal, resolved (or None without an occupation goal)."""
        if state.view is not None and state.view.target.occupation_uri:
            return state.view.target.occupation_uri
        if isinstance(state.target, OccupationTarget):
            return self.advice.resolve(state.target).occupation_uri
        return None

    def set_goal(self, state: ConversationState, title: str) -> ConversationState:
        """Resolve a title to an ESCO occupation now, so an unknown one is an error at once."""
        target = OccupationTarget(title=title)
        resolved = self.advice.resolve(target)
        previous = state.goal_label
        goals = state.previous_goals
        if previous and previous != resolved.label:
            goals = (*tuple(g for g in goals if g != previous), previous)[-3:]
        return state.model_copy(
            update={
                "target": target,
                "view": None,
                "previous_goals": goals,
                "focus": None,
                "comparison": (),
                "goal_options": (),
                "awaiting": None,
            }
        )

    def load_posting(self, state: ConversationState, text: str) -> ConversationState:
        if self.read_posting is None:
            raise NotFoundError("Reading job postings needs the skill linker, which is not loaded.")
        target = self.read_posting(text)
        return state.model_copy(update={"target": target, "view": None, "focus": None})

    # --- the advice ----------------------------------------------------------------------------------

    def _advise(self, state: ConversationState, target: Target) -> AdviceView:
        return compute_view(self.advice, state.profile, target, earned=state.earned, start=self.today())

    def refresh(self, state: ConversationState) -> ConversationState:
        """Compute the advice for the current profile, badges, goal and limits (cached in the state until one
        changes)."""
        if state.view is not None or state.target is None:
            return state
        return state.model_copy(update={"view": self._advise(state, state.target)})

    def explore(self, state: ConversationState, limit: int = 5) -> AdviceView:
        return self._advise(state, ExploreTarget(limit=limit))

    def compare(self, state: ConversationState, goals: Sequence[str]) -> tuple[ComparisonRow, ...]:
        targets: list[Target] = []
        for goal in goals[:3]:
            target = OccupationTarget(title=goal)
            self.advice.resolve(target)  # fail early, before any advice is computed
            targets.append(target)
        comparison = compare_targets(
            self.advice, state.profile, targets, earned=state.earned, options=AdviceOptions(start=self.today())
        )
        return ComparisonRow.rows(comparison)

    # --- the catalog ---------------------------------------------------------------------------------

    def search(self, query: str, limit: int = 5) -> list[Credential]:
        """Credentials about ``query``: by meaning when a credential index is wired, else by words."""
        if self.search_credentials is not None:
            ids = self.search_credentials(query, limit)
            return [self.catalog.get(cid) for cid in ids if cid in self.catalog]
        wanted = words(query)
        if not wanted:
            return []
        scored = []
        for credential in self.catalog:
            text = " ".join(
                (credential.title, *credential.learning_outcomes, *(s.label or "" for s in credential.skills))
            )
            overlap = len(wanted & words(text)) / len(wanted)
            if overlap > 0:
                scored.append((-overlap, credential.id, credential))
        return [c for _, _, c in sorted(scored)[:limit]]

    def entry_credential(self, occupation_label: str) -> Credential | None:
        """A catalog certificate whose title names the occupation's field ("Certificate in Nursing Assistance"
        for a nurse): the catalog's own first step, when it has one. Title words only, no guessing."""
        stems = {w[:4] for w in words(occupation_label) if len(w) >= 4 and w not in _GENERIC_WORDS}
        named = [
            c
            for c in self.catalog
            if c.kind is CredentialKind.CERTIFICATE and stems & {w[:4] for w in words(c.title) if len(w) >= 4}
        ]
        return (
            min(named, key=lambda c: (c.eqf_level or 9, c.cost.amount if c.cost else Decimal("Infinity"), c.id))
            if named
            else None
        )

    def credential(self, credential_id: str) -> Credential:
        return self.catalog.get(credential_id)

    def related_titles(self, credential: Credential) -> dict[str, str]:
        """Titles of the credentials this one names (prerequisites, stack destinations) that the catalog holds."""
        ids = {*credential.prerequisite_ids, *(rule.target_id for rule in credential.stacks_into)}
        return {cid: self.catalog.get(cid).title for cid in sorted(ids) if cid in self.catalog}

    def find_credential(self, text: str) -> Credential | None:
        """A credential named by its title (or most of it) in free text."""
        folded = text.casefold()
        best: tuple[float, Credential] | None = None
        for credential in self.catalog:
            title = credential.title.casefold()
            if title in folded:
                return credential
            title_words = words(title)
            if len(title_words) >= 2:
                share = len(title_words & words(folded)) / len(title_words)
                if share >= 0.75 and (best is None or share > best[0]):
                    best = (share, credential)
        return best[1] if best else None
