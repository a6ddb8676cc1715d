"""Story-independent pages (the prescriber copy's guideline points, references, learning more and blank "What we
agreed"; the booklet's scripts, questions, small doses, support, sources and options grid) → laid out once per exact
HTML and paper, cached, and grafted into each copy's placeholder pages."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, replace

from weasyprint.document import Document, Page
from weasyprint.formatting_structure.boxes import MarginBox

from app.packet.agreed_page import AgreedPage
from app.packet.build import Packet
from app.packet.copies import BookletExcerpt, BookletScript, BookletSource, ContinuedAnswer, PrescriberCopy
from app.packet.guidance import SupportGroup
from app.packet.options_page import OptionView
from app.render.after_taper import TaperEnd
from app.render.drawn import Drawing, FontTemplates, GraftedPage
from app.render.recent import Recent
from app.render.split import boxes_near_top

__all__ = [
    "PART_ATTRIBUTE",
    "CachedPage",
    "CachedPart",
    "GuidanceView",
    "PartCache",
    "PartMismatch",
    "Shown",
    "TailView",
    "booklet_guidance",
    "graft_parts",
    "plan_prefilled",
    "prescriber_tail",
    "tail_waits_for_taper",
]

PART_ATTRIBUTE = "data-cached-part"
PAGE_ATTRIBUTE = "data-cached-page"


class PartMismatch(RuntimeError):
    """The story's layout did not leave exactly one placeholder page per cached page, in order."""


@dataclass(frozen=True)
class AgreedOnly:
    """The visit cycle as the cached tail sees it: the blank "What we agreed" page and nothing else."""

    agreed: AgreedPage


@dataclass(frozen=True)
class TailView:
    """Everything `partials/prescriber_tail.html.j2` may read when it is laid out for the cache: fields chosen from
    the selection, paper and language only, never from what the person typed. The template is rendered against this
    object under StrictUndefined, so a field it does not carry (any story text) fails the render instead of leaking
    into a page shared across requests."""

    lang: str
    prescriber: PrescriberCopy
    disclaimer: str
    visit: AgreedOnly
    continued: tuple[ContinuedAnswer, ...] = ()
    after_taper: TaperEnd | None = None
    """Where the taper before the tail ends: the part starts with a spacer that size (part.html.j2)."""


def prescriber_tail(packet: Packet, after_taper: TaperEnd | None = None) -> TailView | None:
    """The prescriber copy's story-free tail (guideline points → "What we agreed", its fields blank), or None when
    it holds story text that is not a field's value (answers continued from page 1). After a taper page it flows on
    from where that taper ends (`after_taper`, measured on the taper's first render; None until then) and a
    prefilled plan keeps it in place. With a prefilled plan only its pages before the plan are replayed
    (`plan_prefilled`)."""
    copy = packet.prescriber
    if packet.visit is None or not _tail_fits(packet) or (copy.taper is not None and after_taper is None):
        return None
    agreed = packet.visit.agreed
    blank = replace(agreed, fields=tuple(replace(field, value="") for field in agreed.fields))
    after = after_taper if copy.taper is not None else None
    return TailView(packet.lang, replace(copy, taper=None), packet.disclaimer, AgreedOnly(blank), after_taper=after)


def _tail_fits(packet: Packet) -> bool:
    """Whether the tail can be cached for this packet at all: no answer continued from page 1, and after a taper
    page no prefilled plan."""
    return not packet.continued and (packet.prescriber.taper is None or not plan_prefilled(packet))


def tail_waits_for_taper(packet: Packet) -> bool:
    """Whether the tail would be cached after this packet's taper once the taper's end is known."""
    return packet.prescriber.taper is not None and packet.visit is not None and _tail_fits(packet)


def plan_prefilled(packet: Packet) -> bool:
    """Whether "What we agreed" carries values from the story (a follow-up visit)."""
    return packet.visit is not None and any(field.value for field in packet.visit.agreed.fields)


@dataclass(frozen=True)
class BookletOnly:
    """The booklet's story-free lines: chosen by the story's tags, country and the packs, in the patient's voice."""

    scripts: tuple[BookletScript, ...]
    emergency: str
    emergency_backed_by: str
    small_doses_backed_by: str
    excerpts: tuple[BookletExcerpt, ...]
    sources: tuple[BookletSource, ...]


@dataclass(frozen=True)
class GuidanceOnly:
    questions: tuple[str, ...]
    small_doses_note: str
    small_doses: tuple[str, ...]
    support: tuple[SupportGroup, ...]


@dataclass(frozen=True)
class OptionsGrid:
    """The options page's heading, intro and four choices: chosen by the story's tags, in no one's voice."""

    heading: str
    intro: str
    options: tuple[OptionView, ...]


@dataclass(frozen=True)
class GridOnly:
    """The visit cycle as the cached booklet block sees it: the options grid, not what it was written for nor the
    values ticked under it."""

    options: OptionsGrid


@dataclass(frozen=True)
class GuidanceView:
    """Everything `partials/booklet_guidance.html.j2` and the options grid may read when laid out for the cache (see
    TailView): no name, no phrasing, no message before the visit, no situation, no values."""

    lang: str
    large_print: bool
    booklet: BookletOnly
    guidance: GuidanceOnly
    disclaimer: str
    visit: GridOnly


