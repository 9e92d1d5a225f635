"""Settings, read from the environment (prefix ``STACKWISE_``) or a ``.env`` file.

Defaults run the product on the bundled data with no network and no language model: the taxonomy
bundle and the demo catalog ship inside the package; the official source files in
``../shared/data`` are used when present (for ESCO descriptions and for rebuilding the bundle).
"""

from __future__ import annotations

import os
from pathlib import Path

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from assistant.adapters.llm.config import LLMConfig
from assistant.adapters.search.config import EmbeddingConfig

PACKAGE_ROOT = Path(__file__).resolve().parent.parent
INDEX_DATA = PACKAGE_ROOT / "index" / "data"


class Settings(BaseSettings):
    # ``STACKWISE_LLM_PROVIDER`` fills ``llm.provider``: a nested model's fields are read after one ``_``
    model_config = SettingsConfigDict(
        env_prefix="STACKWISE_", env_file=".env", extra="ignore", env_nested_delimiter="_", env_nested_max_split=1
    )

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
    index_dir: Path | None = Field(
        default=None, description="Where `stackwise index build` writes the vector indexes (default: state_dir/index)."
    )
    models_dir: Path | None = Field(
        default=None,
        description="Derived model files (the int8 ONNX export, made once from the packaged weights and shared by "
        "every state folder); default: $XDG_CACHE_HOME/stackwise/models (~/.cache/stackwise/models).",
    )
    embedding: EmbeddingConfig = Field(
        default_factory=EmbeddingConfig,
        description="STACKWISE_EMBEDDING_BACKEND, _MODEL_PATH, _BATCH_SIZE, _THREADS.",
    )
    index_hnsw_threshold: int = Field(
        default=50_000,
        ge=1,
        description="Parts with more vectors than this use an HNSW graph (approximate); smaller ones exact search.",
    )
    skill_adapter_path: Path | None = Field(
        default=INDEX_DATA / "models" / "skill_adapter.npz",
        description="Learned query adapter for skill linking (made by `python -m index.train_skill_adapter`); "
        "unset to link with the plain model.",
    )
    skill_rerank_path: Path | None = Field(
        default=INDEX_DATA / "models" / "skill_rerank.json",
        description="Re-ranker of the skill linker's best candidates for a sentence (made by "
        "`python -m eval.train_rerank`); unset to rank by the first pass alone.",
    )
    link_calibration_path: Path | None = Field(
        default=INDEX_DATA / "models" / "link_calibration.json",
        description="How likely a résumé link is right, and the thresholds to keep or offer it (made by "
        "`python -m eval.calibrate_links`); unset to keep every link the linker finds.",
    )
    database_url: str | None = Field(
        default=None,
        description="SQLAlchemy URL for sessions, profiles and briefs (default: SQLite in state_dir); "
        "postgresql+psycopg://… works the same (install the postgres extra).",
    )
    llm: LLMConfig = Field(
        default_factory=LLMConfig,
        description="The chat model: STACKWISE_LLM_PROVIDER, _MODEL, _BASE_URL, _API_KEY, _GGUF_PATH, _TEMPERATURE, "
        "_MAX_TOKENS, _TIMEOUT_S, _N_CTX, _N_THREADS, _MAX_TOOL_ROUNDS.",
    )
    max_upload_mb: float = Field(default=5, gt=0, le=100, description="Largest résumé or badge file accepted.")
    badge_issuers: Path | None = Field(
        default=None,
        description="Folder of trusted badge issuers' DID documents (`HOST.did.json`), read offline: a badge "
        "signed with one of their keys shows as verified.",
    )
    max_request_kb: int = Field(default=256, ge=1, description="Largest JSON request body accepted.")
    rate_limit: str = Field(
        default="300/minute", description="Requests per API key (or per address without one), `limits` syntax."
    )
    guest_rate_limit: str = Field(default="20/minute", description="Guest sign-ups per address.")
    rate_limit_storage: str = Field(
        default="memory://",
        description="Where rate-limit counters live, as a `limits` storage URL: `memory://` for one API process, "
        "`redis://host:6379` (install the `scale` extra) when several processes share the limits.",
    )
    trusted_proxies: str = Field(
        default="",
        description="Comma-separated addresses of reverse proxies whose X-Forwarded-For is believed; empty "
        "(the default): none, so a client cannot pick the address its limits are counted against.",
    )
    demo_users: bool = Field(
        default=False,
        description="`stackwise serve` creates demo accounts on first start (`make start` turns this on: a local "
        "try-out, where every visitor of the page is shown the demo profiles read-only).",
    )
    api_host: str = "127.0.0.1"
    api_port: int = Field(default=8000, ge=1, le=65535)
    ui_port: int = Field(default=8501, ge=1, le=65535)

    @field_validator("source_data_dir", "bundle_dir", "catalog_path", "state_dir")
    @classmethod
    def _expand(cls, value: Path) -> Path:
        return value.expanduser()

    @field_validator("index_dir", "models_dir")
    @classmethod
    def _expand_optional(cls, value: Path | None) -> Path | None:
        return value.expanduser() if value is not None else None

    @field_validator("embedding")
    @classmethod
    def _expand_model_path(cls, value: EmbeddingConfig) -> EmbeddingConfig:
        return value.with_expanded_path()

    @property
    def index_path(self) -> Path:
        """Where the vector indexes live: ``index_dir`` or ``state_dir/index``."""
        return self.index_dir if self.index_dir is not None else self.state_dir / "index"

    @property
    def models_path(self) -> Path:
        """Derived model files (the ONNX export) live here: ``models_dir`` or the user's cache folder."""
        if self.models_dir is not None:
            return self.models_dir
        cache = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
        return Path(cache).expanduser() / "stackwise" / "models"

    @property
    def database(self) -> str:
        """The database URL: ``database_url`` or SQLite at ``state_dir/stackwise.db``."""
        return self.database_url or f"sqlite:///{(self.state_dir / 'stackwise.db').resolve()}"

    @property
    def esco_dir(self) -> Path:
        return self.source_data_dir / "esco"

    @property
    def api_url(self) -> str:
        return f"http://{self.api_host}:{self.api_port}"
