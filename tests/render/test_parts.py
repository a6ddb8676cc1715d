"""The fast render (cached evidence and references pages) gives the same packet as laying out every page afresh."""

from __future__ import annotations

import io
import re
from typing import Any

import pikepdf
import pytest

from app.library.packs import PackLibrary
from app.packet.build import Packet, build_packet
from app.render.renderer import Renderer
from app.settings import ROOT
from app.story import Story, story_json
from tests.helpers import STORY_NAMES, load_story, pdf_pages

VARIANTS: dict[str, tuple[str, dict[str, Any]]] = {
    **{name: (name, {}) for name in STORY_NAMES},
    "large_print": ("patient_one_drug", {"large_print": True}),
    "a4_large_print": ("minimal", {"paper": "a4", "large_print": True}),
    "no_prescriber_page": ("cold_turkey_seizure", {"sections": ["evidence", "for_me"]}),
    "references_only": ("minimal", {"sections": ["prescriber"]}),
}


@pytest.fixture(scope="module")
def renderer() -> Renderer:
    return Renderer(ROOT / "templates")


def _story(name: str, options: dict[str, Any] | None = None) -> Story:
    raw = load_story(name)
    raw.setdefault("options", {}).update(options or {})
    return Story.model_validate(raw)


def _packet(story: Story, library: PackLibrary) -> Packet:
    return build_packet(story, library)


@pytest.mark.parametrize("variant", sorted(VARIANTS))
def test_fast_and_naive_packets_have_the_same_text_page_by_page(
    variant: str, renderer: Renderer, library: PackLibrary
) -> None:
    name, options = VARIANTS[variant]
    story = _story(name, options)
    packet = _packet(story, library)
    fast = pdf_pages(renderer.write(renderer.layout(packet), story_json(story)))  # layout() never falls back
    naive = pdf_pages(renderer.pdf_from_scratch(packet, story_json(story)))
    assert len(fast) == len(naive)
    for number, (fast_page, naive_page) in enumerate(zip(fast, naive, strict=True), start=1):
        assert fast_page == naive_page, f"page {number} differs"
        assert re.findall(r"Page (\d+) of (\d+)", fast_page) == [(str(number), str(len(fast)))]


def test_cached_pages_carry_each_patients_own_footer(renderer: Renderer, library: PackLibrary) -> None:
    """Two people with the same selection share the cached pages but never each other's name."""
    first = _story("patient_one_drug")
    raw = load_story("patient_one_drug")
    raw["patient"]["name"] = "Quinn Marlowe-Test"
    second = Story.model_validate(raw)
    renderer.pdf(_packet(first, library), story_json(first))
    misses = renderer.parts.misses
    pages = pdf_pages(renderer.pdf(_packet(second, library), story_json(second)))
    assert renderer.parts.misses == misses
    first_name = first.patient.name
    assert first_name and all(first_name not in page for page in pages)
    assert all("Quinn Marlowe-Test" in page for page in pages)


def _structure(pdf: bytes) -> list[str]:
    """The tag tree's element types in reading order."""
    with pikepdf.open(io.BytesIO(pdf)) as document:
        found: list[str] = []
        pending = [document.Root.StructTreeRoot]
        while pending:
            node = pending.pop()
            if isinstance(node, pikepdf.Dictionary) and "/S" in node:
                found.append(str(node.S))
            kids = node.get("/K") if isinstance(node, pikepdf.Dictionary) else None
            if isinstance(kids, pikepdf.Array):
                pending.extend(reversed(list(kids)))
            elif isinstance(kids, pikepdf.Dictionary):
                pending.append(kids)
        return found


def test_the_fast_packet_stays_tagged_with_its_story_attached(renderer: Renderer, library: PackLibrary) -> None:
    story = _story("caregiver_older_adult")
    packet = _packet(story, library)
    pdf = renderer.pdf(packet, story_json(story))
    with pikepdf.open(io.BytesIO(pdf)) as document:
        assert "/StructTreeRoot" in document.Root
        assert document.Root.MarkInfo.Marked
        assert str(document.Root.Lang) == "en"
        assert str(document.docinfo.Title) == packet.title
        assert document.attachments["story.json"].get_file().read_bytes() == story_json(story)
    structure = _structure(pdf)
    assert structure.count("/H1") >= 3
    assert structure == _structure(renderer.pdf_from_scratch(packet, story_json(story)))


def test_preview_html_renders_every_part_in_place(renderer: Renderer, library: PackLibrary) -> None:
    html = renderer.html(_packet(_story("patient_one_drug"), library))
    assert "data-cached-part" not in html
    assert 'class="page evidence"' in html and 'class="page references"' in html


def test_the_part_cache_is_bounded(library: PackLibrary) -> None:
    small = Renderer(ROOT / "templates", part_cache_size=2)
    for name in STORY_NAMES[:3]:
        story = _story(name)
        small.layout(_packet(story, library))
    assert len(small.parts) == 2
