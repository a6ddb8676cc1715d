"""Every fixture (the Unicode ones too), Letter and A4, normal and large print → the prescriber copy and the personal
booklet, laid out for real and read back: page 1 holds the whole summary, page counts, how full each page is,
numbered citations, the booklet's voice and support lines (issue 13's acceptance list)."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader
from weasyprint.document import Page
from weasyprint.formatting_structure.boxes import LineBox, MarginBox, ReplacedBox, TableRowBox

from app.library.packs import PackLibrary
from app.library.translations import _, speaking
from app.packet.build import build_packet
from app.packet.copies import Copy
from app.render.renderer import Renderer
from app.story import Story
from tests.helpers import (
    ALL_STORIES,
    LaidCopy,
    laid_copy,
    load_story,
    shared_library,
    shared_renderer,
    story_with,
)

PAPERS = ["letter", "a4"]
MIN_FILL = 1 / 3
GRADING_CODE = re.compile(r"\((?:CC|[HML]|VL)-[SCW]\)|\bCC-[SC]\b|\bL-S\b")
APPENDIX = "Appendix — every step of the draft"
DIARY_HEADING = "My diary"
"""The four-week diary (issue 18): paper to fill in, kept at the end like the appendix."""


def story_of(name: str, paper: str = "letter", large_print: bool = False, **options: object) -> Story:
    return story_with(name, paper, large_print, **options)


def _library() -> PackLibrary:
    return shared_library()


def _renderer() -> Renderer:
    return shared_renderer()


def laid(name: str, copy: Copy, paper: str, large_print: bool = False, language: str = "en") -> LaidCopy:
    """The prescriber copy ignores large print (tested below), so it is laid out once per paper."""
    return laid_copy(name, copy, paper, large_print and copy is not Copy.prescriber, language)


def texts(name: str, copy: Copy, paper: str, large_print: bool = False) -> tuple[str, ...]:
    return laid(name, copy, paper, large_print).texts


def fill(page: Page) -> float:
    """How much of the page's content area the page's content reaches down to, 0–1 (margin boxes left out)."""
    box = page._page_box
    top, height = box.content_box_y(), box.height
    bottoms = [
        d.position_y + d.margin_height()
        for child in box.children
        if not isinstance(child, MarginBox)
        for d in child.descendants()
        if isinstance(d, LineBox | ReplacedBox | TableRowBox)
    ]
    return (max(bottoms, default=top) - top) / height


def _answers(name: str) -> list[str]:
    """The story's own typed answers, as words long enough to find again."""
    raw = story_of(name).model_dump()
    found = [raw.get("reason_prescribed"), raw.get("experience"), raw.get("why_now")]
    found += [a.get(k) for a in raw["past_attempts"] for k in ("description", "outcome")]
    return [" ".join(t.split()[:4]) for t in found if t and len(t.split()) >= 4]


@pytest.mark.parametrize("paper", PAPERS)
@pytest.mark.parametrize("name", ALL_STORIES)
def test_prescriber_copy_page_1_holds_the_whole_summary(name: str, paper: str) -> None:
    pages = texts(name, Copy.prescriber, paper)
    page_1 = pages[0]
    assert "Talking about tapering" in page_1
    assert "Past attempts to reduce or stop" in page_1
    story = story_of(name)
    for med in story.medications:
        assert med.name[:12] in page_1
    for start in _answers(name):
        assert start in page_1 or "continued on page" in page_1, start
        assert all(start not in page for page in pages[1:2]) or "Continued from page 1" in " ".join(pages[1:])


@pytest.mark.parametrize("name", ALL_STORIES)
def test_large_print_leaves_the_prescriber_copy_as_it_is(name: str) -> None:
    renderer, library = _renderer(), _library()
    normal = renderer.html(build_packet(story_of(name, large_print=False), library), Copy.prescriber)
    large = renderer.html(build_packet(story_of(name, large_print=True), library), Copy.prescriber)
    assert normal == large


@pytest.mark.parametrize(("paper", "language"), [("letter", "en"), ("a4", "en"), ("letter", "es")])
@pytest.mark.parametrize("name", ALL_STORIES)
def test_prescriber_copy_is_short_and_has_no_sparse_page(name: str, paper: str, language: str) -> None:
    """In Spanish too, whose sentences run about a tenth longer."""
    found = laid(name, Copy.prescriber, paper, language=language)
    limit = 5 if found.packet.prescriber.taper else 4
    assert len(found.document.pages) <= limit  # "What we agreed" (issue 18) included
    with speaking(language):
        agreed = found.texts[-1].split(_("What we agreed"), 1)
        ends = _("Next review")
    assert len(agreed) == 2 and ends in agreed[1], "What we agreed must end the copy, whole on its last page"
    fills = [fill(page) for page in found.document.pages]
    assert all(f >= MIN_FILL for f in fills[:-1]), fills


