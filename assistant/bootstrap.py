"""The one wiring root: settings in, every component built once, typed, on first use.

:class:`Stackwise` builds the data (taxonomy, catalog), the adapters (store, embedder, indexes, linker,
language model), the core services (advice, the dialogue engine) and the use cases the entry points call
(:mod:`assistant.usecases`). A test passes a fake as the typed keyword argument of the part it replaces
(``Stackwise(settings, taxonomy=..., embedder=FakeEmbedder(), store=...)``); everything else is built as the
product builds it. Adapters are imported inside the builders, so importing this module stays cheap.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from datetime import date
from functools import cached_property
from typing import TYPE_CHECKING, Any

from assistant.core.catalog import Catalog
from assistant.core.errors import DataSourceError, NotReadyError, StackwiseError, StorageUnavailableError
from assistant.core.goals import GoalResolver
from assistant.core.linking import QueryAdapter, SkillLinker
from assistant.core.linking.calibration import LinkCalibration
from assistant.core.linking.rerank import SkillReranker
from assistant.core.ports import Embedder
from assistant.core.store import Store
from assistant.core.taxonomy import Taxonomy
from assistant.core.titles import TitleNormalizer
from assistant.settings import Settings

log = logging.getLogger("stackwise")

if TYPE_CHECKING:
    from assistant.adapters.search.indexes import Indexes
    from assistant.core.advice import AdviceService, TitleCandidate, TitleSearch
    from assistant.core.advice.relevance import Crowd, ProfileCrowd
    from assistant.core.dialogue import Advisor, DialogueEngine, IntentClassifier, LanguageModel
    from assistant.core.models import EarnedCredential
    from assistant.usecases.access import Access
    from assistant.usecases.accounts import Accounts
    from assistant.usecases.advising import Advising
    from assistant.usecases.briefs import Briefs
    from assistant.usecases.browse import Browse
    from assistant.usecases.catalog_health import CatalogHealth
    from assistant.usecases.conversations import Conversations
    from assistant.usecases.goals import Goals
    from assistant.usecases.learners import Learners
    from assistant.usecases.reading import Reader

#: CP-SAT seconds per route objective when a learner waits on the page or the chat
INTERACTIVE_PLAN_SECONDS = 2.0


#: made up, and short: it only has to pass through the reader, the model and the skill index once
WARM_UP_RESUME = "Data analyst\nBuilt weekly sales reports in SQL and Excel; presented findings to managers."
WARM_UP_MESSAGE = "I want to become a data analyst, I have 6 hours a week and $900"


class Stackwise:
    """Every component of the product, built from ``settings`` unless given."""

    def __init__(
        self,
        settings: Settings | None = None,
        *,
        taxonomy: Taxonomy | None = None,
        catalog: Catalog | None = None,
        embedder: Embedder | None = None,
        indexes: Indexes | None = None,
        skill_linker: SkillLinker | None = None,
        advice: AdviceService | None = None,
        store: Store | None = None,
        llm: LanguageModel | None = None,
        today: date | None = None,
    ) -> None:
        self.settings = settings or Settings()
        self._taxonomy = taxonomy
        self._catalog = catalog
        self._embedder = embedder
        self._indexes = indexes
        self._skill_linker = skill_linker
        self._advice = advice
        self._store = store
        self._llm = llm
        self._today = today

    def today(self) -> date:
        """The planning date: today, or the one a test fixed."""
        return self._today or date.today()

    # --- data ---------------------------------------------------------------------------------------------

    @cached_property
    def taxonomy(self) -> Taxonomy:
        if self._taxonomy is not None:
            return self._taxonomy
        from index.bundle import load_taxonomy

        return load_taxonomy(self.settings.bundle_dir, descriptions_from=self.settings.esco_dir)

    @cached_property
    def catalog(self) -> Catalog:
        if self._catalog is not None:
            return self._catalog
        from index.catalogs import load_catalog

        settings = self.settings
        known = self.taxonomy.skills.keys()
        return load_catalog(settings.catalog_path, mapping=settings.catalog_mapping, known_skill_uris=known)

    # --- adapters -----------------------------------------------------------------------------------------

    @cached_property
    def store(self) -> Store:
        """Users, résumé text, profiles, sessions and briefs: SQLite in the state folder, or the database URL."""
        if self._store is not None:
            return self._store
        from assistant.adapters.storage import SqlStore

        state = self.settings.state_dir
        try:  # résumés live here: only this user reads the folder (0700) and the database (0600, SqlStore)
            state.mkdir(mode=0o700, parents=True, exist_ok=True)
            return SqlStore(self.settings.database)
        except StorageUnavailableError as exc:
            database = self.settings.database
            if not database.startswith("sqlite"):  # name the server, never the password before the "@"
                raise DataSourceError(f"{database.rsplit('@', 1)[-1]}: cannot use the database ({exc.fault})") from None
            raise DataSourceError(
                f"{state}: cannot use the state folder ({exc.fault}); set STACKWISE_STATE_DIR to a folder this user "
                "can write"
            ) from None
        except OSError as exc:
            why = exc.strerror or exc
            raise DataSourceError(
                f"{state}: cannot use the state folder ({why}); set STACKWISE_STATE_DIR to a folder this user can write"
            ) from None

    def install_log_redaction(self) -> None:
        """Redact e-mail addresses, phone numbers and street addresses from every log handler configured now."""
        from assistant.adapters.logging_redaction import install_redaction

        install_redaction()

    @cached_property
    def embedder(self) -> Embedder:
        if self._embedder is not None:
            return self._embedder
        from assistant.adapters.search.embedding import make_embedder

        return make_embedder(self.settings.embedding, cache_dir=self.settings.models_path)

    def embedder_identity(self) -> tuple[str, int]:
        """The embedder's model id and dimension, read from the model files without loading the model."""
        if self._embedder is not None:
            return self._embedder.model_id, self._embedder.dimension
        from assistant.adapters.search.embedding import model_dimension, model_id_for, resolve_model_path

        path = resolve_model_path(self.settings.embedding.model_path)
        return model_id_for(path), model_dimension(path)

    @cached_property
    def indexes(self) -> Indexes:
        """The vector indexes, checked against the loaded taxonomy, catalog and embedder."""
        if self._indexes is not None:
            return self._indexes
        from assistant.adapters.search.indexes import load_indexes

        building = self.index_build()  # asked first: the model is not loaded (nor exported) beside the build
        if building is not None:
            raise NotReadyError(
                f"Stackwise is still preparing its search indexes ({building}); the first start takes a few "
                "minutes. Please try again shortly."
            )
        return load_indexes(
            self.settings.index_path, embedder=self.embedder, taxonomy=self.taxonomy, catalog=self.catalog
        )

    def index_build(self) -> str | None:
        """How far the index build of a start has got (``skills 45% (part 1 of 3)``), or None when none runs."""
        from index.progress import read_progress

        progress = read_progress(self.settings.index_path)
        return None if progress is None else progress.describe()

    @cached_property
    def skill_adapter(self) -> QueryAdapter | None:
        path = self.settings.skill_adapter_path
        if path is None or not path.is_file():
            return None
        return QueryAdapter.load(path)

    @cached_property
    def link_calibration(self) -> LinkCalibration:
        """How likely each résumé link is right, and where the profile keeps or offers it (none: uncalibrated)."""
        path = self.settings.link_calibration_path
        if path is None or not path.is_file():
            return LinkCalibration()
        return LinkCalibration.load(path)

    @cached_property
    def skill_reranker(self) -> SkillReranker | None:
        path = self.settings.skill_rerank_path
        if path is None or not path.is_file():
            return None
        return SkillReranker.load(path)

    @cached_property
    def skill_linker(self) -> SkillLinker:
        if self._skill_linker is not None:
            return self._skill_linker
        taxonomy = self.taxonomy
        return SkillLinker(
            taxonomy.skills,
            self.embedder,
            self.indexes.skills.store,
            adapter=self.skill_adapter,
            reranker=self.skill_reranker,
            occupations=lambda uri: len(taxonomy.occupations_requiring(uri)),
        )

    @cached_property
    def title_normalizer(self) -> TitleNormalizer:
        return TitleNormalizer(self.taxonomy, self.embedder, self.indexes.occupations.store)

    @cached_property
    def goal_titles(self) -> TitleSearch:
        """Titles by meaning alone (no word-overlap bonus): the goal resolver reads the words itself and
        uses this only to offer options, with cosine scores it can hold to fixed floors. Built on first use;
        while the occupations index is missing or stale, goals are read from their words alone."""
        from assistant.core.advice import RankerTitleSearch

        def build() -> TitleSearch:
            store = self.indexes.occupations.store
            return RankerTitleSearch(TitleNormalizer(self.taxonomy, self.embedder, store, lexical_weight=0.0))

        return _OptionalTitles(build)

    @cached_property
    def llm(self) -> LanguageModel | None:
        """The configured chat model (``settings.llm.provider``), or None for the embedded mode."""
        if self._llm is not None:
            return self._llm
        config = self.settings.llm
        if config.provider == "none":
            return None
        from assistant.adapters.llm import LangChainModel, make_chat_model

        return LangChainModel(make_chat_model(config), max_tool_rounds=config.max_tool_rounds)

    def read_badges(self, data: bytes, name: str, catalog: Catalog) -> Sequence[EarnedCredential]:
        """Earned Open Badges 3.0 credentials in an uploaded file, matched to the catalog where they can be."""
        from assistant.adapters.badge_proofs import check_proofs
        from index.importers.open_badges import read_earned_credentials

        result = read_earned_credentials(data, catalog=catalog.credentials, name=name)
        result.raise_for_issues("this badge file could not be read")
        proofs = check_proofs(data, self.settings.badge_issuers)
        return [
            badge.model_copy(update={"proof": proofs[key][0], "proof_note": proofs[key][1]})
            if (key := badge.credential_id) and key in proofs
            else badge
            for badge in result.earned
        ]

    # --- core services ------------------------------------------------------------------------------------

    @cached_property
    def advice(self) -> AdviceService:
        """Advice with its collaborators bound: label similarity from the embedder, title search over the
        occupations index, the planner that answers while a learner waits."""
        if self._advice is not None:
            return self._advice
        from assistant.core.advice import AdviceService, AutoPlanner, EmbedderSimilarity

        similarity = EmbedderSimilarity(self.embedder)
        return AdviceService(
            self.taxonomy,
            self.catalog,
            similarity=similarity,
            title_search=self.goal_titles,
            planner=AutoPlanner(time_limit_s=INTERACTIVE_PLAN_SECONDS),
            crowd=_IndexCrowd(similarity.vectors, lambda: self.indexes.occupations.store, self.taxonomy),
        )

    @cached_property
    def advisor(self) -> Advisor:
        """The conversation's tools over the advice, with the reader and the credential search as ports."""
        from assistant.core.dialogue import Advisor

        return Advisor(
            self.advice,
            read_resume=self.reader.profile_from_text,
            read_posting=self.reader.posting,
            link_terms=self.reader.terms,
            search_credentials=self.browse.search_credentials,
            today=self.today,
        )

    def dialogue_engine(self, llm: LanguageModel | None) -> DialogueEngine:
        """A dialogue engine over this root's advisor and guard; ``llm`` None is the embedded mode."""
        from assistant.core.advice.profile import lexicon_for
        from assistant.core.dialogue import DialogueEngine, Guard
        from assistant.core.privacy import redact

        return DialogueEngine(
            advisor=self.advisor,
            guard=Guard(self.catalog, lexicon_for(self.taxonomy), self.taxonomy),
            classifier=self.intent_classifier,
            llm=llm,
            redact=lambda text: redact(text).text,
        )

    @cached_property
    def intent_classifier(self) -> IntentClassifier:
        from assistant.core.dialogue import IntentClassifier

        return IntentClassifier(self.embedder)

    @cached_property
    def engine(self) -> DialogueEngine:
        """The dialogue engine with the configured language model (or none)."""
        return self.dialogue_engine(self.llm)

    # --- use cases ----------------------------------------------------------------------------------------

    @cached_property
    def reader(self) -> Reader:
        from assistant.usecases.reading import Reader

        return Reader(self.taxonomy, lambda: self.skill_linker, today=self.today, calibration=self.link_calibration)

    @cached_property
    def access(self) -> Access:
        from assistant.usecases.access import Access

        return Access(self.store)

    @cached_property
    def learners(self) -> Learners:
        from assistant.usecases.learners import Learners

        return Learners(
            self.store, self.access, self.reader, self.catalog, self.read_badges, self.settings.max_upload_mb
        )

    @cached_property
    def advising(self) -> Advising:
        from assistant.usecases.advising import Advising

        return Advising(self.advice, self.learners, self.reader, today=self.today)

    @cached_property
    def conversations(self) -> Conversations:
        from assistant.usecases.conversations import Conversations

        return Conversations(self.store, self.access, self.learners, self.engine)

    @cached_property
    def briefs(self) -> Briefs:
        from assistant.usecases.briefs import Briefs

        return Briefs(self.store, self.access, self.advising, self.conversations)

    @cached_property
    def accounts(self) -> Accounts:
        from assistant.usecases.accounts import Accounts

        return Accounts(self.store, self.learners, self.conversations)

    @cached_property
    def goals(self) -> Goals:
        from assistant.usecases.goals import Goals

        return Goals(GoalResolver(self.taxonomy, self.goal_titles))

    @cached_property
    def catalog_health(self) -> CatalogHealth:
        from assistant.usecases.catalog_health import CatalogHealth

        return CatalogHealth(self.advice)

    @cached_property
    def browse(self) -> Browse:
        from assistant.usecases.browse import Browse

        return Browse(self.taxonomy, self.catalog, lambda: self.indexes.credentials, lambda: self.advice)

    # --- lifecycle ----------------------------------------------------------------------------------------

    def _built(self, name: str) -> Any:
        """A component given to this root or built by it already; None when neither (nothing is built here)."""
        return self.__dict__.get(name, getattr(self, f"_{name}"))

    def sharing(
        self, settings: Settings | None = None, *, store: Store | None = None, llm: LanguageModel | None = None
    ) -> Stackwise:
        """A root over the same data, model, indexes and advice, with other settings, store or language model.

        What this root has built (or was given) is shared, not rebuilt; what it has not is built by the new
        root when first used. The store is the new root's own unless one is given.
        """
        return Stackwise(
            settings or self.settings,
            taxonomy=self.taxonomy,
            catalog=self.catalog,
            embedder=self._built("embedder"),
            indexes=self._built("indexes"),
            skill_linker=self._built("skill_linker"),
            advice=self._built("advice"),
            store=store,
            llm=llm if llm is not None else self._llm,
            today=self._today,
        )

    @classmethod
    def serving(cls, settings: Settings | None = None) -> Stackwise:
        """The root of an API process, which runs many requests at once: each runs its model and its index
        searches on one thread unless ``STACKWISE_EMBEDDING_THREADS`` says otherwise. With the libraries'
        default (every core per call) concurrent calls fight over the cores and OpenMP threads spin while
        they wait: on 2 cores, 20 learners' first-upload p95 went from 2.27 s to 1.66 s and the worst other
        p95 from 709 ms to 224 ms (``python -m eval.load``), while one upload alone takes 0.2 s longer."""
        from threadpoolctl import threadpool_limits

        from assistant.adapters.search.faiss_store import set_search_threads

        settings = settings or Settings()
        if settings.embedding.threads is None:
            embedding = settings.embedding.model_copy(update={"threads": 1})
            settings = settings.model_copy(update={"embedding": embedding})
        threads = settings.embedding.threads or 1
        set_search_threads(threads)  # loads FAISS's OpenMP first, so the limit below reaches it too
        threadpool_limits(limits=threads)  # numpy's BLAS (the linker's matrix products), every OpenMP pool
        return cls(settings)

    def warm_up(self) -> float:
        """Load what a learner's first requests need (data, model, vector indexes, linker, goal titles, the
        dialogue's intent examples and skill lexicon) and run a two-line résumé and a goal through them, the
        goal as a chat message (gap, relevance, a planned route), so the first learner after a start waits no
        longer than the next one. Returns the seconds it took."""
        from assistant.core.dialogue.state import ConversationState

        started = time.perf_counter()
        profile = self.reader.profile_from_text(WARM_UP_RESUME)
        self.goal_titles.search_titles("data analyst", k=1)
        self.engine.respond(ConversationState(profile=profile), WARM_UP_MESSAGE)
        self.store.problem()
        return time.perf_counter() - started

    def stats(self) -> dict[str, Any]:
        """Counts computed from the loaded data (what `stackwise data stats` prints)."""
        return self.browse.stats()

    def close(self) -> None:
        """Close the store if this root opened it (a store passed in belongs to the caller)."""
        if self._store is None and "store" in self.__dict__:
            self.store.close()


