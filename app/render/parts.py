"""Story-independent packet parts (evidence, references) → pages laid out once, cached, and grafted into each packet."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator, Mapping

from weasyprint.document import Document, Page
from weasyprint.formatting_structure.boxes import Box, MarginBox

__all__ = ["PAGE_ATTRIBUTE", "PARTS", "PART_ATTRIBUTE", "PartCache", "PartMismatch", "graft_parts"]

PARTS = ("evidence", "support", "references")
"""The story-independent parts, each in templates/parts/<name>.html.j2 (empty when the packet has no such part)."""
PART_ATTRIBUTE = "data-cached-part"
PAGE_ATTRIBUTE = "data-cached-page"


class PartMismatch(RuntimeError):
    """The story's layout did not leave exactly one empty page per cached page; the caller renders from scratch."""


class PartCache:
    """Laid-out part documents keyed by the part's own HTML and the paper, least recently used dropped first.

    The key is the markup itself, so anything that changes a part (selection, large print, date, pack text)
    makes a new entry, and nothing stale is ever reused. Parts hold no story text (see packet.html.j2)."""

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
    """The cached page's content inside the story page's frame: its size and its margin boxes, which carry
    the patient's running footer and the right "Page x of y"."""
    frame_box = frame._page_box
    body = [child for child in content._page_box.children if not isinstance(child, MarginBox)]
    margins = [child for child in frame_box.children if isinstance(child, MarginBox)]
    return Page(frame_box.copy_with_children(body + margins))


def graft_parts(story: Document, parts: Mapping[str, Document]) -> Document:
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
