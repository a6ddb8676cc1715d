"""Story + packs + guidance → the two documents' own parts: the prescriber copy's points and numbered references,
the personal booklet's plain-worded excerpts and sources."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from app.library.content import Content
from app.library.equivalence import NO_EQUIVALENCE, diazepam_equivalent
from app.library.packs import Pack, PackLibrary, Selected
from app.packet.guidance import Citation, Guidance

__all__ = [
    "MAX_POINTS",
    "BookletExcerpt",
    "BookletScript",
    "BookletSource",
    "ContinuedAnswer",
    "Copy",
    "GuidelinePoint",
    "LearningLine",
    "PersonalBooklet",
    "PrescriberCopy",
    "Reference",
    "References",
    "booklet_for",
    "prescriber_copy_for",
    "prescriber_evidence",
    "short_locator",
    "shortened",
]


class Copy(StrEnum):
    """Which document to print: the prescriber copy, the personal booklet, or both in one PDF (prescriber first)."""

    prescriber = "prescriber"
    personal = "personal"
    both = "both"


MAX_POINTS = 6
MIN_POINTS = 3
_GRADE = re.compile(r"\s*\((?:CC|[HML]|VL)-[SCW]\)|\s*\(clinical consensus\)")
TABLE_7 = "asam-2025"
"""Every equivalence the prescriber copy shows is a column of ASAM's Table 7, so it cites ASAM's reference."""


def short_locator(locator: str) -> str:
    """ "Rec. 8 (CC-S), Rec. 9 (CC-S); Key Takeaway 6…" → "Rec. 8, Rec. 9": the first place to look, no grading code."""
    return _GRADE.sub("", locator.split(";")[0]).strip()


@dataclass(frozen=True)
class Reference:
    number: int
    text: str
    credit: str | None


class References:
    """The prescriber copy's numbered reference list, one line per source, in the packs' order; every citation the
    copy prints comes from `cite`, so none can point to a source that is not listed."""

    def __init__(self, library: PackLibrary, pack_ids: Iterable[str]) -> None:
        self._library = library
        wanted = set(pack_ids)
        self.packs: tuple[Pack, ...] = tuple(p for p in library.packs if p.id in wanted)
        self._numbers = {p.id: n for n, p in enumerate(self.packs, start=1)}

    def number(self, pack_id: str) -> int:
        return self._numbers[pack_id]

    def cite(self, excerpt_id: str) -> str | None:
        """ "ASAM 2025, Rec. 6 [3]"; None when the excerpt is not in the library."""
        try:
            found = self._library.excerpt(excerpt_id)
        except KeyError:
            return None
        return f"{found.pack.short}, {short_locator(found.excerpt.locator)} [{self.number(found.pack.id)}]"

    def entries(self) -> tuple[Reference, ...]:
        return tuple(
            Reference(n, p.reference or f"{p.title}. {p.publisher}, {p.date}. {p.url}", p.credit)
            for n, p in enumerate(self.packs, start=1)
        )


@dataclass(frozen=True)
class GuidelinePoint:
    id: str
    title: str
    text: str
    quote: bool
    citation: str


@dataclass(frozen=True)
class LearningLine:
    what: str
    by: str
    url: str | None
    checked: str


@dataclass(frozen=True)
class PrescriberCopy:
    points: tuple[GuidelinePoint, ...]
    scope_note: str | None
    references: tuple[Reference, ...]
    learning_more: tuple[LearningLine, ...]


def _fit_for_prescriber(item: Selected) -> bool:
    """Primary guidelines only: no survey, no directory, nothing seen only in someone else's copy or summary."""
    return (
        item.pack.kind == "guideline"
        and item.excerpt.seen == "primary"
        and item.excerpt.audience in {"prescriber", "both"}
    )


def prescriber_evidence(selected: list[Selected]) -> list[Selected]:
    """The 3–6 points that matter for this person: FDA's own words on dependence and withdrawal (the regulator,
    quoted), then those the story's own tags chose, then the general ones."""
    fitting = [s for s in selected if _fit_for_prescriber(s)]
    quoted = [s for s in fitting if "always" in s.excerpt.tags and s.excerpt.kind == "quote"]
    specific = [s for s in fitting if "always" not in s.excerpt.tags]
    general = [s for s in fitting if "always" in s.excerpt.tags and s not in quoted]
    chosen = (quoted + specific + general)[:MAX_POINTS]
    return chosen if len(chosen) >= MIN_POINTS or not fitting else fitting[:MIN_POINTS]


