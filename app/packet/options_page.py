"""A Story + its tags + the options wording → the options page: four choices, each with cited benefits and risks."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from app.library.options_text import OptionsText, PointText
from app.library.packs import Citation, PackLibrary
from app.library.translations import _
from app.packet.copies import plain_sources
from app.packet.phrasing import method_words
from app.packet.words import months_words
from app.story import Story, months_taking

__all__ = ["OptionPoint", "OptionView", "OptionsPage", "options_page"]


@dataclass(frozen=True)
class OptionPoint:
    text: str
    backed_by: tuple[Citation, ...]
    sources: str
    """The booklet's "backed by" words for it: its sources in plain words."""


@dataclass(frozen=True)
class OptionView:
    id: str
    title: str
    benefits: tuple[OptionPoint, ...]
    risks: tuple[OptionPoint, ...]


@dataclass(frozen=True)
class OptionsPage:
    heading: str
    intro: str
    situation: tuple[str, ...]
    options: tuple[OptionView, ...]
    values_heading: str
    values_hint: str
    values: tuple[str, ...]
    value_examples: tuple[str, ...]


def _situation(story: Story, today: dt.date) -> tuple[str, ...]:
    """What the page was written for, in a few words: age, each medicine and how long, past attempts."""
    age = story.patient.age
    facts = [_("Age {age}").format(age=age)] if age is not None else []
    facts += [f"{m.name}, {months_words(months_taking(m.taking_since, today))}" for m in story.medications]
    if story.past_attempts:
        tried = ", ".join(dict.fromkeys(method_words(a.method) for a in story.past_attempts))
        facts.append(_("Tried before: {methods}").format(methods=tried))
    else:
        facts.append(_("No past attempts to reduce or stop"))
    return tuple(facts)


def _point(point: PointText, tags: set[str], library: PackLibrary) -> OptionPoint | None:
    text, backed_by = point.for_tags(tags)
    citations = [library.cite(i) for i in backed_by]
    if any(c is None for c in citations):  # cited or absent
        return None
    cited = tuple(c for c in citations if c)
    return OptionPoint(text, cited, plain_sources(cited, library)[0])


def options_page(
    story: Story, tags: set[str], wording: OptionsText, library: PackLibrary, today: dt.date
) -> OptionsPage:
    """Each option in the same detail and the same neutral tone; no option is marked as the person's own."""
    options = tuple(
        OptionView(
            o.id,
            o.title,
            tuple(p for p in (_point(b, tags, library) for b in o.benefits) if p),
            tuple(p for p in (_point(r, tags, library) for r in o.risks) if p),
        )
        for o in wording.options
    )
    chosen = {v.casefold() for v in story.goals.values}
    return OptionsPage(
        heading=wording.heading,
        intro=wording.intro,
        situation=_situation(story, today),
        options=options,
        values_heading=wording.values_heading,
        values_hint=wording.values_hint,
        values=tuple(story.goals.values),
        value_examples=tuple(v for v in wording.values_examples if v.casefold() not in chosen),
    )
