"""Medicine names the drug table does not know → a gentle question beside the field ("Did you mean alprazolam?")."""

from __future__ import annotations

import difflib

from app.library.drugs import DRUGS, identify
from app.library.translations import _
from app.web.form import FormState
from app.web.form_errors import FieldError

__all__ = ["KEEP", "did_you_mean", "name_questions"]

KEEP = "keep_name"
"""The row field set by "Keep it as I typed it": the person has seen the question and the name stands."""
_NAMES = {name.casefold(): name for drug in DRUGS for name in (drug.generic, *drug.brands)}


def did_you_mean(name: str) -> str | None:
    """The one known name closest to a typo ("alprazolm" → "alprazolam"); None when nothing is close."""
    close = difflib.get_close_matches(name.strip().casefold(), _NAMES, n=1, cutoff=0.75)
    return _NAMES[close[0]] if close else None


def name_questions(state: FormState) -> list[FieldError]:
    """One question per medicine name taperprep cannot identify, unless the person chose to keep it as typed."""
    questions = []
    for i, row in enumerate(state.meds):
        name = row.get("name", "").strip()
        if not name or row.get(KEEP) or identify(name) is not None:
            continue
        guess = did_you_mean(name)
        if guess is not None:
            message = _("We don't recognise ‘{name}’. Did you mean {guess}?").format(name=name, guess=guess)
        else:
            message = _(
                "We don't know ‘{name}’ as a benzodiazepine or sleeping pill (a Z-drug). taperprep makes plans "
                "only for those; other medicines can go under “How things are now”. If it is one, keep it "
                "as you typed it."
            ).format(name=name)
        questions.append(FieldError(f"meds-{i}-name", message))
    return questions
