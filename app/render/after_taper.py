"""A laid-out taper page → where the prescriber tail flowing on after it starts (`TaperEnd`), remembered per taper so
the tail can be laid out alone after a spacer of that size, cached, and its later pages replayed: its pages break
exactly where they break after the taper."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from weasyprint.document import Document, Page
from weasyprint.formatting_structure.boxes import Box

from app.packet.build import Packet
from app.render.recent import Recent
from app.render.split import part_box

__all__ = ["TAPER_TAILS_SIZE", "TaperEnd", "TaperEnds", "page_after_taper", "taper_end"]

TAPER_ENDS_SIZE = 512
"""Tapers remembered per process: two numbers under a 16-byte digest each (≈100 bytes), never the taper itself."""
TAPER_TAILS_SIZE = 4
"""Tails laid out after a taper's end, kept per process: one fits everyone whose taper page is the same, ≈1.3 MB each
(as a part, app/render/renderer.py PART_CACHE_SIZE)."""


@dataclass(frozen=True)
class TaperEnd:
    """Where the taper leaves its last page, in CSS px from the top of the page's content: `height` down to the
    taper's bottom edge, `margin` from there to the guideline points' first line (the margins collapsed between
    them). A spacer of that height and bottom margin puts the points where they fall after the taper."""

    height: float
    margin: float

    @property
    def css(self) -> str:
        """The spacer's style: repr keeps every digit, so the same floats come back out of the CSS."""
        return f"height: {self.height!r}px; margin: 0 0 {self.margin!r}px"


def _body(page: Page) -> Box:
    html = page._page_box.children[0]
    return html.children[0] if html.children else html


def taper_end(document: Document) -> TaperEnd | None:
    """Measured on a prescriber copy laid out in place: on the page where the guideline points begin, or — when
    they begin on a page of their own — as a spacer filling the taper's last page. None without both."""
    for index, page in enumerate(document.pages):
        points = part_box(page, "guideline-points")
        if points is None:
            continue
        taper = part_box(page, "taper")
        top = _body(page).content_box_y()
        if taper is not None and points.children:
            bottom = taper.border_box_y() + taper.border_height()
            return TaperEnd(bottom - top, points.children[0].border_box_y() - bottom)
        if index and part_box(document.pages[index - 1], "taper") is not None:
            frame = page._page_box
            return TaperEnd(frame.content_box_y() + frame.height - top, 0.0)
        return None
    return None


def page_after_taper(document: Document) -> int:
    """The index of the page after the taper's last page."""
    pages = [index for index, page in enumerate(document.pages) if part_box(page, "taper") is not None]
    return pages[-1] + 1 if pages else -1


class TaperEnds:
    """`TaperEnd`s by a digest of what lays the taper page out (the taper, paper, print size and language): a taper
    starts on a page of its own, so nothing before it moves its end. The first render of a taper measures it; later
    renders of the same taper find it here, unless a render showed that its tail does not replay (`refuse`)."""

    def __init__(self, size: int = TAPER_ENDS_SIZE) -> None:
        self._ends: Recent[bytes, TaperEnd] = Recent(size)
        self._refused: Recent[bytes, bool] = Recent(size)

    @staticmethod
    def _key(packet: Packet) -> bytes:
        taper = (packet.prescriber.taper, packet.paper, packet.large_print, packet.lang)
        return hashlib.blake2b(repr(taper).encode(), digest_size=16).digest()

    def get(self, packet: Packet) -> TaperEnd | None:
        key = self._key(packet)
        return None if self._refused.get(key) else self._ends.get(key)

    def remember(self, packet: Packet, end: TaperEnd) -> None:
        self._ends.put(self._key(packet), end)

    def refuse(self, packet: Packet) -> None:
        """This taper's tail is laid out in place from now on: its story lines did not end where the cached page
        started, and trying again would lay the copy out twice on every render."""
        self._refused.put(self._key(packet), True)
