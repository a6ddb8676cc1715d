"""Story + packs + guidance → the two documents' own parts: the prescriber copy's points and numbered references,
the personal booklet's plain-worded excerpts and sources."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from app.library.content import Content
from app.library.packs import Citation, Pack, PackLibrary, Selected
from app.library.translations import _
from app.packet.guidance import Guidance
from app.packet.references import Reference, References
from app.packet.taper_page import TaperSection
from app.packet.taper_plan import PlanRow
from app.packet.words import long_date

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
    "TaperAppendix",
    "booklet_for",
    "plain_sources",
    "prescriber_copy_for",
    "prescriber_evidence",
    "shortened",
]


class Copy(StrEnum):
    """Which document to print: the prescriber copy, the personal booklet, or both in one PDF (prescriber first)."""

    prescriber = "prescriber"
    personal = "personal"
    both = "both"


def printed(copy: Copy, sections: frozenset[str]) -> list[Copy]:
    """The documents a copy choice prints, in order: the prescriber's first; `both` leaves the booklet out when the
    story's sections leave out "for_me"."""
    if copy is not Copy.both:
        return [copy]
    return [Copy.prescriber, Copy.personal] if "for_me" in sections else [Copy.prescriber]


MAX_POINTS = 6
MIN_POINTS = 3
PACE = "asam-2025-rec-6"
"""The guideline's pace: in every prescriber copy once, as a point or on the taper page."""


@dataclass(frozen=True)
class GuidelinePoint:
    """`text` is a quotation word for word when `quote`; in another language `translation` is taperprep's
    translation of it, already marked as ours ("Traducción de taperprep: …")."""

    id: str
    title: str
    text: str
    quote: bool
    citation: str
    translation: str | None = None


@dataclass(frozen=True)
class LearningLine:
    what: str
    by: str
    url: str | None
    checked: str


@dataclass(frozen=True)
class PrescriberCopy:
    """Page 1 (laid out from the Packet), the one-page taper plan if asked for, the guideline points, the numbered
    references and the learning-more lines, in that order."""

    taper: TaperSection | None
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


def prescriber_evidence(selected: list[Selected], taper_page: bool) -> list[Selected]:
    """The 3–6 points that matter for this person: FDA's own words on dependence and withdrawal (the regulator,
    quoted), the guideline's pace (unless the taper page states it), then those the story's own tags chose, then
    the general ones."""
    fitting = [s for s in selected if _fit_for_prescriber(s) and not (taper_page and s.excerpt.id == PACE)]
    quoted = [s for s in fitting if "always" in s.excerpt.tags and s.excerpt.kind == "quote"]
    pace = [s for s in fitting if s.excerpt.id == PACE]
    specific = [s for s in fitting if "always" not in s.excerpt.tags]
    general = [s for s in fitting if "always" in s.excerpt.tags and s not in quoted + pace]
    chosen = (quoted + pace + specific + general)[:MAX_POINTS]
    return chosen if len(chosen) >= MIN_POINTS or not fitting else fitting[:MIN_POINTS]


def prescriber_copy_for(
    taper: TaperSection | None,
    points: list[Selected],
    references: References,
    scope_note: str | None,
    content: Content,
) -> PrescriberCopy:
    """The guideline points cited last, after page 1 and the taper page, so the list numbers them in page order."""
    cited = tuple(
        GuidelinePoint(
            s.excerpt.id, s.excerpt.title, s.excerpt.text, s.excerpt.kind == "quote", c.source, c.translation
        )
        for s in points
        if (c := references.cite(s.excerpt.id))
    )
    return PrescriberCopy(
        taper=taper,
        points=cited,
        scope_note=scope_note,
        references=references.entries(),
        learning_more=tuple(LearningLine(i.what, i.by, i.url, long_date(i.checked)) for i in content.learning_more),
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
    appendix: TaperAppendix | None = None
    caregiving: bool = False
    own_words: bool = True
    """Its lines hold only the project's own words (Voice.own_words): in a caregiver's voice they name the person
    cared for, by a relationship word we know ("my mother") or else by what was typed (a name: story text)."""


@dataclass(frozen=True)
class TaperAppendix:
    """Every step of the draft whose one-page summary is in the prescriber copy: the booklet's optional appendix."""

    medicine: str
    rows: tuple[PlanRow, ...]


def plain_sources(citations: Sequence[Citation], library: PackLibrary) -> tuple[str, list[Pack]]:
    """A "backed by" line in plain words (each source once, no locators or grading codes) and the packs it names."""
    packs = list({c.excerpt_id: library.excerpt(c.excerpt_id).pack for c in citations}.values())
    unique = list({p.id: p for p in packs}.values())
    return "; ".join(p.plain or p.short for p in unique), unique


def _for_booklet(item: Selected) -> bool:
    """Written for patients, or a survey of people who took these medicines: the booklet's "what others found"."""
    return item.excerpt.audience == "patient" or item.pack.kind == "survey"


def booklet_for(
    guidance: Guidance,
    selected: list[Selected],
    library: PackLibrary,
    caregiving: bool,
    taper: TaperSection | None,
    also_backed_by: Sequence[Citation] = (),
    own_words: bool = True,
) -> PersonalBooklet:
    """`also_backed_by`: what the booklet's other pages cite (the options page), so their sources are listed too."""
    used: list[Pack] = plain_sources(also_backed_by, library)[1]
    scripts = []
    for script in guidance.scripts:
        backed, packs = plain_sources(script.backed_by, library)
        used += packs
        scripts.append(BookletScript(script.title, script.when, tuple(script.say), script.after, backed))
    emergency, packs = plain_sources(guidance.emergency.backed_by, library)
    used += packs
    small, packs = plain_sources(guidance.small_doses_backed_by, library)
    used += packs
    excerpts = [s for s in selected if _for_booklet(s)]
    used += [s.pack for s in excerpts]
    sources = {p.id: p for p in sorted(used, key=lambda p: (p.order, p.id))}.values()
    return PersonalBooklet(
        label=_("For us") if caregiving else _("For me"),
        scripts=tuple(scripts),
        emergency=guidance.emergency.text,
        emergency_backed_by=emergency,
        small_doses_backed_by=small,
        excerpts=tuple(
            BookletExcerpt(s.excerpt.id, s.excerpt.title, s.excerpt.text, s.pack.plain or s.pack.short)
            for s in excerpts
        ),
        sources=tuple(BookletSource(p.plain or p.short, p.reference or p.url, p.credit) for p in sources),
        appendix=_appendix(taper),
        caregiving=caregiving,
        own_words=own_words,
    )


def _appendix(taper: TaperSection | None) -> TaperAppendix | None:
    """Every step, only when the taper page could not show them all (say each idea once)."""
    if taper is None or len(taper.appendix) <= len(taper.rows):
        return None
    return TaperAppendix(taper.medicine, taper.appendix)


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
