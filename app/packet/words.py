"""Numbers, lists and dates → the words the packet prints: "A, B and C", "2.5 mg", "10%", "3 times a day", "about 2
years", "15 January 2027" (in the language being spoken)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from fractions import Fraction

from app.library.translations import N_, _, language, ngettext
from app.story import DoseTime, Language

__all__ = [
    "TIME_WORDS",
    "and_list",
    "long_date",
    "mg",
    "months_words",
    "number",
    "page_of_words",
    "percent",
    "plural",
    "plural_n",
    "share",
    "short_date",
]

TIME_WORDS: dict[DoseTime, str] = {
    DoseTime.morning: N_("Morning"),
    DoseTime.midday: N_("Midday"),
    DoseTime.afternoon: N_("Afternoon"),
    DoseTime.evening: N_("Evening"),
    DoseTime.bedtime: N_("Bedtime"),
    DoseTime.other: N_("Other time"),
}
"""Each time of day the contract knows, in the day's order, as the taper's rows and the form both name it (in
English: translate with `_()` where it is shown)."""

_SPANISH_E = re.compile(r"h?i(?![aeouáéóú])", re.I)
"""Spanish writes "e" for "and" before a word that starts with the sound /i/ ("madre e hija", but "agua y hielo")."""


def and_list(items: Iterable[str]) -> str:
    """ "A", "A and B", "A, B and C"; repeats are dropped, first mention kept."""
    names = list(dict.fromkeys(items))
    if len(names) <= 1:
        return "".join(names)
    pattern = _("{first} and {last}")
    if language() is Language.es and _SPANISH_E.match(names[-1]):
        pattern = " e ".join(pattern.rsplit(" y ", 1))
    return pattern.format(first=", ".join(names[:-1]), last=names[-1])


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
    """ "1 time", "2 times", "1.5 times" (the count as `number` prints it). English only: `count_words` translates."""
    return f"{number(count)} {word if count == 1 else (words or word + 's')}"


def plural_n(count: float) -> int:
    """The count ngettext chooses a form by: a fraction (1.5) takes the plural, as in English and Spanish. Write
    `ngettext("{n} step", "{n} steps", plural_n(k)).format(n=number(k))` so the message is extracted whole."""
    return 1 if count == 1 else max(2, int(count))


def months_words(months: int) -> str:
    """How long, roughly: "less than a month", "about 5 months", "about 3 years" (from 24 months, the nearest year)."""
    if months < 1:
        return _("less than a month")
    if months < 24:
        return ngettext("about {n} month", "about {n} months", plural_n(months)).format(n=number(months))
    return _("about {n} years").format(n=round(months / 12))


def long_date(day: dt.date) -> str:
    """ "15 January 2027"; "15 de enero de 2027" in Spanish."""
    if language() is Language.es:
        from babel.dates import format_date

        return str(format_date(day, format="d 'de' MMMM 'de' y", locale="es"))
    return f"{day:%-d %B %Y}"


def short_date(day: dt.date) -> str:
    """ "15 Jan"; "15 ene" in Spanish (a chart's axis)."""
    if language() is Language.es:
        from babel.dates import format_date

        return str(format_date(day, format="d MMM", locale="es")).rstrip(".")
    return f"{day:%-d %b}"


def page_of_words() -> tuple[str, str, str]:
    """ "Page x of y" in the language being spoken, cut around its two numbers for the footer's CSS counters:
    ("Page ", " of ", "") in English, ("Página ", " de ", "") in Spanish (packet.css reads them with string())."""
    words = _("Page %(n)s of %(total)s")
    before, rest = words.split("%(n)s", 1)
    between, after = rest.split("%(total)s", 1)
    return before, between, after
