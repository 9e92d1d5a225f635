"""The single wiring root: settings in, a ready service out. Tests pass overrides instead of patching."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant.core.catalog import Catalog
from assistant.core.linking import QueryAdapter, SkillLinker
from assistant.core.models import LearnerProfile, TextSpan
from assistant.core.ports import Embedder
from assistant.core.taxonomy import Taxonomy
from assistant.core.titles import TitleNormalizer
from assistant.settings import Settings

if TYPE_CHECKING:
    from assistant.core.advice import PostingTarget
    from assistant.core.dialogue import Advisor, DialogueEngine, LanguageModel
    from assistant.core.models import HeldSkill
    from index.build import Indexes


@dataclass
class Stackwise:
    """The loaded product: taxonomy and catalog, loaded lazily and once.

    Adapters (file readers) are imported inside the loaders so importing this module stays cheap.
    """

    settings: Settings = field(default_factory=Settings)
    overrides: dict[str, Any] = field(default_factory=dict)

    @cached_property
    def taxonomy(self) -> Taxonomy:
        if "taxonomy" in self.overrides:
            taxonomy: Taxonomy = self.overrides["taxonomy"]
            return taxonomy
        from index.bundle import load_taxonomy

        return load_taxonomy(self.settings.bundle_dir, descriptions_from=self.settings.esco_dir)

    @cached_property
    def catalog(self) -> Catalog:
        if "catalog" in self.overrides:
            catalog: Catalog = self.overrides["catalog"]
            return catalog
        from index.catalogs import load_catalog

        return load_catalog(
            self.settings.catalog_path,
            mapping=self.settings.catalog_mapping,
            known_skill_uris=self.taxonomy.skills.keys(),
        )

    @cached_property
    def embedder(self) -> Embedder:
        if "embedder" in self.overrides:
            embedder: Embedder = self.overrides["embedder"]
            return embedder
        from index.embedding import make_embedder

        return make_embedder(self.settings)

    @cached_property
    def indexes(self) -> Indexes:
        """The vector indexes, checked against the loaded taxonomy, catalog and embedder."""
        if "indexes" in self.overrides:
            indexes: Indexes = self.overrides["indexes"]
            return indexes
        from index.build import load_indexes

        return load_indexes(
            self.settings.index_path, embedder=self.embedder, taxonomy=self.taxonomy, catalog=self.catalog
        )

    @cached_property
    def skill_adapter(self) -> QueryAdapter | None:
        path = self.settings.skill_adapter_path
        if path is None or not path.is_file():
            return None
        return QueryAdapter.load(path)

    @cached_property
    def skill_linker(self) -> SkillLinker:
        return SkillLinker(self.taxonomy.skills, self.embedder, self.indexes.skills.store, adapter=self.skill_adapter)

    @cached_property
    def title_normalizer(self) -> TitleNormalizer:
        return TitleNormalizer(self.taxonomy, self.embedder, self.indexes.occupations.store)

    def profile_from_file(self, path: Path, *, today: date | None = None) -> LearnerProfile:
        """Parse a résumé file in a sandboxed worker and link its lines to ESCO skills with evidence."""
        from assistant.adapters.documents import parse_resume_file
        from assistant.core.profile import profile_from_resume

        document = parse_resume_file(path.read_bytes(), path.name)
        return profile_from_resume(document, self.skill_linker, today=today or date.today())

    def posting_target(self, text: str) -> PostingTarget:
        """A pasted job posting as a target: the skills its lines name or describe, each with its line."""
        from assistant.adapters.documents import parse_pasted_text
        from assistant.core.advice import PostingSkill, PostingTarget, is_optional_line
        from assistant.core.errors import DocumentError
        from assistant.core.profile import link_resume

        document = parse_pasted_text(text)
        skills: dict[str, PostingSkill] = {}
        for line_no, mention in link_resume(document, self.skill_linker):
            line = document.line(line_no)
            optional = is_optional_line(line.text)
            evidence = document.evidence(line_no, TextSpan(start=mention.start, end=mention.end))
            current = skills.get(mention.uri)
            if current is None or (current.required is False and not optional):
                skills[mention.uri] = PostingSkill(
                    skill_uri=mention.uri, label=mention.label, required=not optional, evidence=evidence
                )
        if not skills:
            raise DocumentError("empty", "No skill from the ESCO taxonomy was recognised in this job posting.")
        title = next((line.text for line in document.lines if not line.heading), None)
        return PostingTarget(title=title, skills=tuple(skills.values()))

    def profile_from_text(self, text: str, *, today: date | None = None) -> LearnerProfile:
        """Pasted résumé text → profile, with the same linker and evidence as a file."""
        from assistant.adapters.documents import parse_pasted_text
        from assistant.core.profile import profile_from_resume

        return profile_from_resume(parse_pasted_text(text), self.skill_linker, today=today or date.today())

    def link_terms(self, text: str) -> tuple[list[HeldSkill], list[str]]:
        """Skills typed in a sentence ("SQL and Excel"): exact ESCO labels first, the linker for the rest."""
        from assistant.core.advice import skills_from_terms
        from assistant.core.dialogue.understand import split_terms
        from assistant.core.models import Evidence, EvidenceSource, HeldSkill

        terms = split_terms(text)
        found, unresolved = skills_from_terms(self.taxonomy, terms)
        still: list[str] = []
        if unresolved:
            for term, mentions in zip(unresolved, self.skill_linker.mentions_many(unresolved), strict=True):
                if not mentions:
                    still.append(term)
                    continue
                best = max(mentions, key=lambda m: m.confidence)
                evidence = Evidence(source=EvidenceSource.SELF_REPORTED, text=term)
                found.append(
                    HeldSkill(
                        skill_uri=best.uri, label=best.label, confidence=round(best.confidence, 3), evidence=(evidence,)
                    )
                )
        return found, still

    def search_credentials(self, query: str, limit: int = 5) -> list[str]:
        from assistant.core.ports import CREDENTIAL

        hits = self.indexes.credentials.search_one(query, k=limit, kinds=(CREDENTIAL,))
        if not hits:
            return []
        floor = max(0.35, hits[0].score - 0.12)  # keep the ones about as good as the best, drop the tail
        return [hit.key for hit in hits if hit.score >= floor]

    @cached_property
    def advisor(self) -> Advisor:
        """The conversation's tools over the loaded data, with the linker and indexes as ports."""
        from assistant.core.advice import AdviceService, AutoPlanner, EmbedderSimilarity, RankerTitleSearch
        from assistant.core.dialogue import Advisor

        if "advisor" in self.overrides:
            advisor: Advisor = self.overrides["advisor"]
            return advisor
        return Advisor(
            AdviceService(
                self.taxonomy,
                self.catalog,
                similarity=EmbedderSimilarity(self.embedder),
                title_search=RankerTitleSearch(self.title_normalizer),
                planner=AutoPlanner(time_limit_s=2.0),
            ),
            read_resume=self.profile_from_text,
            read_posting=self.posting_target,
            link_terms=self.link_terms,
            search_credentials=self.search_credentials,
        )

    def dialogue_engine(self, llm: LanguageModel | None = None) -> DialogueEngine:
        """A dialogue engine; ``llm`` None is the embedded mode (no language model)."""
        from assistant.core.advice.profile import lexicon_for
        from assistant.core.dialogue import DialogueEngine, Guard, IntentClassifier

        classifier = self.__dict__.get("_classifier")
        if classifier is None:
            classifier = IntentClassifier(self.embedder)
            self.__dict__["_classifier"] = classifier
        return DialogueEngine(
            advisor=self.advisor,
            guard=Guard(self.catalog, lexicon_for(self.taxonomy), self.taxonomy),
            classifier=classifier,
            llm=llm,
            redact=_redactor(),
        )

    def language_model(self) -> LanguageModel | None:
        """The configured chat model (``llm_provider``), or None for the embedded mode."""
        settings = self.settings
        if settings.llm_provider == "none":
            return None
        from assistant.adapters.llm import LangChainModel, LLMConfig, make_chat_model

        config = LLMConfig(
            provider=settings.llm_provider,
            model=settings.llm_model,
            gguf_path=settings.llm_gguf_path,
            base_url=settings.llm_base_url,
            api_key=settings.llm_api_key,
            temperature=settings.llm_temperature,
            max_tokens=settings.llm_max_tokens,
            timeout_s=settings.llm_timeout_s,
            n_ctx=settings.llm_n_ctx,
            n_threads=settings.llm_n_threads,
        )
        return LangChainModel(make_chat_model(config), max_tool_rounds=settings.llm_max_tool_rounds)

    def stats(self) -> dict[str, Any]:
        """Counts computed from the loaded data (what `stackwise data stats` prints)."""
        catalog = self.catalog
        micro = catalog.micro_credentials()
        return {
            **self.taxonomy.stats(),
            "credentials": len(catalog),
            "micro_credentials": len(micro),
            "stack_destinations": len(catalog.stack_destinations()),
            "catalog_fields": len(catalog.by_field()),
            "releases": dict(self.taxonomy.releases),
        }


def _redactor() -> Any:
    try:
        from assistant.core.privacy import redact
    except ImportError:  # pragma: no cover - the module ships with the package
        return lambda text: text
    return lambda text: redact(text).text


def build_service(settings: Settings | None = None, **overrides: Any) -> Stackwise:
    return Stackwise(settings=settings or Settings(), overrides=overrides)
