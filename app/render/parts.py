"""Story-independent pages (the prescriber copy's guideline points, references, learning more and blank "What we
agreed"; the booklet's scripts, questions, small doses, support and sources) → laid out once per exact HTML and paper,
cached, and grafted into each copy's placeholder pages."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace

from weasyprint.document import Document, Page
from weasyprint.formatting_structure.boxes import Box, MarginBox

from app.packet.agreed_page import AgreedPage
from app.packet.build import Packet
from app.packet.copies import BookletExcerpt, BookletScript, BookletSource, ContinuedAnswer, PrescriberCopy
from app.packet.guidance import SupportGroup
from app.render.drawn import Drawing, FontTemplates, GraftedPage

__all__ = [
    "PART_ATTRIBUTE",
    "CachedPage",
    "CachedPart",
    "GuidanceView",
    "PartCache",
    "PartMismatch",
    "Replay",
    "Shown",
    "TailView",
    "booklet_guidance",
    "graft_parts",
    "plan_prefilled",
    "prescriber_tail",
    "replay_split",
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


def prescriber_tail(packet: Packet) -> TailView | None:
    """The prescriber copy's story-free tail (guideline points → "What we agreed", its fields blank), or None when
    it holds story text that is not a field's value (answers continued from page 1) or does not start on a page of
    its own (it flows on after the taper page). With a prefilled plan only its pages before the plan are replayed
    (`plan_prefilled`)."""
    copy = packet.prescriber
    if copy.taper is not None or packet.continued or packet.visit is None:
        return None
    agreed = packet.visit.agreed
    blank = replace(agreed, fields=tuple(replace(field, value="") for field in agreed.fields))
    return TailView(packet.lang, replace(copy, taper=None), packet.disclaimer, AgreedOnly(blank))


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
class GuidanceView:
    """Everything `partials/booklet_guidance.html.j2` may read when laid out for the cache (see TailView): no name,
    no phrasing, no message before the visit."""

    lang: str
    large_print: bool
    booklet: BookletOnly
    guidance: GuidanceOnly
    disclaimer: str


def booklet_guidance(packet: Packet) -> GuidanceView | None:
    """The booklet's story-free block, or None when its lines name the person cared for by what was typed (a name,
    or a relationship word we do not know): in the patient's voice, or a caregiver's saying "my mother", it is
    cached."""
    booklet, guidance = packet.booklet, packet.guidance
    if not booklet.own_words:
        return None
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
    )


class Shown:
    """Asked by each top-level element of a replayed block as its template writes it, and by each item of its lists:
    the first `hidden` elements are left out of the story's document, whose placeholder pages stand for them, and
    the first `items` items of the element after them when the replayed pages end inside that list."""

    def __init__(self, hidden: int, items: int = 0) -> None:
        self._hidden = hidden
        self._items = items
        self._asked = self._items_asked = 0

    def __call__(self) -> bool:
        self._asked += 1
        self._items_asked = 0
        return self._asked > self._hidden

    def _cut(self) -> bool:
        return self._asked == self._hidden + 1

    def item(self) -> bool:
        self._items_asked += 1
        return not self._cut() or self._items_asked > self._items

    def start(self) -> int:
        """The number of the list's first item shown."""
        return 1 + (self._items if self._cut() else 0)


@dataclass(frozen=True)
class Replay:
    """How a part flowing into story content is replayed: its first `pages` pages are grafted in; the story's
    document lays out the part again from its `hidden`-th top-level element on (the ones before it left out, see
    Shown), on a fresh page, so what follows can flow on after it as before."""

    pages: int
    hidden: int
    items: int = 0
    """Items of the `hidden`-th element (a list) replayed too: the pages laid out again start inside it."""
    ended: bool = False
    """The block ended before the first page laid out again: only what follows it is laid out there."""


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
        self._size = size
        self._parts: OrderedDict[tuple[str, str], CachedPart] = OrderedDict()
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
                self._parts.move_to_end(key)
                self.hits += 1
                return part
            document = self._layout(html, paper)
            part = CachedPart(document, tuple(CachedPage(page, Drawing(self._fonts)) for page in document.pages))
            self.misses += 1
            self._parts[key] = part
            if len(self._parts) > self._size:
                self._parts.popitem(last=False)
            return part


def _boxes_near_top(box: Box, depth: int = 4) -> Iterator[Box]:
    """html → body → section: a placeholder sits a few levels down at the top of its page."""
    yield box
    if depth:
        for child in getattr(box, "children", ()):
            yield from _boxes_near_top(child, depth - 1)


def _part_box(page: Page, css_class: str) -> Box | None:
    for box in _boxes_near_top(page._page_box.children[0]):
        if box.element is not None and css_class in (box.element.get("class") or "").split():
            return box
    return None


def _tag(element: object) -> str:
    return str(getattr(element, "tag", "")).rsplit("}", 1)[-1]


def replay_split(part: Document, css_class: str) -> Replay | None:
    """The last page of `part` (class `css_class`) that starts with a top-level element of its own or an item of a
    top-level list, not a continuation, or with what follows the block once it has ended ("What we agreed" after the
    guideline points): the pages before it can be replayed as they are. None when no page after the first does."""
    boxes = [_part_box(page, css_class) for page in part.pages]
    for index in range(len(boxes) - 1, 0, -1):
        box, previous = boxes[index], boxes[index - 1]
        if box is None and previous is not None and previous.element is not None:
            return Replay(index, len(previous.element), ended=True)
        if box is None or previous is None or not box.children or not previous.children:
            continue
        top, last = box.children[0], previous.children[-1]
        first = top.element
        if first is None or first is box.element:
            continue
        if first is not last.element:
            return Replay(index, list(box.element).index(first))
        if _tag(first) in ("ul", "ol") and top.children and last.children:
            item, before = top.children[0].element, last.children[-1].element
            if item is not None and item is not before and _tag(item) == "li":
                return Replay(index, list(box.element).index(first), items=list(first).index(item))
    return None


def _placeholder(page: Page) -> tuple[str, int] | None:
    for box in _boxes_near_top(page._page_box.children[0]):
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


def graft_parts(story: Document, parts: dict[str, tuple[CachedPage, ...]]) -> Document:
    """Every placeholder page of `story` replaced by the matching cached page; metadata comes from `story`."""
    pages: list[Page] = []
    used: dict[str, int] = {}
    for page in story.pages:
        found = _placeholder(page)
        if found is None:
            pages.append(page)
            continue
        name, index = found
        if name not in parts or index != used.get(name, 0) or index >= len(parts[name]):
            raise PartMismatch(f"placeholder {name}:{index} out of order")
        used[name] = index + 1
        pages.append(_graft(parts[name][index], page))
    if used != {name: len(cached) for name, cached in parts.items()}:
        raise PartMismatch("a cached part's pages were not all placed")
    return story.copy(pages)
