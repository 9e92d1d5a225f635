"""The single wiring root: settings in, a ready service out. Tests pass overrides instead of patching."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

from assistant.core.catalog import Catalog
from assistant.core.linking import QueryAdapter, SkillLinker
from assistant.core.ports import Embedder
from assistant.core.taxonomy import Taxonomy
from assistant.core.titles import TitleNormalizer
from assistant.settings import Settings

if TYPE_CHECKING:
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
        return SkillLinker(
            self.taxonomy.skills, self.embedder, self.indexes.skills.store, adapter=self.skill_adapter
        )

    @cached_property
    def title_normalizer(self) -> TitleNormalizer:
        return TitleNormalizer(self.taxonomy, self.embedder, self.indexes.occupations.store)

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


def build_service(settings: Settings | None = None, **overrides: Any) -> Stackwise:
    return Stackwise(settings=settings or Settings(), overrides=overrides)