class _OptionalTitles:
    """A title search built on first use that answers nothing (words only) if the index cannot load."""

    def __init__(self, build: Callable[[], TitleSearch]) -> None:
        self._build = build
        self._search: TitleSearch | None = None
        self._failed = False

    def search_titles(self, title: str, k: int = 10) -> Sequence[TitleCandidate]:
        if self._search is None and not self._failed:
            try:
                self._search = self._build()
            except NotReadyError:  # being built: words alone until it is, then the index
                return []
            except StackwiseError as exc:
                self._failed = True
                log.warning("goals are read from their words alone: the occupations index is not usable (%s)", exc)
        return self._search.search_titles(title, k) if self._search is not None else []


class _IndexCrowd:
    """The relevance gate's crowd (``relevance.ProfileCrowd``) over the occupation profiles in the
    occupations index, read on first use, with each job's ISCO group from the taxonomy. Answers nothing (the
    hand-set gate) while the index cannot be read, or holds the profiles of only some jobs (built before it
    held them, or over a slice of the data)."""

    def __init__(self, vectors: Callable[[Sequence[str]], Any], store: Callable[[], Any], taxonomy: Taxonomy) -> None:
        self._vectors = vectors
        self._store = store
        self._taxonomy = taxonomy
        self._crowd: ProfileCrowd | None = None
        self._partial = False

    def crowd(self, texts: Sequence[str]) -> Sequence[Crowd]:
        if self._partial:
            return []
        if self._crowd is None:
            from assistant.core.advice.relevance import ProfileCrowd
            from assistant.core.ports import OCCUPATION_PROFILE

            try:
                keys, profiles = self._store().vectors_of(OCCUPATION_PROFILE)
            except StackwiseError as exc:
                log.info("relevance uses the hand-set gate for now: %s", exc)
                return []
            occupations = self._taxonomy.occupations
            if len(profiles) < len(occupations):  # an index over a slice of the jobs would crowd nothing
                log.warning(
                    "the occupations index holds %d of %d job profiles: relevance uses the hand-set gate "
                    "until `stackwise index build` runs",
                    len(profiles),
                    len(occupations),
                )
                self._partial = True
                return []
            groups = [(occupations[key].isco_group or "") if key in occupations else "" for key in keys]
            self._crowd = ProfileCrowd(self._vectors, profiles, groups)
        return self._crowd.crowd(texts)
