"""Replayed story-free pages (app/render/parts.py) → the same PDF as laying every page out afresh: page count, text
page by page, "Page x of y" and the tag tree, for every fixture, both copies, Letter and A4, normal and large print;
and no story text ever inside a cached part."""

from __future__ import annotations

import io
import os
import re
from functools import cache

import pikepdf
import pytest

from app.packet.build import build_packet
from app.packet.copies import Copy
from app.render.parts import TailView, prescriber_tail
from app.render.renderer import Renderer
from app.settings import Settings
from app.story import Story, story_json
from tests.helpers import (
    FIXTURES,
    STORY_NAMES,
    every_text_field,
    load_story,
    pdf_pages,
    shared_library,
    shared_renderer,
    story_with,
)

UNICODE = sorted(f"unicode/{p.stem}" for p in (FIXTURES / "unicode").glob("*.json"))
ALL_STORIES = [*STORY_NAMES, *UNICODE]
PRINTS = [("letter", False), ("a4", True), ("a4", False), ("letter", True)]
FULL_MATRIX = os.environ.get("PARTS_FULL_MATRIX") == "1"
"""By default every fixture is compared on Letter/normal and A4/large print (every paper and print size, ≈1 min);
PARTS_FULL_MATRIX=1 adds A4/normal and Letter/large print for every fixture too (the full matrix, ≈2 min)."""
CASES = [(name, *p) for name in ALL_STORIES for p in (PRINTS if FULL_MATRIX else PRINTS[:2])]
MARKER = "Zyxwv-private-marker"


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


@cache
def _story(name: str, paper: str, large_print: bool) -> Story:
    return story_with(name, paper, large_print)


@pytest.mark.parametrize(("name", "paper", "large_print"), CASES)
def test_replayed_copies_equal_a_render_from_scratch(name: str, paper: str, large_print: bool) -> None:
    renderer = shared_renderer()
    story = _story(name, paper, large_print)
    packet = build_packet(story, shared_library())
    data = story_json(story)
    renderer.pdf(packet, data)  # the first request lays the part out; the second replays it
    hits, mismatches = renderer.parts.hits, renderer.part_mismatches
    fast = renderer.pdf(packet, data)
    naive = renderer.pdf_from_scratch(packet, data)
    assert renderer.part_mismatches == mismatches
    if prescriber_tail(renderer.fitted(packet)) is not None:
        assert renderer.parts.hits > hits, "the story-free tail was not replayed"
    fast_pages, naive_pages = pdf_pages(fast), pdf_pages(naive)
    assert len(fast_pages) == len(naive_pages)
    for number, (fast_page, naive_page) in enumerate(zip(fast_pages, naive_pages, strict=True), start=1):
        assert fast_page == naive_page, f"page {number} differs"
        assert len(re.findall(r"Page \d+ of \d+", fast_page)) == 1, f"page {number}"
    assert _structure(fast) == _structure(naive)


def test_every_fixture_without_taper_or_prefilled_plan_replays_its_tail() -> None:
    """The fixtures exercise the cache: those with no taper page, no shortened answer and a blank plan replay."""
    renderer = shared_renderer()
    replayed = {
        name
        for name in ALL_STORIES
        if prescriber_tail(renderer.fitted(build_packet(_story(name, "letter", False), shared_library())))
    }
    assert {"minimal", "cold_turkey_seizure", "dismissed_new_medicine", "prescriber_cutoff_switch"} <= replayed
    assert "patient_one_drug" not in replayed  # its taper page flows on into the guideline points
    assert "follow_up" not in replayed  # its agreed plan is prefilled from the story


def test_a_cached_part_holds_no_story_text() -> None:
    """Every free-text field carries a marker: the tail's HTML (the cache key and what is cached) never does."""
    raw = every_text_field(load_story("patient_one_drug"), f"{MARKER} was here")
    raw["options"]["include_taper_draft"] = False
    packet = build_packet(Story.model_validate(raw), shared_library())
    tail = prescriber_tail(packet)
    assert tail is not None
    html = shared_renderer().part_html(tail)
    assert "What the guidelines say" in html and "What we agreed" in html
    assert MARKER not in html and MARKER not in repr(tail)
    assert MARKER in shared_renderer().html(packet, Copy.prescriber)


def test_the_cached_template_can_read_nothing_but_the_tail_view() -> None:
    """The tail template rendered against a TailView: a field it does not carry fails, it is never read as empty."""
    packet = build_packet(_story("minimal", "letter", False), shared_library())
    tail = prescriber_tail(packet)
    assert isinstance(tail, TailView)
    renderer = shared_renderer()
    template = renderer.env.from_string("{{ packet.footer_label }}")
    with pytest.raises(Exception, match="footer_label"):
        template.render(packet=tail)


def test_a_prefilled_plan_or_continued_answer_is_never_cached() -> None:
    raw = load_story("minimal")
    raw["agreed"] = {"decision": "reduce", "contact": "clinic nurse line 555-0100"}
    assert prescriber_tail(build_packet(Story.model_validate(raw), shared_library())) is None
    long = load_story("cold_turkey_seizure")
    long["why_now"] = " ".join(["I want to be present for my children and sleep without fear."] * 16)
    long["experience"] = " ".join(["Most days start with dread and a tight chest until the morning dose."] * 16)
    long["past_attempts"] = [{**long["past_attempts"][0], "outcome": "I could not sleep for weeks. " * 30}] * 3
    renderer = shared_renderer()
    fitted = renderer.fitted(build_packet(Story.model_validate(long), shared_library()))
    assert fitted.continued and prescriber_tail(fitted) is None


def test_cached_pages_carry_each_persons_own_footer() -> None:
    """Two people with the same selection share the cached pages but never each other's name."""
    renderer = Renderer(Settings().templates_dir)
    first = _story("cold_turkey_seizure", "letter", False)
    raw = load_story("cold_turkey_seizure")
    raw["patient"]["name"] = "Quinn Marlowe-Test"
    raw.setdefault("options", {}).update(paper="letter", large_print=False)
    second = Story.model_validate(raw)
    renderer.pdf(build_packet(first, shared_library()), story_json(first))
    misses = renderer.parts.misses
    pages = pdf_pages(renderer.pdf(build_packet(second, shared_library()), story_json(second), Copy.prescriber))
    assert renderer.parts.misses == misses and renderer.parts.hits >= 1
    assert first.patient.name and all(first.patient.name not in page for page in pages)
    assert all("Quinn Marlowe-Test" in page for page in pages)


def test_the_part_cache_is_bounded() -> None:
    small = Renderer(Settings().templates_dir, part_cache_size=1)
    for paper in ("letter", "a4"):
        small.layout(build_packet(_story("minimal", paper, False), shared_library()), Copy.prescriber)
    assert len(small.parts) == 1 and small.parts.misses == 2


def test_the_preview_renders_the_tail_in_place() -> None:
    html = shared_renderer().html(build_packet(_story("minimal", "letter", False), shared_library()))
    assert "data-cached-part" not in html and "What the guidelines say" in html
