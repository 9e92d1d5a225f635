"""A learner's own data: résumé → profile, typed skills, limits, held credentials and badges, erasure.

The stored profile is read once per request (:meth:`Learners.load`) and written back whole; the résumé's
text is kept, never the file. Skills read from a résumé carry their evidence, and a new résumé replaces
only the skills the old one gave (typed skills, limits and held credentials stay).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from pydantic import ValidationError

from assistant.core.access import AccessDenied, Principal, can_delete_learner
from assistant.core.advice import technology_lexicon_for
from assistant.core.catalog import Catalog
from assistant.core.errors import NotFoundError, StackwiseError, TooLargeError
from assistant.core.models import (
    TECHNOLOGY_KEY,
    Constraints,
    EarnedCredential,
    Evidence,
    EvidenceSource,
    HeldSkill,
    HeldTechnology,
    LearnerProfile,
)
from assistant.core.profile import Progress
from assistant.core.resume import ResumeDocument
from assistant.core.store import DeletionReport, ProfileRecord, ResumeRecord, Store, utcnow
from assistant.usecases.access import Access
from assistant.usecases.reading import Reader

#: a badge alignment named in words counts as an ESCO skill when the linker is at least this sure of it
NAMED_SKILL_CONFIDENCE = 0.5
#: what a badge's signature check means, for the learner (``assistant.adapters.badge_proofs``)
_PROOF = {
    "verified": " Signature: verified against its issuer's trusted key.",
    "issuer unconfirmed": " Signature: valid, but the issuer is not confirmed (its key is one the badge names "
    "for itself).",
    "not checked": " Signature: not checked (the issuer's key cannot be looked up offline).",
    "not verified": " Signature: NOT verified: the badge was changed after signing or signed by someone else.",
}

#: badge file bytes and a name for messages → the earned credentials in it (raises on a bad file)
BadgeReader = Callable[[bytes, str, Catalog], Sequence[EarnedCredential]]


@dataclass(frozen=True)
class Learner:
    """What is stored about one learner, read once."""

    learner_id: str
    profile: LearnerProfile
    earned: tuple[EarnedCredential, ...]
    resume: ResumeRecord | None = None


@dataclass(frozen=True)
class Learners:
    store: Store
    access: Access
    reader: Reader
    catalog: Catalog
    read_badges: BadgeReader
    max_upload_mb: float

    @property
    def max_upload_bytes(self) -> int:
        return int(self.max_upload_mb * 1024 * 1024)

    def _check_size(self, data: bytes) -> None:
        """Uploads are read to one byte past the limit, so a larger file is refused here, after access."""
        if len(data) > self.max_upload_bytes:
            raise TooLargeError(f"This file is larger than {self.max_upload_mb:g} MB.")

    # --- reading and writing the stored profile ----------------------------------------------------------

    def load(self, learner_id: str) -> tuple[LearnerProfile, tuple[EarnedCredential, ...]]:
        """The stored profile and earned badges (an empty profile for a learner with none yet)."""
        return self.parse(learner_id, self.store.get_profile(learner_id))

    @staticmethod
    def parse(learner_id: str, record: ProfileRecord | None) -> tuple[LearnerProfile, tuple[EarnedCredential, ...]]:
        """A stored profile record as the profile and badges it holds."""
        if record is None:
            return LearnerProfile(learner_id=learner_id), ()
        profile = LearnerProfile.model_validate_json(record.profile_json)
        earned = tuple(EarnedCredential.model_validate(e) for e in json.loads(record.earned_json or "[]"))
        return profile, earned

    def save(self, learner_id: str, profile: LearnerProfile, earned: tuple[EarnedCredential, ...]) -> Learner:
        """Write the profile and badges back whole; returns what is stored now, with the résumé on file."""
        profile = profile.model_copy(update={"learner_id": learner_id})
        self.store.save_profile(
            ProfileRecord(
                learner_id=learner_id,
                profile_json=profile.model_dump_json(),
                earned_json=json.dumps([e.model_dump(mode="json") for e in earned]),
                updated_at=utcnow(),
            )
        )
        return Learner(learner_id, profile, earned, self.store.get_resume(learner_id))

    def learner(self, learner_id: str) -> Learner:
        profile, earned = self.load(learner_id)
        return Learner(learner_id, profile, earned, self.store.get_resume(learner_id))

    # --- what a learner (or an admin) does ---------------------------------------------------------------

    def get(self, caller: Principal, learner_id: str) -> Learner:
        return self.learner(self.access.learner(caller, learner_id))

    def upload_resume(
        self,
        caller: Principal,
        learner_id: str,
        data: bytes,
        filename: str | None,
        content_type: str | None,
        on_progress: Progress | None = None,
    ) -> Learner:
        """Read a résumé file in a sandboxed worker and replace the skills the last résumé gave;
        ``on_progress`` hears (lines linked, lines) as it goes."""
        learner = self.access.learner(caller, learner_id, write=True)
        self._check_size(data)
        document = self.reader.document_from_file(data, filename, content_type, max_bytes=self.max_upload_bytes)
        return self._store_resume(learner, document, on_progress)

    def paste_resume(
        self, caller: Principal, learner_id: str, text: str, on_progress: Progress | None = None
    ) -> Learner:
        learner = self.access.learner(caller, learner_id, write=True)
        return self._store_resume(learner, self.reader.document_from_text(text), on_progress)

    def _store_resume(self, learner_id: str, document: ResumeDocument, on_progress: Progress | None = None) -> Learner:
        found = self.reader.profile(document, on_progress)
        profile, earned = self.load(learner_id)
        self.store.save_resume(
            ResumeRecord(learner_id=learner_id, filename=document.filename, text=document.text, uploaded_at=utcnow())
        )
        return self.save(
            learner_id,
            profile.with_read(EvidenceSource.RESUME, found.skills, found.unconfirmed, found.technologies),
            earned,
        )

    def delete_resume(self, caller: Principal, learner_id: str) -> None:
        """Forget the résumé and the skills read from it (typed skills and held credentials stay)."""
        learner = self.access.learner(caller, learner_id, write=True)
        profile, earned = self.load(learner)
        self.save(learner, profile.with_read(EvidenceSource.RESUME, (), ()), earned)
        if not self.store.delete_resume(learner):
            raise NotFoundError("There is no résumé on file.")

    def edit_skills(
        self,
        caller: Principal,
        learner_id: str,
        *,
        confirm: Sequence[str] = (),
        remove: Sequence[str] = (),
        add: Sequence[str] = (),
        text: str | None = None,
    ) -> tuple[Learner, list[str]]:
        """The learner confirms offered skills, removes wrong ones and adds missing ones (picked by ESCO URI or
        product key ``onet-technology:NAME``, or typed: product names and exact ESCO labels first, the linker
        for the rest). Returns the profile and any typed terms that matched nothing."""
        learner = self.access.learner(caller, learner_id, write=True)
        products = technology_lexicon_for(self.reader.taxonomy).technologies
        unknown = [
            key
            for key in (*confirm, *remove, *add)
            if key not in self.reader.taxonomy.skills and key.removeprefix(TECHNOLOGY_KEY) not in products
        ]
        if unknown:
            raise StackwiseError(f"Not an ESCO skill or an O*NET technology: {', '.join(unknown[:3])}.")
        profile, earned = self.load(learner)
        picked = [self._picked(key) for key in add if not key.startswith(TECHNOLOGY_KEY)]
        tools = [self._tool(key.removeprefix(TECHNOLOGY_KEY)) for key in add if key.startswith(TECHNOLOGY_KEY)]
        unresolved: list[str] = []
        if text and text.strip():
            typed = self.reader.terms(text)
            picked.extend(typed.skills)
            tools.extend(typed.technologies)
            unresolved = typed.unresolved
        profile = profile.confirm(confirm).dismiss(remove).add(picked).add_technologies(tools)
        return self.save(learner, profile, earned), unresolved

    def _picked(self, uri: str) -> HeldSkill:
        label = self.reader.taxonomy.label_of(uri)
        evidence = Evidence(source=EvidenceSource.SELF_REPORTED, text=label)
        return HeldSkill(skill_uri=uri, label=label, confidence=1.0, evidence=(evidence,), confirmed=True)

    def _tool(self, name: str) -> HeldTechnology:
        product = technology_lexicon_for(self.reader.taxonomy).technologies[name]
        return product.held([Evidence(source=EvidenceSource.SELF_REPORTED, text=name)], confirmed=True)

    def set_constraints(self, caller: Principal, learner_id: str, values: Mapping[str, object]) -> Learner:
        learner = self.access.learner(caller, learner_id, write=True)
        try:
            constraints = Constraints.model_validate(dict(values))
        except ValidationError as exc:  # rules across fields, e.g. the EQF levels' order: say which, in words
            raise StackwiseError(str(exc.errors()[0]["msg"]).removeprefix("Value error, ") + ".") from exc
        profile, earned = self.load(learner)
        return self.save(learner, profile.model_copy(update={"constraints": constraints}), earned)

    def hold(self, caller: Principal, learner_id: str, credential_ids: Sequence[str]) -> Learner:
        """Catalog credentials the learner already holds (alumni): they count toward stacks and are not re-sold."""
        learner = self.access.learner(caller, learner_id, write=True)
        unknown = [cid for cid in credential_ids if cid not in self.catalog]
        if unknown:
            raise StackwiseError(f"Not in the catalog: {', '.join(unknown[:5])}.")
        profile, earned = self.load(learner)
        held = tuple(dict.fromkeys(credential_ids))
        return self.save(learner, profile.model_copy(update={"earned_credentials": held}), earned)

    def import_badges(
        self, caller: Principal, learner_id: str, data: bytes, name: str
    ) -> tuple[Learner, tuple[str, ...]]:
        """Earned Open Badges 3.0 credentials: matched to the catalog where they can be; a badge from another
        issuer counts through its aligned skills (ESCO URIs, or names linked as typed skills are). Returns
        what was taken from each badge, in plain words."""
        learner = self.access.learner(caller, learner_id, write=True)
        self._check_size(data)
        badges = tuple(self._with_named_skills(b) for b in self.read_badges(data, name, self.catalog))
        profile, earned = self.load(learner)
        merged = {e.achievement_id: e for e in (*earned, *badges)}
        held = tuple(dict.fromkeys((*profile.earned_credentials, *(e.catalog_id for e in badges if e.catalog_id))))
        saved = self.save(learner, profile.model_copy(update={"earned_credentials": held}), tuple(merged.values()))
        return saved, tuple(self._taken(b) for b in badges)

    def _with_named_skills(self, badge: EarnedCredential) -> EarnedCredential:
        """A badge's alignments named in words ("Python", "SQL") linked to ESCO skills, as typed skills are."""
        if badge.catalog_id or not badge.aligned_names:
            return badge
        found = self.reader.terms(", ".join(badge.aligned_names)).skills
        uris = [s.skill_uri for s in found if s.confidence >= NAMED_SKILL_CONFIDENCE]
        return badge.model_copy(update={"skill_uris": tuple(dict.fromkeys((*badge.skill_uris, *uris)))})

    def _taken(self, badge: EarnedCredential) -> str:
        return self._counted(badge) + _PROOF.get(badge.proof or "", " It carries no signature to check.")

    def _counted(self, badge: EarnedCredential) -> str:
        issuer = f" from {badge.issuer}" if badge.issuer else ""
        if badge.catalog_id:
            title = self.catalog.get(badge.catalog_id).title
            return f"“{badge.name}”{issuer} is {title} ({badge.catalog_id}) here: held, and its skills count."
        if badge.skill_uris:
            labels = [self.reader.taxonomy.label_of(u) for u in badge.skill_uris]
            shown = ", ".join(labels[:6]) + (f" and {len(labels) - 6} more" if len(labels) > 6 else "")
            return f"“{badge.name}”{issuer} is not in this catalog; its skills count: {shown}."
        return f"“{badge.name}”{issuer} is not in this catalog and names no skill I recognise: nothing was added."

    def delete(self, caller: Principal, learner_id: str) -> DeletionReport:
        """Erase the learner: résumé text, profile, sessions and messages, briefs, assignments, the account."""
        learner = self.access.learner(caller, learner_id)
        if not can_delete_learner(caller, learner):
            raise AccessDenied("Only the learner or an administrator can delete a learner's data.")
        return self.store.delete_learner(learner)
