"""Replayed drawings of cached pages (app/render/drawn.py) → byte for byte the PDF WeasyPrint writes when it draws
every page itself, for every fixture, both papers and print sizes and both languages; a body it cannot replay is
drawn as WeasyPrint draws it."""

from __future__ import annotations

import pytest
from weasyprint.document import Document, Page

from app.packet.build import build_packet
from app.render.drawn import GraftedPage
from app.render.parts import graft_parts
from app.render.renderer import PDF_VARIANT, Renderer
from app.settings import Settings
from tests.helpers import ALL_STORIES, STORY_NAMES, shared_library, shared_renderer, story_with

CASES = [(name, "letter", False, "en") for name in ALL_STORIES]
CASES += [(name, "a4", True, "en") for name in STORY_NAMES]
CASES += [(name, "letter", False, "es") for name in STORY_NAMES]


def _written(document: Document) -> bytes:
    """The PDF without the story attachment, whose dates change by the second."""
    pdf: bytes = document.write_pdf(pdf_variant=PDF_VARIANT)
    return pdf


def _drawn_by_weasyprint(document: Document) -> Document:
    return document.copy([Page(page._page_box) if isinstance(page, GraftedPage) else page for page in document.pages])


@pytest.mark.parametrize(("name", "paper", "large_print", "language"), CASES)
def test_replayed_drawings_write_the_same_bytes(name: str, paper: str, large_print: bool, language: str) -> None:
    renderer = shared_renderer()
    packet = build_packet(story_with(name, paper, large_print, language=language), shared_library())
    renderer.layout(packet)  # the parts are laid out and cached
    for _ in range(2):  # the first PDF records each cached page's drawing, the second replays it
        document = renderer.layout(packet)
        assert _written(document) == _written(_drawn_by_weasyprint(document))


def test_every_cached_page_of_the_fixtures_is_replayed() -> None:
    """The fixtures' cached pages hold only text, rules and alpha: every one of them replays."""
    renderer = Renderer(Settings().templates_dir)
    grafted = 0
    for name in STORY_NAMES:
        document = renderer.layout(build_packet(story_with(name), shared_library()))
        document.write_pdf(pdf_variant=PDF_VARIANT)
        pages = [page for page in document.pages if isinstance(page, GraftedPage)]
        grafted += len(pages)
        assert all(page._drawing.replayable for page in pages), name
    assert grafted >= 15


def test_a_body_with_a_transparent_group_is_drawn_by_weasyprint_every_time() -> None:
    """An opacity group is named by its count in the document, so a story page with one before the cached page would
    clash with a recorded name: such a body is never replayed, and stays right."""
    renderer = Renderer(Settings().templates_dir)
    cached = '<html lang="en"><body><p style="opacity: 0.5">Half seen, cached</p></body></html>'
    part = renderer.parts.get(cached, "letter")
    story = renderer._layout(
        '<html lang="en"><body><p style="opacity: 0.4">The story</p>'
        '<section style="break-before: page" data-cached-part="x" data-cached-page="0"></section></body></html>',
        "letter",
    )
    for _ in range(2):
        document = graft_parts(story, {"x": part.pages})
        assert isinstance(document.pages[1], GraftedPage)
        assert _written(document) == _written(_drawn_by_weasyprint(document))
    assert not part.pages[0].drawing.replayable
