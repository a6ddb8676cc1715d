"""app/packet/taper_page.py: which medicine, what the page says, the rendered PDF (table, vector chart, citations)."""

from __future__ import annotations

import io
import re
from typing import Any

import pikepdf
from fastapi.testclient import TestClient

from app.library.packs import PackLibrary
from app.packet.taper_page import NOT_A_PRESCRIPTION, TaperSection, taper_section
from app.story import Story
from tests.helpers import load_story, pdf_pages

UNKNOWN = "Zorvexa"


def _story(medications: list[dict[str, Any]], goals: dict[str, Any] | None = None, **options: Any) -> dict[str, Any]:
    return {
        "prepared_by": "patient",
        "medications": medications,
        "goals": goals or {"outcome": "stop", "pace": "slow"},
        "options": {"include_taper_draft": True, **options},
    }


def _med(name: str, dose: float, times: float = 1) -> dict[str, Any]:
    return {"name": name, "dose_mg": dose, "times_per_day": times, "taking_since": "2019"}


def _section(library: PackLibrary, story: dict[str, Any]) -> TaperSection:
    section = taper_section(Story.model_validate(story), library)
    assert section is not None
    return section


def test_no_section_unless_asked_for(library: PackLibrary) -> None:
    story = _story([_med("Xanax", 0.5, 3)])
    assert taper_section(Story.model_validate({**story, "options": {}}), library) is None
    no_taper_page = {**story, "options": {"include_taper_draft": True, "sections": ["prescriber", "evidence"]}}
    assert taper_section(Story.model_validate(no_taper_page), library) is None


def test_alprazolam_slow_stop_section(library: PackLibrary) -> None:
    section = _section(library, _story([_med("Xanax", 0.5, 3)]))
    assert section.medicine == "Xanax"
    assert section.intro_citation.startswith("ASAM 2025, Rec. 6")
    assert [(r.step, r.start_week, r.daily_dose, r.cut, r.of_start) for r in section.rows[:3]] == [
        ("Now", "0", "1.5 mg", "—", "100%"),
        ("1", "4", "1.43 mg", "4.7%", "95%"),
        ("2", "8", "1.36 mg", "4.9%", "91%"),
    ]
    assert section.chart is not None and "<title>Chart of the draft taper for Xanax" in section.chart
    assert section.small_doses and section.ending and "0.19 mg a day" in section.ending
    assert section.duration and "100–200 weeks" in section.duration
    assert section.pause_citation and "Rec. 11" in section.pause_citation
    assert section.not_a_prescription == NOT_A_PRESCRIPTION
    assert NOT_A_PRESCRIPTION == "This is a starting point for discussion with your prescriber, not a prescription."
    assert section.held_steady is None and section.switch is None and section.unknown_note is None


def test_first_recognised_medicine_is_tapered_and_the_rest_held_steady(library: PackLibrary) -> None:
    section = _section(library, _story([_med(UNKNOWN, 50), _med("Klonopin", 1, 2), _med("Ambien", 5)]))
    assert section.medicine == "Klonopin"
    assert section.held_steady == (
        f"This draft tapers Klonopin first. {UNKNOWN} and Ambien stay at the same dose while Klonopin is reduced."
    )


def test_the_chosen_medicine_wins(library: PackLibrary) -> None:
    story = _story(
        [_med("Ativan", 1, 2), _med("Ambien", 5)], {"outcome": "reduce", "pace": "as_guidelines"}, taper_medication=2
    )
    section = _section(library, story)
    assert section.medicine == "Ambien" and section.held_steady and "Ativan stays" in section.held_steady
    # Zolpidem grid 5 mg / 20 = 0.25 mg; no target, so half way: 5, 4.5, 4.05 -> 4.25, ... 2.75, then 2.5.
    assert [r.daily_dose for r in section.rows][:3] == ["5 mg", "4.5 mg", "4.25 mg"]
    assert section.rows[-1].daily_dose == "2.5 mg"
    assert section.ending and section.ending.startswith("No target dose was given, so the draft goes half way")


