"""Resource-pack folders (pack.yaml) → a validated PackLibrary, and the excerpts that fit a story's tags."""

from __future__ import annotations

from dataclasses import dataclass
import datetime as dt
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from app.errors import PackError, UnknownResources

__all__ = ["Excerpt", "LicenceKind", "Pack", "PackLibrary", "Selected", "load_library", "load_pack"]

Slug = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=80)]
Tag = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_]*$", max_length=60)]


class LicenceKind(StrEnum):
    """Decides what a pack may do: only public-domain text may be quoted word for word."""

    public_domain = "public_domain"
    open = "open"
    all_rights_reserved = "all_rights_reserved"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Excerpt(_Strict):
    id: Slug
    title: str = Field(min_length=1, max_length=160)
    kind: Literal["paraphrase", "quote"] = "paraphrase"
    text: str = Field(min_length=1, max_length=1500)
    locator: str = Field(min_length=1, max_length=200)
    tags: list[Tag] = Field(min_length=1)
    audience: Literal["prescriber", "patient", "both"] = "both"


class Pack(_Strict):
    id: Slug
    title: str = Field(min_length=1, max_length=300)
    short: str = Field(min_length=1, max_length=60, description="How the packet names the source in a citation.")
    publisher: str = Field(min_length=1, max_length=200)
    date: str = Field(min_length=4, max_length=40)
    url: str = Field(pattern=r"^https?://\S+$", max_length=300)
    accessed: dt.date
    licence: str = Field(min_length=1, max_length=300)
    licence_kind: LicenceKind
    attribution: str = Field(min_length=1, max_length=600)
    order: int = Field(default=100, description="Lower comes first in the evidence pages.")
    excerpts: list[Excerpt] = Field(min_length=1)


@dataclass(frozen=True)
class Selected:
    pack: Pack
    excerpt: Excerpt


@dataclass(frozen=True)
class PackLibrary:
    packs: tuple[Pack, ...]

    def excerpt(self, excerpt_id: str) -> Selected:
        for pack in self.packs:
            for excerpt in pack.excerpts:
                if excerpt.id == excerpt_id:
                    return Selected(pack, excerpt)
        raise KeyError(excerpt_id)

    def tags(self) -> set[str]:
        return {t for p in self.packs for e in p.excerpts for t in e.tags}

    def select(self, tags: set[str], requested: list[str] | None = None) -> list[Selected]:
        """`always` plus any excerpt sharing a tag with the story; an explicit list (pack or excerpt ids) overrides."""
        if requested is not None:
            return self._requested(requested)
        wanted = tags | {"always"}
        return [Selected(p, e) for p in self.packs for e in p.excerpts if wanted.intersection(e.tags)]

    def _requested(self, requested: list[str]) -> list[Selected]:
        pack_ids = {p.id for p in self.packs}
        excerpt_ids = {e.id for p in self.packs for e in p.excerpts}
        unknown = [(i, r) for i, r in enumerate(requested) if r not in pack_ids | excerpt_ids]
        if unknown:
            raise UnknownResources(unknown)
        chosen = set(requested)
        return [Selected(p, e) for p in self.packs for e in p.excerpts if p.id in chosen or e.id in chosen]


def load_pack(path: Path) -> Pack:
    """One pack.yaml → Pack; any problem becomes a PackError naming the file and the field."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise PackError(path, "(file)", str(exc).splitlines()[0]) from None
    try:
        return Pack.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(part) for part in first["loc"]) or "(top level)"
        raise PackError(path, field, first["msg"]) from None


def load_library(*folders: Path) -> PackLibrary:
    """Every `*/pack.yaml` under the folders; ids must be unique across all of them."""
    packs: list[Pack] = []
    seen: dict[str, Path] = {}
    for folder in folders:
        if not folder.is_dir():
            raise PackError(folder, "(folder)", "is not a folder of resource packs")
        for path in sorted(folder.glob("*/pack.yaml")):
            pack = load_pack(path)
            for i, item_id in [(None, pack.id), *[(n, e.id) for n, e in enumerate(pack.excerpts)]]:
                field = "id" if i is None else f"excerpts.{i}.id"
                if item_id in seen:
                    raise PackError(path, field, f"id {item_id!r} is already used in {seen[item_id]}")
                seen[item_id] = path
            packs.append(pack)
    return PackLibrary(tuple(sorted(packs, key=lambda p: (p.order, p.id))))
