"""Plain English text → its US school grade (Flesch–Kincaid), computed offline."""

from __future__ import annotations

from textstat.textstat import textstatistics

__all__ = ["MAX_PATIENT_GRADE", "grade"]

MAX_PATIENT_GRADE = 9.0

# textstat's "en_US" counts syllables with NLTK's cmudict, which it downloads on first use; taperprep never
# fetches anything, so "en-US" makes textstat count syllables with pyphen's bundled US English dictionary.
_STATS = textstatistics()
_STATS.set_lang("en-US")


def grade(text: str) -> float:
    """Flesch–Kincaid grade of the text; 0.0 for text with no words."""
    return float(_STATS.flesch_kincaid_grade(text)) if text.strip() else 0.0