@pytest.mark.parametrize("paper", PAPERS)
@pytest.mark.parametrize("name", ALL_STORIES)
def test_prescriber_copy_holds_none_of_the_booklet(name: str, paper: str) -> None:
    text = " ".join(texts(name, Copy.prescriber, paper))
    for booklet_only in (
        "not for handing over",
        "If the conversation gets hard",
        "Questions to ask",
        "Before the visit",
        "Backed by",
        "Support and crisis help",
        "What others have found",
    ):
        assert booklet_only not in text
    packet = laid(name, Copy.prescriber, paper).packet
    said = [packet.phrasing.opening, packet.phrasing.closing, packet.guidance.previsit_message.subject]
    said += [line for script in packet.booklet.scripts for line in script.say]
    flat = "".join(text.split())
    for line in said:
        assert "".join(line.split())[:60] not in flat, line
    for words in (
        "not yet checked",
        "secondary reproduction",
        "as reproduced by",
        "As BIC sums it up",
        "Skyscape",
        "accessed 2026",
        "treated as all rights reserved",
    ):
        assert words not in text


@pytest.mark.parametrize("name", ALL_STORIES)
def test_every_citation_in_the_prescriber_copy_resolves_to_a_numbered_reference(name: str) -> None:
    found = laid(name, Copy.prescriber, "letter")
    numbers = {ref.number for ref in found.packet.prescriber.references}
    text = " ".join(found.texts)
    cited = {int(n) for n in re.findall(r"\[(\d+)\]", text)}
    assert cited and cited <= numbers
    shorts = {p.short for p in _library().packs}
    named = {s for s in shorts if re.search(re.escape(s) + r",", text)}
    referenced = " ".join(ref.text for ref in found.packet.prescriber.references)
    for short in named:
        pack = next(p for p in _library().packs if p.short == short)
        assert pack.reference in referenced, short
    assert "Ashton 2002; VA/DoD 2021" not in text


@pytest.mark.parametrize("name", ALL_STORIES)
def test_prescriber_copy_ends_with_learning_more(name: str) -> None:
    pages = texts(name, Copy.prescriber, "a4")
    text = " ".join(pages)
    tail = text[text.index("Learning more, for the clinician") :]
    assert "Free CME" in tail and "https://corxconsortium.org/benzodiazepine-resources/" in tail
    assert "Free taper training for prescribers" in tail
    assert "https://doi.org/10.1007/s11606-025-09499-2" in tail
    assert "checked 2 December 2026" in tail
    assert tail.endswith(f"Page {len(pages)} of {len(pages)}")


@pytest.mark.parametrize(
    ("paper", "large_print", "limit", "language"),
    [("letter", False, 8, "en"), ("a4", False, 8, "en"), ("letter", True, 14, "en"), ("letter", False, 8, "es")],
)
@pytest.mark.parametrize("name", ALL_STORIES)
def test_booklet_is_at_most_8_pages_or_14_in_large_print(
    name: str, paper: str, large_print: bool, limit: int, language: str
) -> None:
    """Appendices aside (the full step list, the diary): the booklet itself, and no sparse page before its last."""
    found = laid(name, Copy.personal, paper, large_print, language)
    with speaking(language):
        ends = (_(APPENDIX), _(DIARY_HEADING))
    appendix = next((i for i, text in enumerate(found.texts) if any(e in text for e in ends)), len(found.texts))
    assert appendix <= limit, (appendix, limit)
    fills = [fill(page) for page in found.document.pages[:appendix]]
    assert all(f >= MIN_FILL for f in fills[:-1]), fills


