"""A cached part's laid-out pages → where it can be cut between pages (`Replay`): at a top-level element of one of its
blocks, an item of a top-level list or of the options grid, or what follows the block, never inside a line of text."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from xml.etree.ElementTree import Element

from weasyprint.document import Document, Page
from weasyprint.formatting_structure.boxes import Box

__all__ = ["Replay", "boxes_near_top", "head_split", "part_box", "replay_split"]


@dataclass(frozen=True)
class Replay:
    """A cut of a part between its page `pages` - 1 and page `pages`, where its `hidden`-th top-level element
    starts. Cut by `replay_split`, the pages before it are grafted in and the story's document lays out the block
    from that element on (the ones before it left out, see parts.Shown); cut by `head_split`, the story lays out the
    elements before it and the pages from the cut on are grafted in."""

    pages: int
    hidden: int
    items: int = 0
    """Items of the `hidden`-th element (a list) before the cut: the page after it starts inside that list."""
    ended: bool = False
    """The block ended before the cut: the page after it starts with what follows the block."""
    block: int = 0
    """Which of the part's blocks the cut is in (the booklet's guidance, then its options): those before it are
    replayed whole."""


def boxes_near_top(box: Box, depth: int = 4) -> Iterator[Box]:
    """html → body → section: a placeholder sits a few levels down at the top of its page."""
    yield box
    if depth:
        for child in getattr(box, "children", ()):
            yield from boxes_near_top(child, depth - 1)


def part_box(page: Page, css_class: str) -> Box | None:
    """The page's box of the block with class `css_class`, if the block is on it."""
    for box in boxes_near_top(page._page_box.children[0]):
        if box.element is not None and css_class in (box.element.get("class") or "").split():
            return box
    return None


def _tag(element: object) -> str:
    return str(getattr(element, "tag", "")).rsplit("}", 1)[-1]


def _holds_items(element: Element) -> bool:
    """A list, or the options grid: the elements whose template asks `shown.item()` for each child."""
    return _tag(element) in ("ul", "ol") or "options-grid" in (element.get("class") or "").split()


def _cut(index: int, box: Box | None, previous: Box | None, block: int = 0) -> Replay | None:
    """The cut before page `index` (the block's boxes on it and on the page before), if that page starts with a
    top-level element of its own, an item of a top-level list or grid, or what follows the block, not a
    continuation."""
    if box is None:
        if previous is not None and previous.element is not None:
            return Replay(index, len(previous.element), ended=True, block=block)
        return None
    if previous is None:
        return Replay(index, 0, block=block)
    if not box.children or not previous.children:
        return None
    top, last = box.children[0], previous.children[-1]
    first = top.element
    if first is None or first is box.element:
        return None
    if first is not last.element:
        return Replay(index, list(box.element).index(first), block=block)
    if _holds_items(first) and top.children and last.children:
        item, before = top.children[0].element, last.children[-1].element
        children = list(first)
        if item is not None and item is not before and any(item is child for child in children):
            return Replay(index, list(box.element).index(first), items=children.index(item), block=block)
    return None


def _cuts(part: Document, *css_classes: str) -> list[Replay]:
    """Every cut of each block in page order, a later block's first at a page where both could be cut."""
    found = []
    for block, css_class in enumerate(css_classes):
        boxes = [part_box(page, css_class) for page in part.pages]
        cuts = (_cut(index, boxes[index], boxes[index - 1], block) for index in range(1, len(boxes)))
        found += [cut for cut in cuts if cut is not None and (block == 0 or boxes[cut.pages] is not None)]
    return sorted(found, key=lambda cut: (cut.pages, cut.block))


def replay_split(part: Document, *css_classes: str) -> Replay | None:
    """The last cut of `part` (its blocks of classes `css_classes`, in order): the most pages replayed before the
    story's content ("What we agreed" after the guideline points, what the options were written for after the
    grid). None when no page after the first starts cleanly."""
    cuts = _cuts(part, *css_classes)
    return cuts[-1] if cuts else None


def head_split(part: Document, css_class: str) -> Replay | None:
    """The first cut of `part`: the least laid out by the story before the replayed pages (the guideline points after
    a taper)."""
    cuts = _cuts(part, css_class)
    return cuts[0] if cuts else None
