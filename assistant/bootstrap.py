"""The single wiring root: settings in, a ready service out. Tests pass overrides instead of patching."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from assistant.core.catalog import Catalog
from assistant.core.taxonomy import Taxonomy
from assistant.settings import Settings


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
