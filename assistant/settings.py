"""Settings, read from the environment (prefix ``STACKWISE_``) or a ``.env`` file.

Defaults run the product on the bundled data with no network and no language model: the taxonomy
bundle and the demo catalog ship inside the package; the official source files in
``../shared/data`` are used when present (for ESCO descriptions and for rebuilding the bundle).
"""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PACKAGE_ROOT = Path(__file__).resolve().parent.parent
INDEX_DATA = PACKAGE_ROOT / "index" / "data"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="STACKWISE_", env_file=".env", extra="ignore")

    source_data_dir: Path = Field(
        default=PACKAGE_ROOT.parent / "shared" / "data",
        description="Folder laid out like ../shared/data with the official releases (optional at run time).",
    )
    bundle_dir: Path = Field(default=INDEX_DATA / "bundle", description="The compact taxonomy bundle.")
    catalog_path: Path = Field(
        default=INDEX_DATA / "catalogs" / "demo" / "catalog.yaml",
        description="The institution's catalog: YAML, JSON, or CSV (with catalog_mapping).",
    )
    catalog_mapping: Path | None = Field(default=None, description="Column mapping for a CSV catalog.")
    state_dir: Path = Field(default=Path(".stackwise"), description="Indexes, database and uploads live here.")
    api_host: str = "127.0.0.1"
    api_port: int = Field(default=8000, ge=1, le=65535)
    ui_port: int = Field(default=8501, ge=1, le=65535)

    @field_validator("source_data_dir", "bundle_dir", "catalog_path", "state_dir")
    @classmethod
    def _expand(cls, value: Path) -> Path:
        return value.expanduser()

    @property
    def esco_dir(self) -> Path:
        return self.source_data_dir / "esco"

    @property
    def api_url(self) -> str:
        return f"http://{self.api_host}:{self.api_port}"