def equivalence_for_prescriber(generic: str | None, daily_mg: float, references: References) -> str:
    """A range from ASAM's Table 7 with its numbered citation; figures only a secondary copy gives stay out."""
    found = diazepam_equivalent(generic, daily_mg) if generic else None
    if found is None:
        return NO_EQUIVALENCE
    if any("secondary" in s for s in found.sources):
        return "not given here: no checked primary source lists this medicine"
    low, high = (f"{float(f'{mg:.2g}'):g}" for mg in (found.low_mg, found.high_mg))
    number = references.number(TABLE_7)
    if low == high:  # O5: one figure only because both columns agree; other tables differ
        return (
            f"about {low} mg diazepam a day (both columns of ASAM 2025, Table 7 agree; other tables differ [{number}])"
        )
    return f"about {low}–{high} mg diazepam a day (ASAM 2025, Table 7 [{number}])"


def prescriber_copy_for(
    points: list[Selected], references: References, scope_note: str | None, content: Content
) -> PrescriberCopy:
    return PrescriberCopy(
        points=tuple(
            GuidelinePoint(
                s.excerpt.id,
                s.excerpt.title,
                s.excerpt.text,
                s.excerpt.kind == "quote",
                references.cite(s.excerpt.id) or "",
            )
            for s in points
        ),
        scope_note=scope_note,
        references=references.entries(),
        learning_more=tuple(LearningLine(i.what, i.by, i.url, f"{i.checked:%-d %B %Y}") for i in content.learning_more),
    )


@dataclass(frozen=True)
class BookletScript:
    title: str
    when: str
    say: tuple[str, ...]
    after: str | None
    backed_by: str


@dataclass(frozen=True)
class BookletExcerpt:
    id: str
    title: str
    text: str
    source: str


@dataclass(frozen=True)
class BookletSource:
    name: str
    reference: str
    credit: str | None


@dataclass(frozen=True)
class PersonalBooklet:
    """Everything the person keeps: in their voice, with "backed by" lines in plain words and no grading codes."""

    label: str
    scripts: tuple[BookletScript, ...]
    emergency: str
    emergency_backed_by: str
    small_doses_backed_by: str
    excerpts: tuple[BookletExcerpt, ...]
    sources: tuple[BookletSource, ...]


def _plain(citations: list[Citation], library: PackLibrary) -> tuple[str, list[Pack]]:
    packs = list({c.excerpt_id: library.excerpt(c.excerpt_id).pack for c in citations}.values())
    unique = list({p.id: p for p in packs}.values())
    return "; ".join(p.plain or p.short for p in unique), unique


def _for_booklet(item: Selected) -> bool:
    """Written for patients, or a survey of people who took these medicines: the booklet's "what others found"."""
    return item.excerpt.audience == "patient" or item.pack.kind == "survey"


def booklet_for(
    guidance: Guidance, selected: list[Selected], library: PackLibrary, caregiving: bool
) -> PersonalBooklet:
    used: list[Pack] = []
    scripts = []
    for script in guidance.scripts:
        backed, packs = _plain(script.backed_by, library)
        used += packs
        scripts.append(BookletScript(script.title, script.when, tuple(script.say), script.after, backed))
    emergency, packs = _plain(guidance.emergency.backed_by, library)
    used += packs
    small, packs = _plain(guidance.small_doses_backed_by, library)
    used += packs
    excerpts = [s for s in selected if _for_booklet(s)]
    used += [s.pack for s in excerpts]
    sources = {p.id: p for p in sorted(used, key=lambda p: (p.order, p.id))}.values()
    return PersonalBooklet(
        label="For us" if caregiving else "For me",
        scripts=tuple(scripts),
        emergency=guidance.emergency.text,
        emergency_backed_by=emergency,
        small_doses_backed_by=small,
        excerpts=tuple(
            BookletExcerpt(s.excerpt.id, s.excerpt.title, s.excerpt.text, s.pack.plain or s.pack.short)
            for s in excerpts
        ),
        sources=tuple(BookletSource(p.plain or p.short, p.reference or p.url, p.credit) for p in sources),
    )


@dataclass(frozen=True)
class ContinuedAnswer:
    """A typed answer too long for page 1: page 1 shows its start, the end of the copy shows all of it."""

    key: str
    label: str
    text: str


def shortened(text: str, cap: int) -> str:
    """At most `cap` characters, cut at a word boundary, ending in an ellipsis; unchanged when it already fits."""
    if len(text) <= cap:
        return text
    cut = text[:cap].rsplit(None, 1)[0] if " " in text[:cap] else text[:cap]
    return cut.rstrip(" ,;:.") + "…"
