"""Replayed story-free pages (app/render/parts.py) → the same PDF as laying every page out afresh: page count, text
page by page, "Page x of y", the tag tree and every box's place, for every fixture, both copies, Letter and A4,
normal and large print, for both kinds of cached part (the prescriber copy's tail, the booklet's guidance block); and
no story text ever inside a cached part."""

from __future__ import annotations

import io
import os
import re
from functools import cache

import pikepdf
import pytest
from weasyprint.document import Page
from weasyprint.formatting_structure.boxes import Box

from app.packet.build import Packet, build_packet
from app.packet.copies import Copy
from app.render.after_taper import TaperEnd
from app.render.parts import (
    GuidanceView,
    Shown,
    TailView,
    booklet_guidance,
    plan_prefilled,
    prescriber_tail,
)
from app.render.renderer import Renderer
from app.render.split import head_split, replay_split
from app.settings import Settings
from app.story import Story, story_json
from tests.helpers import (
    ALL_STORIES,
    STORY_NAMES,
    every_text_field,
    load_story,
    pdf_pages,
    shared_library,
    shared_renderer,
    story_with,
)

PRINTS = [("letter", False), ("a4", True), ("a4", False), ("letter", True)]
FULL_MATRIX = os.environ.get("PARTS_FULL_MATRIX") == "1"
"""By default every fixture is compared on Letter/normal and A4/large print (every paper and print size, ≈1 min);
PARTS_FULL_MATRIX=1 adds A4/normal and Letter/large print for every fixture too (the full matrix, ≈2 min)."""
CASES = [(name, *p, "en") for name in ALL_STORIES for p in (PRINTS if FULL_MATRIX else PRINTS[:2])]
CASES += [(name, "letter", False, "es") for name in STORY_NAMES]
"""Spanish parts are cached apart (their HTML differs) and must replay as exactly."""
PAGE_OF = {"en": r"Page \d+ of \d+", "es": r"Página \d+ de \d+"}
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
def _story(name: str, paper: str, large_print: bool, language: str = "en") -> Story:
    return story_with(name, paper, large_print, language=language)


def _expected_replay(renderer: Renderer, packet: Packet) -> int:
    """How many pages each cached part should give this packet, worked out from the parts themselves."""
    fitted = renderer.fitted(packet)
    expected = 0
    if (tail := prescriber_tail(fitted, renderer.taper_ends.get(fitted))) is not None:
        cache = renderer.parts if tail.after_taper is None else renderer.taper_tails
        part = cache.get(renderer.part_html(tail), packet.paper)
        if tail.after_taper is not None:
            split = head_split(part.document, "guideline-points")
            expected += len(part.pages) - split.pages if split else 0
        elif not plan_prefilled(packet):
            expected += len(part.pages)
        elif (split := replay_split(part.document, "guideline-points")) is not None:
            expected += split.pages
    if "for_me" in packet.sections and (view := booklet_guidance(packet)) is not None:
        part = renderer.parts.get(renderer.part_html(view), packet.paper)
        split = replay_split(part.document, "guidance", "options")
        expected += split.pages if split else 0
    return expected


@pytest.mark.parametrize(("name", "paper", "large_print", "language"), CASES)
def test_replayed_copies_equal_a_render_from_scratch(name: str, paper: str, large_print: bool, language: str) -> None:
    renderer = shared_renderer()
    story = _story(name, paper, large_print, language)
    packet = build_packet(story, shared_library())
    data = story_json(story)
    renderer.pdf(packet, data)  # the first request lays the parts out; the second replays them
    replayed, mismatches = renderer.replayed_pages, renderer.part_mismatches
    fast = renderer.pdf(packet, data)
    naive = renderer.pdf_from_scratch(packet, data)
    assert renderer.part_mismatches == mismatches
    assert renderer.replayed_pages - replayed == _expected_replay(renderer, packet)
    fast_pages, naive_pages = pdf_pages(fast), pdf_pages(naive)
    assert len(fast_pages) == len(naive_pages)
    for number, (fast_page, naive_page) in enumerate(zip(fast_pages, naive_pages, strict=True), start=1):
        assert fast_page == naive_page, f"page {number} differs"
        assert len(re.findall(PAGE_OF[language], fast_page)) == 1, f"page {number}"
    assert _structure(fast) == _structure(naive)


@cache
def _in_place() -> Renderer:
    """A renderer with no part cache: every page laid out where it falls."""
    return Renderer(Settings().templates_dir, part_cache_size=0)


def _geometry(page: Page) -> list[tuple[str, float, float, float, str | None]]:
    """Every box of the page: its kind, where it is, how wide, and its text."""
    found = []
    pending: list[Box] = [page._page_box]
    while pending:
        box = pending.pop()
        found.append(
            (
                type(box).__name__,
                round(box.position_x, 2),
                round(box.position_y, 2),
                round(box.width, 2),
                getattr(box, "text", None),
            )
        )
        pending.extend(reversed(getattr(box, "children", ())))
    return found


