"""Plain English text → its US school grade (Flesch–Kincaid), computed offline."""

from __future__ import annotations

from functools import cache
from typing import Any

__all__ = ["MAX_PATIENT_GRADE", "grade"]

MAX_PATIENT_GRADE = 9.0


@cache
def _stats() -> Any:
    """textstat (with NLTK behind it) takes ≈0.5 s to import, and only `packs check` grades text: imported on first use,
    so `taperprep build` and a starting worker never pay for it.

    textstat's "en_US" counts syllables with NLTK's cmudict, which it downloads on first use; taperprep never
    fetches anything, so "en-US" makes textstat count syllables with pyphen's bundled US English dictionary."""
    from textstat.textstat import textstatistics

    stats = textstatistics()
    stats.set_lang("en-US")
    return stats


def grade(text: str) -> float:
    """Flesch–Kincaid grade of the text; 0.0 for text with no words."""
    return float(_stats().flesch_kincaid_grade(text)) if text.strip() else 0.0
