"""Environment (TAPERPREP_*) and .env → one typed Settings object, built once and injected."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

__all__ = ["ROOT", "Settings", "get_settings"]

ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="TAPERPREP_", env_file=".env", extra="ignore")

    templates_dir: Path = Field(default=ROOT / "templates", description="Templates, CSS and fonts of the packet.")
    packs_dir: Path = Field(default=ROOT / "resource_packs", description="The shipped resource packs.")
    extra_packs_dir: Path | None = Field(
        default=None, description="An organisation's own resource packs, validated like the shipped ones."
    )
    max_json_bytes: int = Field(default=256 * 1024, description="Largest JSON body accepted (413 beyond).")
    max_upload_bytes: int = Field(
        default=2 * 1024 * 1024, description="Largest form or file upload accepted (413 beyond)."
    )
    render_timeout_seconds: float = Field(default=30.0, description="A render that takes longer answers 503.")
    render_queue: int = Field(default=8, description="Renders that may wait for the renderer before 503 + Retry-After.")

    def pack_folders(self) -> list[Path]:
        return [self.packs_dir, *([self.extra_packs_dir] if self.extra_packs_dir else [])]


@lru_cache
def get_settings() -> Settings:
    return Settings()
