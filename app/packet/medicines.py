"""A Story's medicines → each identified once (the Drug its name means, or None), for every decision to share."""

from __future__ import annotations

from dataclasses import dataclass

from app.library.drugs import Drug, identify
from app.story import Medication, Story

__all__ = ["Medicine", "identify_medicines"]


@dataclass(frozen=True)
class Medicine:
    """One listed medicine as the person wrote it, with what taperprep knows about it."""

    taken: Medication
    drug: Drug | None

    @property
    def name(self) -> str:
        return self.taken.name

    @property
    def generic(self) -> str | None:
        return self.drug.generic if self.drug else None

    @property
    def other_generic(self) -> str | None:
        """The generic name when it differs from what was typed ("Xanax" → "alprazolam"), else None."""
        generic = self.generic
        return generic if generic and generic.casefold() != self.name.casefold() else None

    @property
    def label(self) -> str:
        """ "Xanax (alprazolam)", or the name as typed when that already is the generic or is unknown."""
        return f"{self.name} ({self.other_generic})" if self.other_generic else self.name


def identify_medicines(story: Story) -> tuple[Medicine, ...]:
    """The one place a story's medicine names are looked up; build_packet passes the result on."""
    return tuple(Medicine(m, identify(m.name)) for m in story.medications)