@pytest.mark.parametrize(("name", "paper", "large_print", "language"), CASES)
def test_replayed_pages_keep_every_box_where_it_was(name: str, paper: str, large_print: bool, language: str) -> None:
    """Stricter than the text: every box of every page, replayed or laid out after a replayed part, sits where
    laying every page out in place puts it."""
    packet = build_packet(_story(name, paper, large_print, language), shared_library())
    renderer = shared_renderer()
    renderer.documents(packet)
    fast, in_place = renderer.documents(packet), _in_place().documents(packet)
    for copy, document in fast.items():
        assert len(document.pages) == len(in_place[copy].pages), copy
        for number, (page, expected) in enumerate(zip(document.pages, in_place[copy].pages, strict=True), start=1):
            assert _geometry(page) == _geometry(expected), f"{copy.value} page {number}"


def test_every_fixture_without_taper_replays_its_tail() -> None:
    """The fixtures exercise the cache: those with no taper page and no shortened answer replay their tail (up to a
    prefilled plan, which is laid out afresh after it)."""
    renderer = shared_renderer()
    replayed = {
        name
        for name in ALL_STORIES
        if prescriber_tail(renderer.fitted(build_packet(_story(name, "letter", False), shared_library())))
    }
    assert {"minimal", "cold_turkey_seizure", "dismissed_new_medicine", "prescriber_cutoff_switch"} <= replayed
    assert "patient_one_drug" not in replayed  # its taper page flows on into the guideline points
    assert "follow_up" in replayed  # its points, references and learning more; its prefilled plan is laid out anew
    renderer.pdf(build_packet(_story("follow_up", "letter", False), shared_library()), b"{}")
    replayed_before = renderer.replayed_pages
    renderer.layout(build_packet(_story("follow_up", "letter", False), shared_library()), Copy.prescriber)
    assert renderer.replayed_pages > replayed_before


def test_the_booklet_replays_the_options_grid_up_to_what_it_was_written_for() -> None:
    """The booklet's cached block runs on into the options grid: most fixtures cut inside the grid, so the guidance
    pages and the grid's pages before the cut are replayed, and the story's document lays out only the last choices,
    what the page was written for and the values; each line still printed once."""
    renderer = shared_renderer()
    inside: dict[str, int] = {}
    for name in STORY_NAMES:
        packet = build_packet(_story(name, "letter", False), shared_library())
        view = booklet_guidance(packet)
        assert view is not None
        split = replay_split(renderer.parts.get(renderer.part_html(view), packet.paper).document, "guidance", "options")
        if split is not None and split.block == 1:
            inside[name] = split.items
    assert len(inside) >= len(STORY_NAMES) // 2, inside
    assert any(items > 0 for items in inside.values())  # a cut between two choices, not only before the grid
    story = _story("patient_one_drug", "letter", False)
    packet = build_packet(story, shared_library())
    renderer.pdf(packet, b"{}", Copy.personal)
    replayed = renderer.replayed_pages
    text = "\n".join(pdf_pages(renderer.pdf(packet, story_json(story), Copy.personal)))
    assert renderer.replayed_pages - replayed == 4
    page = packet.visit.options if packet.visit else None
    assert page is not None
    for line in (page.heading, "Written for: ", page.values_heading, *(o.title for o in page.options)):
        assert text.count(line) == 1, line


def test_a_taper_copy_replays_its_tail_from_the_tapers_second_render() -> None:
    """The first render of a taper measures where it ends (two numbers, no text); the next lays out the points' first
    lines on the taper's page and replays the tail's pages after them, from a part that holds no story text."""
    raw = every_text_field(load_story("patient_one_drug"), f"{MARKER} was here")
    packet = build_packet(Story.model_validate(raw), shared_library())
    renderer = Renderer(Settings().templates_dir)
    assert packet.prescriber.taper is not None and renderer.taper_ends.get(packet) is None
    renderer.layout(packet, Copy.prescriber)
    end = renderer.taper_ends.get(packet)
    assert end is not None and renderer.replayed_pages == 0
    document = renderer.layout(packet, Copy.prescriber)
    assert renderer.replayed_pages >= 1 and renderer.part_mismatches == 0
    assert len(renderer.taper_tails) == 1 and len(renderer.parts) == 0  # the shared parts keep their room
    assert len(document.pages) == len(_in_place().layout(packet, Copy.prescriber).pages)
    tail = prescriber_tail(packet, end)
    assert tail is not None
    html = renderer.part_html(tail)
    assert 'class="tail-spacer"' in html and MARKER not in html and MARKER not in repr(tail)


