"""Numbers and lists → the words the packet prints: "A, B and C", "2.5 mg", "10%", "3 times a day", "about 2 years"."""

from __future__ import annotations

from collections.abc import Iterable
from fractions import Fraction

from app.story import DoseTime

__all__ = ["TIME_WORDS", "and_list", "mg", "months_words", "number", "percent", "plural", "share"]

TIME_WORDS: dict[DoseTime, str] = {
    DoseTime.morning: "Morning",
    DoseTime.midday: "Midday",
    DoseTime.afternoon: "Afternoon",
    DoseTime.evening: "Evening",
    DoseTime.bedtime: "Bedtime",
    DoseTime.other: "Other time",
}
"""Each time of day the contract knows, in the day's order, as the taper's rows and the form both name it."""


def and_list(items: Iterable[str]) -> str:
    """ "A", "A and B", "A, B and C"; repeats are dropped, first mention kept."""
    names = list(dict.fromkeys(items))
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def number(value: float | Fraction, significant: int | None = None) -> str:
    """2.0 → "2", 0.625 → "0.625"; with `significant`, rounded first (chart axes: 3 → "6.67")."""
    value = float(value)
    if significant is not None:
        value = float(f"{value:.{significant}g}")
    return f"{value:g}"


def mg(value: float | Fraction) -> str:
    return f"{number(value)} mg"


def percent(value: float) -> str:
    """Whole percents from 10% up, one decimal below, where a tenth is still a real difference."""
    return f"{value:.0f}%" if value >= 10 else f"{value:.1f}%"


def share(part: Fraction) -> str:
    """A share of the whole (1/8) as `percent` prints it ("12.5%" → "12%" from 10% up)."""
    return percent(float(part * 100))


def plural(count: float, word: str, words: str | None = None) -> str:
    """ "1 time", "2 times", "1.5 times" (the count as `number` prints it)."""
    return f"{number(count)} {word if count == 1 else (words or word + 's')}"


def months_words(months: int) -> str:
    """How long, roughly: "less than a month", "about 5 months", "about 3 years" (from 24 months, the nearest year)."""
    if months < 1:
        return "less than a month"
    if months < 24:
        return f"about {plural(months, 'month')}"
    return f"about {round(months / 12)} years"
