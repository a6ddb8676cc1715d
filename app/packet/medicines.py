"""A Story's medicines → each identified once (the Drug its name means, or None), for every decision to share."""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import ValidationError
from pydantic_core import InitErrorDetails, PydanticCustomError

from app.library.drugs import Drug, identify
from app.story import Medication, Story

__all__ = ["DUPLICATE_GENERIC", "Medicine", "identify_medicines"]

DUPLICATE_GENERIC = "duplicate_generic"


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
    """The one place a story's medicine names are looked up; build_packet passes the result on.

    The same generic entered twice ("Xanax" and "alprazolam") would give two totals and a plan that keeps one while
    cutting the other, so the second raises pydantic's ValidationError naming medications[i].name: its doses belong
    in the first entry's `doses`. The API, the form and the CLI call this with the contract's own checks.
    """
    medicines = tuple(Medicine(m, identify(m.name)) for m in story.medications)
    first: dict[str, int] = {}
    errors: list[InitErrorDetails] = []
    for index, medicine in enumerate(medicines):
        generic = medicine.generic
        if generic is None:
            continue
        if generic not in first:
            first[generic] = index
            continue
        errors.append(
            InitErrorDetails(
                type=PydanticCustomError(
                    DUPLICATE_GENERIC,
                    "This is {generic} again (medicine {n}). Give all its doses in one entry, one per time of day",
                    {"generic": generic, "n": first[generic] + 1},
                ),
                loc=("medications", index, "name"),
                input=medicine.name,
            )
        )
    if errors:
        raise ValidationError.from_exception_data("Story", errors)
    return medicines
