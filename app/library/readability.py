"""Plain text → how hard it is to read, computed offline: English as a US school grade (Flesch–Kincaid), Spanish as a
Fernández-Huerta reading ease (higher is easier)."""

from __future__ import annotations

import re
from functools import cache
from typing import Any

__all__ = ["MAX_PATIENT_GRADE", "MIN_SPANISH_EASE", "fernandez_huerta", "grade"]

MAX_PATIENT_GRADE = 9.0

MIN_SPANISH_EASE = 60.0
"""Fernández-Huerta's scale (1959): 90–100 very easy (US grade 4), 80–90 easy (grade 5), 70–80 fairly easy (grade 6),
60–70 standard (grades 7–8), 50–60 fairly difficult (high school), 30–50 difficult (college), under 30 very difficult.
60 is "about US grade 8", the level the design asks of patient-facing text."""

_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_SENTENCE_END = re.compile(r"[.!?…]+(?=\s|$)|\n+")


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


@cache
def _spanish_hyphenator() -> Any:
    """pyphen's bundled Spanish dictionary (it ships with WeasyPrint), one syllable break per hyphenation point."""
    import pyphen  # type: ignore[import-untyped]  # pyphen ships no type information

    return pyphen.Pyphen(lang="es", left=1, right=1)


def _syllables(word: str) -> int:
    return len(_spanish_hyphenator().positions(word.casefold())) + 1


def fernandez_huerta(text: str) -> float:
    """Fernández-Huerta reading ease of Spanish text: 206.84 − 0.60·P − 1.02·F, with P the syllables per 100 words
    and F the words per sentence (Fernández Huerta 1959, as Law 2011 corrects its often misquoted F; legible.es uses
    the same). A sentence ends at . ! ? … or a line break; 0.0 for text with no words. Syllables are pyphen's, so the
    same text always scores the same, offline (textstat's fernandez_huerta agrees, but its sentence count leaves out
    sentences of one or two words)."""
    words = _WORD.findall(text)
    if not words:
        return 0.0
    sentences = max(1, len(_SENTENCE_END.findall(text.strip())))
    syllables = sum(_syllables(word) for word in words)
    return 206.84 - 0.60 * 100 * syllables / len(words) - 1.02 * len(words) / sentences