def test_a_taper_end_that_does_not_fit_is_laid_out_in_place() -> None:
    """Should the measured end be wrong, the story's lines would not end where the cached page starts: the copy is
    laid out whole instead, every box where it belongs, and that taper's tail is laid out in place from then on."""
    packet = build_packet(_story("patient_one_drug", "letter", False), shared_library())
    renderer = Renderer(Settings().templates_dir)
    renderer.taper_ends.remember(packet, TaperEnd(0.0, 0.0))
    document = renderer.layout(packet, Copy.prescriber)
    assert renderer.part_mismatches == 1 and renderer.replayed_pages == 0
    in_place = _in_place().layout(packet, Copy.prescriber)
    assert [_geometry(page) for page in document.pages] == [_geometry(page) for page in in_place.pages]
    for _ in range(2):
        renderer.layout(packet, Copy.prescriber)
    assert renderer.taper_ends.get(packet) is None and renderer.part_mismatches == 1 and renderer.replayed_pages == 0


def test_shown_writes_the_cut_blocks_head_or_the_rest() -> None:
    """Three elements, the second a list of four items, cut before its third item."""

    def written(shown: Shown) -> list[str]:
        found = []
        for element in range(3):
            if shown():
                found.append(f"e{element}")
                if element == 1:
                    found += [f"i{item}" for item in range(4) if shown.item()]
        return found

    assert written(Shown(1, 2)) == ["e1", "i2", "i3", "e2"]
    assert written(Shown(1, 2, head=True)) == ["e0", "e1", "i0", "i1"]
    assert written(Shown(2, 0, head=True)) == ["e0", "e1", "i0", "i1", "i2", "i3"]
    assert written(Shown(0)) == ["e0", "e1", "i0", "i1", "i2", "i3", "e2"]


def test_a_cached_part_holds_no_story_text() -> None:
    """Every free-text field carries a marker: no part's HTML (the cache key and what is cached) ever does."""
    raw = every_text_field(load_story("patient_one_drug"), f"{MARKER} was here")
    raw["options"]["include_taper_draft"] = False
    packet = build_packet(Story.model_validate(raw), shared_library())
    tail, guidance = prescriber_tail(packet), booklet_guidance(packet)
    assert tail is not None and guidance is not None
    renderer = shared_renderer()
    tail_html, guidance_html = renderer.part_html(tail), renderer.part_html(guidance)
    assert "What the guidelines say" in tail_html and "What we agreed" in tail_html
    assert "Questions to ask" in guidance_html and "Support and crisis help" in guidance_html
    for html, view in ((tail_html, tail), (guidance_html, guidance)):
        assert MARKER not in html and MARKER not in repr(view)
    assert MARKER in renderer.html(packet, Copy.prescriber) and MARKER in renderer.html(packet, Copy.personal)


def test_a_caregivers_booklet_is_cached_only_in_words_we_know() -> None:
    """A caregiver's lines name the person cared for: by a relationship word we know ("my mother") the block holds
    only our own words and is cached; by a name or a word as typed, never."""
    raw = every_text_field(load_story("patient_one_drug"), f"{MARKER} was here")
    raw["prepared_by"] = "caregiver"
    raw["caregiver"] = {"name": MARKER, "relationship": "mother", "phone": "555-0142"}
    packet = build_packet(Story.model_validate(raw), shared_library())
    view = booklet_guidance(packet)
    assert packet.booklet.caregiving and view is not None
    html = shared_renderer().part_html(view)
    assert "my mother" in html.casefold() and MARKER not in html and MARKER not in repr(view)
    for typed in ("Auntie Jo", "Mother", "my neighbour Sam"):
        raw["caregiver"]["relationship"] = typed
        assert booklet_guidance(build_packet(Story.model_validate(raw), shared_library())) is None, typed


def test_the_cached_templates_can_read_nothing_but_their_views() -> None:
    """The parts' templates are rendered against a view: a field it does not carry fails, never reads as empty."""
    packet = build_packet(_story("minimal", "letter", False), shared_library())
    tail, guidance = prescriber_tail(packet), booklet_guidance(packet)
    assert isinstance(tail, TailView) and isinstance(guidance, GuidanceView)
    template = shared_renderer().env.from_string("{{ packet.footer_label }}{{ packet.phrasing }}")
    for view in (tail, guidance):
        with pytest.raises(Exception, match="footer_label"):
            template.render(packet=view)


def test_a_prefilled_plan_or_continued_answer_is_never_cached() -> None:
    """A prefilled plan's values stay out of the cached tail (its fields are blank there); answers continued from
    page 1 keep the whole tail out of the cache."""
    raw = load_story("minimal")
    raw["agreed"] = {"decision": "reduce", "contact": "clinic nurse line 555-0100"}
    packet = build_packet(Story.model_validate(raw), shared_library())
    tail = prescriber_tail(packet)
    assert plan_prefilled(packet) and tail is not None
    assert "555-0100" not in shared_renderer().part_html(tail) and "555-0100" not in repr(tail)
    assert "555-0100" in shared_renderer().html(packet, Copy.prescriber)
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
