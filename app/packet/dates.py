"""A date → its words in the language being spoken: "2 December 2026" / "2 de diciembre de 2026", short, weekday.

Formatted by babel (CLDR) in every language, English included, so one path prints every date; the English patterns
give exactly what the pages printed before with strftime."""

from __future__ import annotations

import datetime as dt

from babel.dates import format_date

from app.library.translations import language
from app.story import Language

__all__ = ["long_date", "short_date", "weekday_date"]

_PATTERNS: dict[Language, tuple[str, str, str]] = {
    Language.en: ("d MMMM y", "d MMM y", "EEE d MMM"),
    Language.es: ("d 'de' MMMM 'de' y", "d MMM y", "EEE d MMM"),
}
"""Per language: long (when a source was checked), short (steps of a plan), weekday (a diary's days). CLDR's
abbreviations carry no full stop in English ("Dec") and none in Spanish ("dic")."""


def _format(day: dt.date, which: int) -> str:
    spoken = language()
    return format_date(day, format=_PATTERNS[spoken][which], locale=spoken.value)


def long_date(day: dt.date) -> str:
    return _format(day, 0)


def short_date(day: dt.date) -> str:
    return _format(day, 1)


def weekday_date(day: dt.date) -> str:
    return _format(day, 2)
