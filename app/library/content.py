"""app/content/*.yaml (project-written scripts, questions, messages, support) → validated, typed content."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from app.library.yaml_text import load_yaml

__all__ = [
    "CONTENT_DIR",
    "Content",
    "EmergencyText",
    "Line",
    "Pair",
    "PrevisitText",
    "QuestionText",
    "ResourceText",
    "ScriptText",
    "SmallDosesText",
    "SupportGroupText",
    "load_content",
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
    questions: list[str] = Field(min_length=1)


class ResourceText(_Strict):
    name: str
    what: str
    contact: str | None = None
    url: str | None = Field(default=None, pattern=r"^https://\S+$")


class EmergencyText(_Strict):
    """What to do in a medical emergency; `numbers` maps a country code to its emergency number."""

    numbers: dict[str, str] = Field(min_length=1)
    say: Pair
    backed_by: list[str] = Field(min_length=1)


class SupportGroupText(_Strict):
    title: str
    caregiver_only: bool = False
    items: list[ResourceText] = Field(min_length=1)


class Content(_Strict):
    scripts: list[ScriptText]
    questions: list[QuestionText]
    previsit: PrevisitText
    small_doses: SmallDosesText
    support: list[SupportGroupText]
    emergency: EmergencyText

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


def _read(name: str) -> dict[str, Any]:
    data = load_yaml((CONTENT_DIR / name).read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise ValueError(f"{CONTENT_DIR / name} must hold a mapping")
    return data


@lru_cache
def load_content() -> Content:
    """Read once per process; the files ship inside the package."""
    support = _read("support.yaml")
    return Content.model_validate(
        {
            "scripts": _read("scripts.yaml")["scripts"],
            "questions": _read("questions.yaml")["questions"],
            "previsit": _read("previsit.yaml"),
            "small_doses": _read("small_doses.yaml"),
            "support": support["groups"],
            "emergency": support["emergency"],
        }
    )
