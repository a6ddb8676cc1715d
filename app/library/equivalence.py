"""A drug and its daily dose → the approximate diazepam-equivalent range, with the sources it comes from."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

__all__ = [
    "NO_EQUIVALENCE",
    "ROUGH_GUIDE",
    "SECONDARY_NOTE",
    "SOURCES",
    "EquivalentRange",
    "Figure",
    "diazepam_equivalent",
    "equivalence_note",
    "equivalence_text",
    "figures_for",
]

SOURCES: dict[str, str] = {
    "Ashton 2002": "Ashton Manual column of the ASAM 2025 pocket guide, Table 7, p. 19",
    "VA/DoD 2021": "VA/DoD 2021 column of the ASAM 2025 pocket guide, Table 7, p. 19",
    "Ashton 2002, via secondary reproduction": (
        "Ashton Manual Table 1 as reproduced by a secondary source, not checked against the manual itself"
    ),
}

NO_EQUIVALENCE = "no equivalence listed"
ROUGH_GUIDE = "Diazepam equivalents are rough guides that differ between sources and between people."
TABLE_7_NOTE = (
    "Where Ashton 2002 and VA/DoD 2021 are named, the figures are the two columns of the ASAM 2025 pocket guide, "
    "Table 7 and its notes, p. 19."
)
SECONDARY_NOTE = (
    "Figures marked “via secondary reproduction” are Ashton's Table 1 as copied by a secondary source. "
    "They are not in ASAM's Table 7 and were not checked against the manual."
)


@dataclass(frozen=True)
class Figure:
    """One source's dose of a drug taken as roughly equal to 10 mg diazepam (a range when the source gives one)."""

    source: str
    low_mg: float
    high_mg: float

    def __post_init__(self) -> None:
        if self.source not in SOURCES:
            raise ValueError(f"unknown equivalence source {self.source!r}")


_ASHTON, _VA, _SECONDARY = "Ashton 2002", "VA/DoD 2021", "Ashton 2002, via secondary reproduction"


def _table7(ashton: float | tuple[float, float], va_dod: float) -> tuple[Figure, ...]:
    low, high = ashton if isinstance(ashton, tuple) else (ashton, ashton)
    return Figure(_ASHTON, low, high), Figure(_VA, va_dod, va_dod)


def _secondary(low: float, high: float | None = None) -> tuple[Figure, ...]:
    return (Figure(_SECONDARY, low, high if high is not None else low),)


# sources.md §4a. The 12 drugs of ASAM's Table 7 carry both of its columns; the rest carry only Ashton's Table 1
# as seen in a secondary reproduction, and say so wherever they are shown.
_FIGURES: dict[str, tuple[Figure, ...]] = {
    "alprazolam": _table7(0.5, 1),
    "chlordiazepoxide": _table7(25, 25),
    "clonazepam": _table7(0.5, 1),
    "clorazepate": _table7(15, 15),
    "diazepam": _table7(10, 10),
    "estazolam": _table7((1, 2), 1),
    "flurazepam": _table7((15, 30), 15),
    "lorazepam": _table7(1, 2),
    "oxazepam": _table7(20, 30),
    "quazepam": _table7(20, 10),
    "temazepam": _table7(20, 15),
    "triazolam": _table7(0.5, 0.25),
    "bromazepam": _secondary(5, 6),
    "clobazam": _secondary(20),
    "flunitrazepam": _secondary(1),
    "loprazolam": _secondary(1, 2),
    "lormetazepam": _secondary(1, 2),
    "nitrazepam": _secondary(10),
    "zaleplon": _secondary(20),
    "zolpidem": _secondary(20),
    "zopiclone": _secondary(15),
    "eszopiclone": _secondary(3),
}


@dataclass(frozen=True)
class EquivalentRange:
    """Diazepam mg a day, from the lowest to the highest figure across the sources."""

    low_mg: float
    high_mg: float
    sources: tuple[str, ...]

    @property
    def text(self) -> str:
        low, high = _amount(self.low_mg), _amount(self.high_mg)
        if low != high:
            return f"about {low}–{high} mg diazepam a day ({'; '.join(self.sources)})"
        if len(self.sources) == 1:
            return f"about {low} mg diazepam a day (one source only: {self.sources[0]}; other tables may differ)"
        agree = " and ".join(self.sources)
        return f"about {low} mg diazepam a day ({agree} agree; other tables may differ)"


def _amount(mg: float) -> str:
    """Two significant figures are all an approximate equivalent can claim."""
    rounded = float(f"{mg:.2g}")
    return f"{rounded:.0f}" if rounded >= 10 else f"{rounded:g}"


def figures_for(generic: str) -> tuple[Figure, ...]:
    return _FIGURES.get(generic.casefold(), ())


def diazepam_equivalent(generic: str, daily_mg: float) -> EquivalentRange | None:
    """None when no source gives a figure, so the packet can say "no equivalence listed" rather than guess."""
    figures = figures_for(generic)
    if not figures or not daily_mg > 0:
        return None
    per_10mg = [mg for f in figures for mg in (f.low_mg, f.high_mg)]
    return EquivalentRange(
        low_mg=daily_mg * 10 / max(per_10mg),
        high_mg=daily_mg * 10 / min(per_10mg),
        sources=tuple(dict.fromkeys(f.source for f in figures)),
    )


def equivalence_note(generics: Iterable[str | None]) -> str | None:
    """What the figures shown rest on: Table 7 is named only for its own drugs, the secondary copy for the rest."""
    sources = {f.source for g in generics if g for f in figures_for(g)}
    if not sources:
        return None
    notes = [ROUGH_GUIDE]
    if sources & {_ASHTON, _VA}:
        notes.append(TABLE_7_NOTE)
    if _SECONDARY in sources:
        notes.append(SECONDARY_NOTE)
    return " ".join(notes)


def equivalence_text(generic: str | None, daily_mg: float) -> str:
    """A range with its sources, or "no equivalence listed": never a guess."""
    found = diazepam_equivalent(generic, daily_mg) if generic else None
    return found.text if found else NO_EQUIVALENCE
