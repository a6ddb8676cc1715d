"""app/content/*.yaml (project-written scripts, questions, messages, support) → validated, typed content, in the
language being spoken."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from app.library.translations import language, translations
from app.library.yaml_messages import translated
from app.library.yaml_text import load_yaml
from app.story import Country, Language

__all__ = [
    "CONTENT_DIR",
    "Content",
    "CountrySupport",
    "EmergencyText",
    "LearningMoreText",
    "Line",
    "Pair",
    "PrevisitText",
    "QuestionText",
    "ResourceText",
    "ScriptText",
    "SmallDosesText",
    "SupportGroupText",
    "load_content",
    "read_content_file",
]

CONTENT_DIR = Path(__file__).resolve().parent / "content"

Tag = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _both(value: object) -> object:
    """A plain string is the same words in both voices."""
    return {"patient": value, "caregiver": value} if isinstance(value, str) else value


class Line(_Strict):
    """Words in the patient's voice and in a caregiver's (app.packet.voice placeholders allowed)."""

    patient: str | None = None
    caregiver: str = Field(min_length=1)
    only_tags: list[Tag] = Field(default_factory=list)
    unless_tags: list[Tag] = Field(default_factory=list)


Words = Annotated[Line, BeforeValidator(_both)]


class ScriptText(_Strict):
    id: str
    title: str
    when: str
    when_tags: list[Tag] = Field(min_length=1)
    first_tags: list[Tag] = Field(default_factory=list)
    say: list[Words] = Field(min_length=1)
    after: Words | None = None
    backed_by: list[str] = Field(min_length=1)


class QuestionText(Line):
    tags: list[Tag] = Field(min_length=1)


class Pair(_Strict):
    """Words both voices must have."""

    patient: str = Field(min_length=1)
    caregiver: str = Field(min_length=1)


class PrevisitText(_Strict):
    subject: Pair
    body: Pair


class SmallDosesText(_Strict):
    note: str
    backed_by: list[str] = Field(min_length=1)
    questions: list[Words] = Field(min_length=1)


class ResourceText(_Strict):
    """One line of help; `checked` is the day a stored copy showed its contact or address. `name` is the service's
    own name, never translated. `languages`: listed only for readers of these languages (a line in Spanish, say)."""

    name: str
    what: str
    contact: str | None = None
    url: str | None = Field(default=None, pattern=r"^https?://\S+$")
    checked: dt.date
    languages: list[Language] = Field(default_factory=list)

    def speaks(self, spoken: Language) -> bool:
        return not self.languages or spoken in self.languages


class EmergencyText(_Strict):
    """What to do in a medical emergency; {emergency_number} comes from the country."""

    say: Pair
    backed_by: list[str] = Field(min_length=1)


class SupportGroupText(_Strict):
    title: str
    items: list[ResourceText] = Field(min_length=1)


class CountrySupport(_Strict):
    """A country's emergency number and its crisis, talk and peer lines, crisis first."""

    name: str
    emergency: str
    groups: list[SupportGroupText] = Field(min_length=1)


class LearningMoreText(_Strict):
    """A line for the clinician at the end of the prescriber copy, checked in a stored copy on `checked`."""

    what: str
    by: str
    url: str | None = Field(default=None, pattern=r"^https?://\S+$")
    checked: dt.date


class Content(_Strict):
    scripts: list[ScriptText]
    questions: list[QuestionText]
    previsit: PrevisitText
    small_doses: SmallDosesText
    support: dict[Country, CountrySupport]
    caregiver_support: list[SupportGroupText]
    emergency: EmergencyText
    learning_more: list[LearningMoreText]

    def tags(self) -> set[str]:
        """Every tag the content's selection rules use."""
        found = {t for s in self.scripts for t in (*s.when_tags, *s.first_tags)}
        found |= {t for s in self.scripts for line in s.say for t in (*line.only_tags, *line.unless_tags)}
        return found | {t for q in self.questions for t in q.tags}

    def cited(self) -> set[str]:
        """Every excerpt id the content points to as its evidence."""
        return (
            {i for s in self.scripts for i in s.backed_by}
            | set(self.small_doses.backed_by)
            | set(self.emergency.backed_by)
        )


def read_content_file(name: str, spoken: Language) -> dict[str, Any]:
    """One file of app/library/content/, its words (yaml_messages.WORD_KEYS) in the language `spoken`."""
    data = load_yaml((CONTENT_DIR / name).read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise ValueError(f"{CONTENT_DIR / name} must hold a mapping")
    if spoken is Language.en:
        return data
    words: dict[str, Any] = translated(data, translations(spoken).gettext)
    return words


def _spoken_only(groups: list[SupportGroupText], spoken: Language) -> list[SupportGroupText]:
    """Each group with only the lines for readers of `spoken`; a group left empty goes."""
    kept = [g.model_copy(update={"items": [r for r in g.items if r.speaks(spoken)]}) for g in groups]
    return [g for g in kept if g.items]


def load_content(spoken: Language | None = None) -> Content:
    """The content in `spoken`, by default the language being spoken now (translations.speaking)."""
    return _load_content(spoken or language())


@lru_cache
def _load_content(spoken: Language) -> Content:
    """Read once per process and language; the files ship inside the package."""
    support = read_content_file("support.yaml", spoken)
    content = Content.model_validate(
        {
            "scripts": read_content_file("scripts.yaml", spoken)["scripts"],
            "questions": read_content_file("questions.yaml", spoken)["questions"],
            "previsit": read_content_file("previsit.yaml", spoken),
            "small_doses": read_content_file("small_doses.yaml", spoken),
            "support": support["countries"],
            "caregiver_support": support["caregivers"],
            "emergency": support["emergency"],
            "learning_more": read_content_file("learning_more.yaml", spoken)["items"],
        }
    )
    return content.model_copy(
        update={
            "support": {
                country: s.model_copy(update={"groups": _spoken_only(s.groups, spoken)})
                for country, s in content.support.items()
            },
            "caregiver_support": _spoken_only(content.caregiver_support, spoken),
        }
    )
