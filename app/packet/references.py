"""Excerpt ids and diazepam equivalents → the prescriber copy's numbered citations and its one-line reference list."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from app.library.equivalence import NO_EQUIVALENCE, diazepam_equivalent
from app.library.packs import Citation, PackLibrary
from app.library.translations import N_, _

__all__ = ["EQUIVALENCE_NOTE", "TABLE_7", "Reference", "References", "short_locator"]

N_("no equivalence listed")  # app.library.equivalence.NO_EQUIVALENCE, marked where the documents print it
_GRADE = re.compile(r"\s*\((?:CC|[HML]|VL)-[SCW]\)|\s*\(clinical consensus\)")
TABLE_7 = "asam-2025"
"""Every equivalence the prescriber copy shows is a column of ASAM's Table 7, so it cites ASAM's reference."""
EQUIVALENCE_NOTE = N_(
    "Diazepam equivalents are rough guides, from the Ashton Manual and VA/DoD 2021 columns of ASAM's Table 7: "
    "people differ, and so do tables."
)


@dataclass(frozen=True)
class Reference:
    number: int
    text: str
    credit: str | None


def short_locator(locator: str) -> str:
    """ "Rec. 8 (CC-S), Rec. 9 (CC-S); Key Takeaway 6…" → "Rec. 8, Rec. 9": the first place to look, no grading code."""
    return _GRADE.sub("", locator.split(";")[0]).strip()


class References:
    """The prescriber copy's numbered reference list, one line per source, numbered in the order the copy first
    cites them (page 1, the taper page, the guideline points); every citation the copy prints comes from `cite`, so
    none can point to a source that is not listed. Used while one packet is built, then read with `entries`."""

    def __init__(self, library: PackLibrary) -> None:
        self._library = library
        self._numbers: dict[str, int] = {}
        self._ranges = False

    @property
    def equivalence_note(self) -> str | None:
        """What the ranges printed so far rest on; None while none was printed."""
        return _(EQUIVALENCE_NOTE) if self._ranges else None

    def number(self, pack_id: str) -> int:
        """The pack's number, given on its first citation."""
        return self._numbers.setdefault(pack_id, len(self._numbers) + 1)

    def cite(self, excerpt_id: str) -> Citation | None:
        """Like PackLibrary.cite, numbered and with the short locator: "ASAM 2025, Rec. 6 [3]"."""
        try:
            found = self._library.excerpt(excerpt_id)
        except KeyError:
            return None
        return replace(found.citation, locator=short_locator(found.excerpt.locator), number=self.number(found.pack.id))

    def equivalence(self, generic: str | None, daily_mg: float) -> str:
        """A range from ASAM's Table 7 with its numbered citation; figures only a secondary copy gives stay out."""
        found = diazepam_equivalent(generic, daily_mg) if generic else None
        if found is None:
            return _(NO_EQUIVALENCE)
        if any("secondary" in s for s in found.sources):
            return _("not given here: no checked primary source lists this medicine")
        low, high = (f"{float(f'{mg:.2g}'):g}" for mg in (found.low_mg, found.high_mg))
        number = self.number(TABLE_7)
        self._ranges = True
        if low == high:  # O5: one figure only because both columns agree; other tables differ
            return _(
                "about {low} mg diazepam a day (both columns of ASAM 2025, Table 7 agree; other tables differ [{n}])"
            ).format(low=low, n=number)
        return _("about {low}–{high} mg diazepam a day (ASAM 2025, Table 7 [{n}])").format(low=low, high=high, n=number)

    def entries(self) -> tuple[Reference, ...]:
        packs = {p.id: p for p in self._library.packs}
        return tuple(
            Reference(n, p.reference or f"{p.title}. {p.publisher}, {p.date}. {p.url}", p.credit)
            for pack_id, n in sorted(self._numbers.items(), key=lambda item: item[1])
            if (p := packs[pack_id])
        )
