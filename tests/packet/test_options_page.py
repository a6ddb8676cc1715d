"""The options page: stay, reduce, stop, not decided yet — equal detail, every point cited, fitted to the person."""

from __future__ import annotations

import datetime as dt

import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError

from app.library.options_text import OPTION_IDS, OptionsText, load_options_text
from app.library.packs import PackLibrary
from app.library.translations import speaking
from app.packet.options_page import options_page
from app.packet.tags import story_tags
from app.story import Story
from tests.helpers import load_story, pdf_pages

TODAY = dt.date(2026, 12, 2)


def _page(name: str, library: PackLibrary, **changes: object):
    story = Story.model_validate(load_story(name) | changes)
    return options_page(story, story_tags(story, TODAY), load_options_text(), library, TODAY)


def test_every_excerpt_the_page_cites_exists(library: PackLibrary) -> None:
    missing = [i for i in load_options_text().cited() if library.cite(i) is None]
    assert not missing


@pytest.mark.parametrize("name", ["minimal", "patient_one_drug", "caregiver_older_adult", "cold_turkey_seizure"])
def test_four_options_in_equal_detail_each_point_cited(name: str, library: PackLibrary) -> None:
    page = _page(name, library)
    assert tuple(o.id for o in page.options) == OPTION_IDS
    assert {(len(o.benefits), len(o.risks)) for o in page.options} == {(2, 2)}
    assert all(p.sources for o in page.options for p in (*o.benefits, *o.risks))


def test_older_adults_read_the_guideline_for_their_age(library: PackLibrary) -> None:
    older = _page("caregiver_older_adult", library)
    younger = _page("patient_one_drug", library)
    assert any("65 and older" in p.text for p in older.options[0].risks)
    assert any("Beers Criteria (2023)" in p.sources for p in older.options[3].benefits)
    assert any(c.short == "AGS Beers 2023" for p in older.options[3].benefits for c in p.backed_by)
    assert not any("65 and older" in p.text for o in younger.options for p in (*o.benefits, *o.risks))


def test_a_past_sudden_stop_is_named_under_stopping(library: PackLibrary) -> None:
    page = _page("cold_turkey_seizure", library)
    assert any(p.text.startswith("A past stop was sudden") for p in page.options[2].risks)


def test_the_situation_names_age_medicine_time_and_past_attempts(library: PackLibrary) -> None:
    page = _page("patient_one_drug", library)
    assert page.situation[0] == "Age 38" and page.situation[1].startswith("Xanax, about ")
    assert page.situation[2].startswith("Tried before: ")


def test_the_persons_values_come_first_and_examples_are_not_repeated(library: PackLibrary) -> None:
    page = _page("patient_one_drug", library, goals={"values": ["keep working", "be there for my kids"]})
    assert page.values == ("keep working", "be there for my kids")
    assert "keep working" not in page.value_examples


def test_the_wording_file_must_give_every_option_the_same_detail() -> None:
    data = load_options_text().model_dump()
    data["options"][1]["risks"] = data["options"][1]["risks"][:1]
    with pytest.raises(ValidationError, match="same number of benefits and of risks"):
        OptionsText.model_validate(data)
    data = load_options_text().model_dump()
    data["options"] = data["options"][:3]
    with pytest.raises(ValidationError, match="exactly stay, reduce, stop, undecided"):
        OptionsText.model_validate(data)


def test_first_visit_booklet_has_the_options_page_and_values_on_page_1(client: TestClient) -> None:
    story = load_story("patient_one_drug")
    story["goals"]["values"] = ["keep working", "sleep through the night"]
    prescriber = pdf_pages(client.post("/api/v1/packets?copy=prescriber", json=story).content)
    assert "What matters most to me: keep working; sleep through the night" in prescriber[0]
    assert not any("Your options, side by side" in p for p in prescriber)
    pages = pdf_pages(client.post("/api/v1/packets?copy=personal", json=story).content)
    whole = " ".join(pages)
    text = whole[whole.index("Your options, side by side") :]
    for title in (
        "Stay on the current dose for now",
        "Lower the dose, slowly",
        "Stop, with a slow taper",
        "Not decided yet",
    ):
        assert title in text
    assert text.count("Good points") == 4 and text.count("Hard points") == 4
    assert text.count("(Backed by ") == 16  # each point in plain words, as the booklet's other pages
    for source in ("the 2025 tapering guideline from ASAM", "FDA's 2020 safety warning", "every benzodiazepine label"):
        assert source in text


def test_in_spanish_the_situation_is_spanish_and_keeps_what_was_typed(library: PackLibrary) -> None:
    with speaking("es"):
        tried = _page("patient_one_drug", library)
        untried = _page("minimal", library, past_attempts=[])
    assert tried.situation[0] == "Edad: 38 años" and tried.situation[1].startswith("Xanax, ")
    assert tried.situation[2].startswith("Ya se intentó: ")
    assert untried.situation[-1] == "Sin intentos previos de bajar o dejar el medicamento"