def booklet_guidance(packet: Packet) -> GuidanceView | None:
    """The booklet's story-free block, or None when its lines name the person cared for by what was typed (a name,
    or a relationship word we do not know): in the patient's voice, or a caregiver's saying "my mother", it is
    cached."""
    booklet, guidance = packet.booklet, packet.guidance
    if not booklet.own_words or packet.visit is None:
        return None
    options = packet.visit.options
    return GuidanceView(
        packet.lang,
        packet.large_print,
        BookletOnly(
            booklet.scripts,
            booklet.emergency,
            booklet.emergency_backed_by,
            booklet.small_doses_backed_by,
            booklet.excerpts,
            booklet.sources,
        ),
        GuidanceOnly(
            tuple(guidance.questions),
            guidance.small_doses_note,
            tuple(guidance.small_doses),
            tuple(guidance.support),
        ),
        packet.disclaimer,
        GridOnly(OptionsGrid(options.heading, options.intro, options.options)),
    )


class Shown:
    """Asked by each top-level element of a cut block (split.Replay) as its template writes it, and by each item of
    its lists. By default the elements before the `cut`-th are left out of the story's document, whose placeholder
    pages stand for them, with the first `items` items of the cut element when the cut falls inside that list; with
    `head` only those are written, and placeholder pages stand for the rest."""

    def __init__(self, cut: int, items: int = 0, head: bool = False) -> None:
        self._cut_at = cut
        self._items = items
        self._head = head
        self._asked = self._items_asked = 0

    def __call__(self) -> bool:
        self._asked += 1
        self._items_asked = 0
        if self._asked <= self._cut_at:
            return self._head
        return not self._head or (self._cut() and self._items > 0)

    def _cut(self) -> bool:
        return self._asked == self._cut_at + 1

    def item(self) -> bool:
        self._items_asked += 1
        return not self._cut() or (self._items_asked <= self._items) == self._head

    def start(self) -> int:
        """The number of the list's first item shown."""
        return 1 + (self._items if self._cut() and not self._head else 0)


@dataclass(frozen=True)
class CachedPage:
    """A laid-out page of a cached part and its body's drawing, made on the first PDF that shows it."""

    page: Page
    drawing: Drawing


@dataclass(frozen=True)
class CachedPart:
    document: Document
    pages: tuple[CachedPage, ...]


class PartCache:
    """Laid-out part documents keyed by the part's own HTML and the paper, least recently used dropped first.

    The key is the markup itself, so anything that changes a part (selection, language, country, pack text) makes
    a new entry, and nothing stale is ever reused."""

    def __init__(self, layout: Callable[[str, str], Document], size: int) -> None:
        self._layout = layout
        self._parts: Recent[tuple[str, str], CachedPart] = Recent(size)
        self._lock = threading.Lock()
        self._fonts = FontTemplates()
        self.hits = self.misses = 0

    def __len__(self) -> int:
        return len(self._parts)

    def get(self, html: str, paper: str) -> CachedPart:
        key = (html, paper)
        with self._lock:
            part = self._parts.get(key)
            if part is not None:
                self.hits += 1
                return part
            document = self._layout(html, paper)
            part = CachedPart(document, tuple(CachedPage(page, Drawing(self._fonts)) for page in document.pages))
            self.misses += 1
            self._parts.put(key, part)
            return part


def _placeholder(page: Page) -> tuple[str, int] | None:
    for box in boxes_near_top(page._page_box.children[0]):
        element = box.element
        if element is not None and element.get(PART_ATTRIBUTE) is not None:
            return element.get(PART_ATTRIBUTE), int(element.get(PAGE_ATTRIBUTE))
    return None


def _graft(content: CachedPage, frame: Page) -> Page:
    """The cached page's content inside the story page's frame: its size and its margin boxes, which carry the
    person's running footer and the right "Page x of y"."""
    frame_box = frame._page_box
    body = [child for child in content.page._page_box.children if not isinstance(child, MarginBox)]
    margins = [child for child in frame_box.children if isinstance(child, MarginBox)]
    return GraftedPage(frame_box.copy_with_children(body + margins), content.drawing)


def graft_parts(story: Document, parts: dict[str, tuple[CachedPage, ...]], first: int | None = None) -> Document:
    """Every placeholder page of `story` replaced by the matching cached page; metadata comes from `story`. With
    `first`, the first placeholder must be that page (the story's own lines before it filled the pages they did in
    the cached part)."""
    pages: list[Page] = []
    used: dict[str, int] = {}
    for number, page in enumerate(story.pages):
        found = _placeholder(page)
        if found is None:
            pages.append(page)
            continue
        if first is not None and not used and number != first:
            raise PartMismatch(f"the first cached page fell on page {number + 1}, not {first + 1}")
        name, index = found
        if name not in parts or index != used.get(name, 0) or index >= len(parts[name]):
            raise PartMismatch(f"placeholder {name}:{index} out of order")
        used[name] = index + 1
        pages.append(_graft(parts[name][index], page))
    if used != {name: len(cached) for name, cached in parts.items()}:
        raise PartMismatch("a cached part's pages were not all placed")
    return story.copy(pages)