def test_the_full_step_list_is_the_booklets_appendix_and_the_prescriber_copy_keeps_one_taper_page() -> None:
    raw = load_story("patient_one_drug")
    raw["medications"] = [{"name": "diazepam", "dose_mg": 10, "times_per_day": 4, "taking_since": "2015"}]
    raw["goals"] = {"outcome": "stop", "pace": "slow"}
    renderer = _renderer()
    packet = renderer.fitted(build_packet(Story.model_validate(raw), _library()))
    taper = packet.prescriber.taper
    assert taper is not None and packet.booklet.appendix is not None
    assert packet.booklet.appendix.rows == taper.appendix and len(taper.appendix) > len(taper.rows)
    documents = renderer.documents(packet, Copy.both)
    read = {
        c: [" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(d.write_pdf())).pages]
        for c, d in documents.items()
    }
    appendix = " ".join(t for t in read[Copy.personal] if APPENDIX in t or "Every step of the draft" in t)
    assert all(row.daily in appendix for row in taper.appendix)
    assert sum("Draft taper to discuss" in page for page in read[Copy.prescriber]) == 1
    assert APPENDIX not in " ".join(read[Copy.prescriber]) and len(read[Copy.prescriber]) <= 5


@pytest.mark.parametrize("name", ALL_STORIES)
def test_booklet_holds_scripts_questions_message_and_support_with_the_emergency_line_first(name: str) -> None:
    text = " ".join(texts(name, Copy.personal, "letter"))
    for heading in ("Ways to say it", "Questions to ask", "Before the visit", "Support and crisis help"):
        assert heading in text
    support = text[text.index("Support and crisis help") :]
    assert support.removeprefix("Support and crisis help ").startswith("A seizure, severe confusion")
    assert "call 911 now" in support
    assert not GRADING_CODE.search(text), GRADING_CODE.search(text)


def test_booklet_speaks_for_us_in_a_caregivers_voice() -> None:
    text = " ".join(texts("caregiver_older_adult", Copy.personal, "letter"))
    assert "For us — not for handing over" in text and "For me" not in text
    for first_person in ("my medicine", "doses for me", "Are they an option for me", "split my tablets"):
        assert first_person not in text


EMERGENCY = {"US": "911", "GB": "999", "CA": "911", "AU": "000", "IE": "112 or 999", "NZ": "111"}
CRISIS = {"US": "988", "GB": "116 123", "CA": "988", "AU": "13 11 14", "IE": "1800 247 247", "NZ": "1737"}


@pytest.mark.parametrize("country", sorted(EMERGENCY))
def test_support_follows_the_country(country: str) -> None:
    story = story_of("cold_turkey_seizure", country=country)
    html = _renderer().html(build_packet(story, _library()), Copy.personal)
    support = html[html.index("Support and crisis help") :]
    assert f"call {EMERGENCY[country]} now" in support
    assert CRISIS[country] in support
    if country != "US":
        assert "988 Suicide &amp; Crisis Lifeline" not in support and "Find a warmline in your state" not in support


def test_both_is_one_pdf_prescriber_first_each_with_its_own_page_numbers() -> None:
    renderer = _renderer()
    packet = build_packet(story_of("caregiver_older_adult"), _library())
    pdf = renderer.pdf(packet, b'{"v": 1}')
    reader = PdfReader(io.BytesIO(pdf))
    pages = [" ".join(p.extract_text().split()) for p in reader.pages]
    prescriber = len(texts("caregiver_older_adult", Copy.prescriber, "letter"))
    booklet = len(texts("caregiver_older_adult", Copy.personal, "letter"))
    assert len(pages) == prescriber + booklet
    assert f"Page 1 of {prescriber}" in pages[0] and "Talking about tapering" in pages[0]
    assert f"Page 1 of {booklet}" in pages[prescriber] and "For us — not for handing over" in pages[prescriber]
    assert "story.json" in reader.attachments


@pytest.mark.parametrize("copy", list(Copy))
def test_every_copy_carries_story_json_and_stays_tagged(copy: Copy) -> None:
    import pikepdf

    pdf = _renderer().pdf(build_packet(story_of("minimal"), _library()), b'{"v": 1}', copy)
    with pikepdf.open(io.BytesIO(pdf)) as document:
        assert "/StructTreeRoot" in document.Root and document.Root.MarkInfo.Marked
        assert "story.json" in document.attachments


def test_a_long_answer_is_shortened_on_page_1_and_continued_later() -> None:
    raw = load_story("patient_one_drug")
    raw["why_now"] = " ".join(["I want to be present for my children and sleep without fear."] * 16)
    raw["experience"] = " ".join(["Most days start with dread and a tight chest until the morning dose."] * 16)
    raw["past_attempts"] = [{**raw["past_attempts"][0], "outcome": "I could not sleep for weeks. " * 30}] * 3
    story = Story.model_validate(raw)
    renderer = _renderer()
    packet = renderer.fitted(build_packet(story, _library()))
    assert packet.continued
    document = renderer.documents(packet, Copy.prescriber)[Copy.prescriber]
    pages = [" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(document.write_pdf())).pages]
    number = re.search(r"continued on page (\d+)", pages[0])
    assert number and "Past attempt 1 (2022): what happened" in pages[int(number[1]) - 1]
    assert "Why now" in pages[0] and "Page 1 of" in pages[0] and "Continued from page 1" not in pages[0]
    assert " ".join(pages[1:]).count("I want to be present for my children") >= 16