def test_clonazepam_reduce_to_target(library: PackLibrary) -> None:
    story = _story([_med("clonazepam", 1, 2)], {"outcome": "reduce", "pace": "as_guidelines", "target_daily_mg": 1})
    section = _section(library, story)
    assert [r.daily_dose for r in section.rows] == [
        "2 mg",
        "1.8 mg",
        "1.625 mg",
        "1.475 mg",
        "1.35 mg",
        "1.225 mg",
        "1.125 mg",
        "1.025 mg",
        "1 mg",
    ]
    assert section.ending == "The draft ends at the goal of 1 mg a day." and not section.small_doses


def test_unknown_medicine_gets_a_note_and_no_numbers(library: PackLibrary) -> None:
    section = _section(library, _story([_med(UNKNOWN, 2)]))
    assert section.unknown_note and UNKNOWN in section.unknown_note
    assert section.rows == () and section.chart is None and section.plan is None and section.duration is None
    assert not re.search(r"\d+(\.\d+)? ?mg", section.unknown_note)
    assert section.not_a_prescription == NOT_A_PRESCRIPTION


def test_a_chosen_unknown_medicine_is_discussed_first_without_numbers(library: PackLibrary) -> None:
    section = _section(library, _story([_med(UNKNOWN, 2), _med("Valium", 10, 2)], taper_medication=1))
    assert section.medicine == UNKNOWN and section.rows == () and section.unknown_note
    assert section.held_steady == (
        f"{UNKNOWN} is the medicine to discuss first. Valium stays at the same dose while {UNKNOWN} is reduced."
    )


def test_an_undecided_pace_is_drafted_gently_and_says_so(library: PackLibrary) -> None:
    section = _section(library, _story([_med("diazepam", 10, 2)], {"outcome": "undecided", "pace": "undecided"}))
    assert section.plan and "at most 5% of the current dose" in section.plan
    assert section.plan.endswith(
        "No pace was chosen yet, so the draft uses the gentler end; it can be made faster or slower together."
    )
    assert section.rows[-1].daily_dose == "10 mg" and section.ending
    assert section.ending.startswith("No goal was chosen yet, so the draft goes half way, to 10 mg a day")


def test_a_target_that_is_not_lower_drafts_nothing(library: PackLibrary) -> None:
    story = _story([_med("lorazepam", 1)], {"outcome": "reduce", "pace": "slow", "target_daily_mg": 2})
    section = _section(library, story)
    assert section.rows == () and section.chart is None
    assert section.ending == "The goal of 1 mg a day is not below the current dose, so there is nothing to draft."


def test_a_dose_already_at_the_floor_goes_straight_to_how_to_finish(library: PackLibrary) -> None:
    # Alprazolam grid 0.01 mg: 5% of 0.1 mg is 0.005 mg, smaller than one grid step.
    section = _section(library, _story([_med("alprazolam", 0.1)]))
    assert section.rows == () and section.small_doses
    assert section.ending and section.ending.startswith("The draft stops proposing doses at 0.1 mg a day")


def test_switching_shows_ranges_and_rec_7_but_no_schedule(library: PackLibrary) -> None:
    goals = {"outcome": "stop", "pace": "slow", "requests": ["Could I switch to diazepam first?"]}
    section = _section(library, _story([_med("Xanax", 0.5, 3), _med(UNKNOWN, 3)], goals))
    assert section.switch is not None
    assert [(e.medicine, e.equivalence) for e in section.switch.equivalences] == [
        ("Xanax", "about 15–30 mg diazepam a day (Ashton 2002; VA/DoD 2021)"),
        (UNKNOWN, "no equivalence listed"),
    ]
    assert section.switch.guideline and section.switch.guideline.citation.startswith("ASAM 2025, Rec. 7")
    assert "drafts no switch schedule" in section.switch.note
    assert section.medicine == "Xanax"


# ---- the rendered PDF (acceptance items 3 and 4) ----


def _pdf(client: TestClient, story: dict[str, Any]) -> bytes:
    response = client.post("/api/v1/packets", json=story)
    assert response.status_code == 200, response.text
    return response.content


def _unwrapped(text: str) -> str:
    """Narrow table cells wrap after a slash ("VA/ DoD"); join those back."""
    return re.sub(r"/ ", "/", text)


