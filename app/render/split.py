"""A cached part's laid-out pages → where it can be cut between pages (`Replay`): at a top-level element of its own,
an item of a top-level list, or what follows the block, never inside a line of text."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

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


def _cut(index: int, box: Box | None, previous: Box | None) -> Replay | None:
    """The cut before page `index` (the block's boxes on it and on the page before), if that page starts with a
    top-level element of its own, an item of a top-level list, or what follows the block, not a continuation."""
    if box is None:
        if previous is not None and previous.element is not None:
            return Replay(index, len(previous.element), ended=True)
        return None
    if previous is None:
        return Replay(index, 0)
    if not box.children or not previous.children:
        return None
    top, last = box.children[0], previous.children[-1]
    first = top.element
    if first is None or first is box.element:
        return None
    if first is not last.element:
        return Replay(index, list(box.element).index(first))
    if _tag(first) in ("ul", "ol") and top.children and last.children:
        item, before = top.children[0].element, last.children[-1].element
        if item is not None and item is not before and _tag(item) == "li":
            return Replay(index, list(box.element).index(first), items=list(first).index(item))
    return None


def _cuts(part: Document, css_class: str) -> list[Replay]:
    boxes = [part_box(page, css_class) for page in part.pages]
    found = (_cut(index, boxes[index], boxes[index - 1]) for index in range(1, len(boxes)))
    return [cut for cut in found if cut is not None]


def replay_split(part: Document, css_class: str) -> Replay | None:
    """The last cut of `part` (its block of class `css_class`): the most pages replayed before the story's content
    ("What we agreed" after the guideline points). None when no page after the first starts cleanly."""
    cuts = _cuts(part, css_class)
    return cuts[-1] if cuts else None


def head_split(part: Document, css_class: str) -> Replay | None:
    """The first cut of `part`: the least laid out by the story before the replayed pages (the guideline points after
    a taper)."""
    cuts = _cuts(part, css_class)
    return cuts[0] if cuts else None
