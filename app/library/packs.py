"""The resource-pack format (pack.yaml) → typed Packs in a PackLibrary, read in the language being spoken, and the
excerpts that fit a story's tags."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from app.errors import UnknownResources
from app.library.translations import N_, language, translations
from app.library.yaml_messages import translated
from app.story import Language

__all__ = [
    "TRANSLATED_QUOTE",
    "Citation",
    "Excerpt",
    "LicenceKind",
    "Pack",
    "PackLibrary",
    "Selected",
    "pack_in",
    "sources",
]

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
    seen: Literal["primary", "secondary"] = Field(
        default="primary",
        description="secondary: seen only in another source's copy or summary, so it stays out of the prescriber copy.",
    )
    translation: str | None = Field(
        default=None,
        max_length=1500,
        description="A quotation's words in the reader's language, translated by taperprep; set when the pack is "
        "read in another language (its catalog), never written in pack.yaml.",
    )

    @model_validator(mode="after")
    def _only_quotes_are_translated_beside(self) -> Excerpt:
        if self.translation is not None and self.kind != "quote":
            raise ValueError("only a quotation carries a translation beside it; a paraphrase is translated itself")
        return self


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
    kind: Literal["guideline", "survey", "resource"] = Field(
        default="guideline", description="Only guidelines and regulators' texts reach the prescriber copy."
    )
    reference: str = Field(
        default="",
        max_length=400,
        description="The one-line reference: author or body, title, year, where the locators point, address.",
    )
    credit: str | None = Field(default=None, max_length=400, description="Only the attribution the licence requires.")
    plain: str = Field(default="", max_length=120, description="The source in plain words, for the booklet.")
    excerpts: list[Excerpt] = Field(min_length=1)


@dataclass(frozen=True)
class Citation:
    """An excerpt as the packet cites it; `source` is the one way a citation reads ("ASAM 2025, Rec. 6")."""

    excerpt_id: str
    short: str
    locator: str
    title: str
    text: str
    quote: bool
    number: int | None = None
    """Its entry in a numbered reference list (the prescriber copy's), when it has one."""
    translation: str | None = None
    """A quotation's words in the reader's language ("Traducción de taperprep: …"); the quote itself stays verbatim."""

    @property
    def source(self) -> str:
        numbered = f" [{self.number}]" if self.number is not None else ""
        return f"{self.short}, {self.locator}{numbered}"


def sources(citations: Iterable[Citation]) -> str:
    """Several citations in one parenthesis: "ASAM 2025, Rec. 6; FDA 2020, para. 2"."""
    return "; ".join(c.source for c in citations)


@dataclass(frozen=True)
class Selected:
    pack: Pack
    excerpt: Excerpt

    @property
    def citation(self) -> Citation:
        e = self.excerpt
        return Citation(e.id, self.pack.short, e.locator, e.title, e.text, e.kind == "quote", translation=e.translation)


TRANSLATED_QUOTE = N_("Translation by taperprep: {words}")
"""How a quotation's translation is marked, so no reader takes our words for the source's."""


def pack_in(pack: Pack, gettext: Callable[[str], str]) -> Pack:
    """A pack with its words (yaml_messages.WORD_KEYS) put through `gettext`. A quotation stays word for word, with
    its translation beside it, marked as ours, when the catalog has one; words the catalog lacks (an organisation's
    own pack) stay as written."""
    data = translated(pack.model_dump(), gettext)
    for written, excerpt in zip(pack.excerpts, data["excerpts"], strict=True):
        if written.kind == "quote":
            words = gettext(written.text)
            marked = gettext(TRANSLATED_QUOTE).format(words=words) if words != written.text else None
            excerpt.update(text=written.text, translation=marked)
    return Pack.model_validate(data)


@dataclass(frozen=True)
class PackLibrary:
    """The packs as written (English); every look-up reads them in the language being spoken
    (translations.speaking), each language translated once."""

    written: tuple[Pack, ...]
    _spoken: dict[Language, tuple[Pack, ...]] = field(
        default_factory=dict, init=False, repr=False, compare=False, hash=False
    )

    @property
    def packs(self) -> tuple[Pack, ...]:
        return self.packs_in(language())

    def packs_in(self, spoken: Language) -> tuple[Pack, ...]:
        if spoken is Language.en:
            return self.written
        if spoken not in self._spoken:
            gettext = translations(spoken).gettext
            self._spoken[spoken] = tuple(pack_in(p, gettext) for p in self.written)
        return self._spoken[spoken]

    def excerpt(self, excerpt_id: str) -> Selected:
        for pack in self.packs:
            for excerpt in pack.excerpts:
                if excerpt.id == excerpt_id:
                    return Selected(pack, excerpt)
        raise KeyError(excerpt_id)

    def cite(self, excerpt_id: str) -> Citation | None:
        """The one look-up for a citation the packet may leave out when a pack is missing."""
        try:
            return self.excerpt(excerpt_id).citation
        except KeyError:
            return None

    def cite_all(self, excerpt_ids: Iterable[str]) -> list[Citation]:
        """Citations the project's own content relies on; the validator guarantees they exist (else KeyError)."""
        return [self.excerpt(i).citation for i in excerpt_ids]

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
