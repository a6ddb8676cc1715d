"""app/content/options.yaml → the validated wording of the options page (stay, reduce, stop, not decided yet), in the
language being spoken."""

from __future__ import annotations

from functools import lru_cache
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, model_validator

from app.library.content import read_content_file
from app.library.translations import language
from app.story import Language

__all__ = ["OPTION_IDS", "OptionText", "OptionsText", "PointText", "Variant", "load_options_text"]

OPTION_IDS = ("stay", "reduce", "stop", "undecided")
"""The four options, in the order the page shows them; `Decision` in the contract has the same values."""

Tag = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Variant(_Strict):
    """The same point said for a situation: used when the story has every one of `when_tags`."""

    when_tags: list[Tag] = Field(min_length=1)
    text: str = Field(min_length=1, max_length=300)
    backed_by: list[str] = Field(min_length=1)


class PointText(_Strict):
    text: str = Field(min_length=1, max_length=300)
    backed_by: list[str] = Field(min_length=1)
    instead: list[Variant] = Field(default_factory=list)

    def for_tags(self, tags: set[str]) -> tuple[str, list[str]]:
        """The words and sources that fit the story: the first matching variant, else the general point."""
        chosen = next((v for v in self.instead if set(v.when_tags) <= tags), None)
        return (chosen.text, chosen.backed_by) if chosen else (self.text, self.backed_by)


class OptionText(_Strict):
    id: str
    title: str = Field(min_length=1, max_length=80)
    benefits: list[PointText] = Field(min_length=1)
    risks: list[PointText] = Field(min_length=1)


class OptionsText(_Strict):
    heading: str
    intro: str
    values_heading: str
    values_hint: str
    values_examples: list[str] = Field(min_length=1, max_length=8)
    options: list[OptionText]

    @model_validator(mode="after")
    def _equal_detail(self) -> OptionsText:
        """Decision-aid standards (IPDAS) ask for every option in equal detail: the file cannot say otherwise."""
        if [o.id for o in self.options] != list(OPTION_IDS):
            raise ValueError(f"options must be exactly {', '.join(OPTION_IDS)}, in that order")
        counts = {(len(o.benefits), len(o.risks)) for o in self.options}
        if len(counts) != 1 or len({n for pair in counts for n in pair}) != 1:
            raise ValueError("every option needs the same number of benefits and of risks")
        return self

    def cited(self) -> set[str]:
        """Every excerpt id the page may cite, in every situation."""
        points = [p for o in self.options for p in (*o.benefits, *o.risks)]
        return {i for p in points for i in (*p.backed_by, *(i for v in p.instead for i in v.backed_by))}

    def tags(self) -> set[str]:
        return {t for o in self.options for p in (*o.benefits, *o.risks) for v in p.instead for t in v.when_tags}


def load_options_text(spoken: Language | None = None) -> OptionsText:
    """The options page's words in `spoken`, by default the language being spoken now."""
    return _load_options_text(spoken or language())


@lru_cache
def _load_options_text(spoken: Language) -> OptionsText:
    """Read once per process and language; the file ships inside the package."""
    return OptionsText.model_validate(read_content_file("options.yaml", spoken))