def _longest_path(pdf: bytes, page_number: int) -> int:
    """The most line segments in one path on a page: a step chart is one long polyline, table rules are short."""
    longest = run = 0
    with pikepdf.open(io.BytesIO(pdf)) as document:
        for _, operator in pikepdf.parse_content_stream(document.pages[page_number]):
            run = run + 1 if str(operator) == "l" else 0
            longest = max(longest, run)
    return longest


def _image_xobjects(pdf: bytes) -> int:
    with pikepdf.open(io.BytesIO(pdf)) as document:
        return sum(1 for obj in document.objects if isinstance(obj, pikepdf.Stream) and obj.get("/Subtype") == "/Image")


def _figure_alts(pdf: bytes) -> list[str]:
    alts = []
    with pikepdf.open(io.BytesIO(pdf)) as document:
        stack = [document.Root.StructTreeRoot]
        while stack:
            node = stack.pop()
            if isinstance(node, pikepdf.Dictionary):
                if node.get("/S") == "/Figure" and "/Alt" in node:
                    alts.append(str(node.Alt))
                kids = node.get("/K")
                if kids is not None:
                    stack.extend(kids if isinstance(kids, pikepdf.Array) else [kids])
    return alts


def test_pdf_has_the_table_vector_chart_citation_and_sentence(client: TestClient) -> None:
    story = load_story("patient_one_drug")
    story["medications"].append(_med("Ambien", 5))
    pdf = _pdf(client, story)
    pages = [_unwrapped(page) for page in pdf_pages(pdf)]
    text = " ".join(pages)
    assert re.search(r"about 15–30 mg diazepam a day \(ASAM 2025, Table 7 \[\d\]\)", pages[0])  # page 1 cites Table 7
    assert "not given here: no checked primary source lists this medicine" in pages[0]  # Ambien: secondary figure only
    start = next(i for i, page in enumerate(pages) if "Draft taper to discuss" in page)
    section = " ".join(pages[start : start + 3])
    assert re.search(r"Daily dose .*Now 0 1\.5 mg — 100% 1 4 1\.43 mg 4\.7% 95%", section)
    assert "ASAM 2025, Rec. 6" in section
    assert "This draft tapers Xanax first. Ambien stays at the same dose while Xanax is reduced." in section
    assert "A pause is possible at any step" in section
    assert NOT_A_PRESCRIPTION in text
    chart_page = next(i for i in range(start, len(pages)) if "% of starting dose" in pages[i])
    # 50 cuts: the polyline has 2 x 50 + 2 points, so one path of 101 segments, drawn as vectors, no raster.
    assert _longest_path(pdf, chart_page) >= 101
    assert _image_xobjects(pdf) == 0
    assert any(
        alt.startswith("Chart of the draft taper for Xanax: from 1.5 mg to 0.19 mg a day") for alt in _figure_alts(pdf)
    )


def test_pdf_for_an_unknown_medicine_has_a_note_and_no_numbers(client: TestClient) -> None:
    story = _story([_med(UNKNOWN, 2, 2), _med("Valium", 10, 4)], taper_medication=1)
    pages = [_unwrapped(page) for page in pdf_pages(_pdf(client, story))]
    assert re.search(f"{UNKNOWN} .*no equivalence listed.* Valium .*about 40 mg diazepam a day", pages[0])
    start = next(i for i, page in enumerate(pages) if "Draft taper to discuss" in page)
    section = pages[start]
    assert f"taperprep does not recognise “{UNKNOWN}”, so this section proposes no doses for it." in section
    assert "Daily dose" not in section and "% of starting dose" not in section
    assert NOT_A_PRESCRIPTION in section


def test_html_preview_carries_the_same_inline_chart(client: TestClient) -> None:
    response = client.post("/api/v1/packets?format=html", json=load_story("patient_one_drug"))
    assert response.status_code == 200
    html = response.text
    assert html.count("<svg") == 1 and "<title>Chart of the draft taper for Xanax: from 1.5 mg" in html
    assert "<script" not in html[html.index("<svg") : html.index("</svg>")]
    assert '<th scope="col">Daily dose</th>' in html and NOT_A_PRESCRIPTION in html
