"""Driftrec settings: the one place that knows where things live and which defaults apply.

Values come, in order of precedence, from command-line flags (passed as keyword arguments),
``DRIFTREC_*`` environment variables, and the defaults below.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_DATASET = "ml-latest-small"
DEFAULT_ENCODER = "all-MiniLM-L6-v2"
GROUPLENS_BASE_URL = "https://files.grouplens.org/datasets/movielens"


class Settings(BaseSettings):
    """Runtime configuration shared by every driftrec command.

    Attributes:
        home: Root for the Chroma database, the event log and caches.
        data_dir: Folder holding MovieLens releases under their GroupLens names.
        dataset: Name of the MovieLens release to work on.
        chroma_url: ``http://host:port`` of a Chroma server; empty means the embedded store under ``home``.
        events_url: ``postgresql://user@host:port/db`` of a PostgreSQL event log shared by several
            processes or machines; empty means the SQLite file under ``home``.
        encoder: Sentence-transformers model: the bundled default, a hub id or a local path.
        keywords: Optional CSV of ``movieId,keyword`` rows that enrich the item text.
        grouplens_url: Base URL that ``data fetch`` downloads from (a mirror can be set here).
        encode_batch_size: Texts per encoder batch.
        llm: Chat model as ``BACKEND:MODEL``: backend ``llamacpp`` (GGUF on CPU), ``transformers``
            (any hub id or local path; GPU when there is one) or ``openai`` (a server at ``llm_url``);
            model a bundled name (``qwen2.5-0.5b``, ``smollm2-135m``), a path or a hub id.
            ``auto`` picks transformers on a GPU and llama.cpp otherwise, with the Qwen 0.5B model;
            ``none`` runs the agent without a generative model (rule-based replies).
        llm_url: Base URL of an OpenAI-compatible server (e.g. vLLM's ``http://host:8000/v1``).
        llm_api_key: Key for that server (many local servers accept any value).
    """

    model_config = SettingsConfigDict(env_prefix="DRIFTREC_", extra="ignore")

    home: Path = Field(default_factory=lambda: Path.home() / ".driftrec")
    data_dir: Path | None = None
    dataset: str = DEFAULT_DATASET
    chroma_url: str | None = None
    events_url: str | None = None
    encoder: str = DEFAULT_ENCODER
    keywords: Path | None = None
    grouplens_url: str = GROUPLENS_BASE_URL
    encode_batch_size: int = 128
    llm: str = "auto"
    llm_url: str | None = None
    llm_api_key: str | None = None

    @field_validator("home", "data_dir", "keywords", mode="after")
    @classmethod
    def _expand(cls, value: Path | None) -> Path | None:
        return value.expanduser().absolute() if value is not None else None

    @field_validator("chroma_url", mode="after")
    @classmethod
    def _blank_is_none(cls, value: str | None) -> str | None:
        return value or None

    @field_validator("events_url", mode="after")
    @classmethod
    def _postgres_url(cls, value: str | None) -> str | None:
        if value and not value.startswith(("postgresql://", "postgres://")):
            raise ValueError(f"events URL must start with postgresql:// (got {value.split('://')[0]}://...)")
        return value or None

    @model_validator(mode="after")
    def _default_data_dir(self) -> "Settings":
        if self.data_dir is None:
            self.data_dir = self.home / "data"
        return self

    @property
    def chroma_path(self) -> Path:
        """Folder of the embedded Chroma database."""
        return self.home / "chroma"

    @property
    def cache_dir(self) -> Path:
        """Folder for derived files (item matrices, converted models)."""
        return self.home / "cache"

    @property
    def dataset_dir(self) -> Path:
        """Folder of the selected MovieLens release."""
        assert self.data_dir is not None
        return self.data_dir / self.dataset


def load_settings(**overrides: object) -> Settings:
    """Build settings from flags, ignoring flags the user did not give (``None``)."""
    given = {key: value for key, value in overrides.items() if value is not None}
    return Settings(**given)
