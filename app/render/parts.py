"""Story-independent pages (the prescriber copy's guideline points, references, learning more and blank "What we
agreed") → laid out once per exact HTML and paper, cached, and grafted into each copy's placeholder pages."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace

from weasyprint.document import Document, Page
from weasyprint.formatting_structure.boxes import Box, MarginBox

from app.packet.agreed_page import AgreedPage
from app.packet.build import Packet
from app.packet.copies import ContinuedAnswer, PrescriberCopy

__all__ = [
    "PART_ATTRIBUTE",
    "PartCache",
    "PartMismatch",
    "TailView",
    "graft_parts",
    "prescriber_tail",
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
    """The prescriber copy's story-free tail (guideline points → "What we agreed"), or None when it holds story
    text (answers continued from page 1, a prefilled agreed plan) or does not start on a page of its own (it flows
    on after the taper page)."""
    copy = packet.prescriber
    if copy.taper is not None or packet.continued or packet.visit is None:
        return None
    agreed = packet.visit.agreed
    if any(field.value for field in agreed.fields):
        return None
    return TailView(packet.lang, replace(copy, taper=None), packet.disclaimer, AgreedOnly(agreed))


class PartCache:
    """Laid-out part documents keyed by the part's own HTML and the paper, least recently used dropped first.

    The key is the markup itself, so anything that changes a part (selection, language, country, pack text) makes
    a new entry, and nothing stale is ever reused."""

    def __init__(self, layout: Callable[[str, str], Document], size: int) -> None:
        self._layout = layout
        self._size = size
        self._documents: OrderedDict[tuple[str, str], Document] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def __len__(self) -> int:
        return len(self._documents)

    def get(self, html: str, paper: str) -> Document:
        key = (html, paper)
        with self._lock:
            document = self._documents.get(key)
            if document is not None:
                self._documents.move_to_end(key)
                self.hits += 1
                return document
            document = self._layout(html, paper)
            self.misses += 1
            self._documents[key] = document
            if len(self._documents) > self._size:
                self._documents.popitem(last=False)
            return document


def _boxes_near_top(box: Box, depth: int = 4) -> Iterator[Box]:
    """html → body → section: a placeholder sits a few levels down at the top of its page."""
    yield box
    if depth:
        for child in getattr(box, "children", ()):
            yield from _boxes_near_top(child, depth - 1)


def _placeholder(page: Page) -> tuple[str, int] | None:
    for box in _boxes_near_top(page._page_box.children[0]):
        element = box.element
        if element is not None and element.get(PART_ATTRIBUTE) is not None:
            return element.get(PART_ATTRIBUTE), int(element.get(PAGE_ATTRIBUTE))
    return None


def _graft(content: Page, frame: Page) -> Page:
    """The cached page's content inside the story page's frame: its size and its margin boxes, which carry the
    person's running footer and the right "Page x of y"."""
    frame_box = frame._page_box
    body = [child for child in content._page_box.children if not isinstance(child, MarginBox)]
    margins = [child for child in frame_box.children if isinstance(child, MarginBox)]
    return Page(frame_box.copy_with_children(body + margins))


def graft_parts(story: Document, parts: dict[str, Document]) -> Document:
    """Every placeholder page of `story` replaced by the matching cached page; metadata comes from `story`."""
    pages: list[Page] = []
    used: dict[str, int] = {}
    for page in story.pages:
        found = _placeholder(page)
        if found is None:
            pages.append(page)
            continue
        name, index = found
        if name not in parts or index != used.get(name, 0) or index >= len(parts[name].pages):
            raise PartMismatch(f"placeholder {name}:{index} out of order")
        used[name] = index + 1
        pages.append(_graft(parts[name].pages[index], page))
    if used != {name: len(document.pages) for name, document in parts.items()}:
        raise PartMismatch("a cached part's pages were not all placed")
    return story.copy(pages)
