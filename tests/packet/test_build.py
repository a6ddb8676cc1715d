"""Story + packs → Packet: which evidence each situation gets, which copy shows it, and what page 1 shows."""

from __future__ import annotations

import datetime as dt

import pytest

from app.errors import UnknownResources
from app.library.packs import PackLibrary
from app.packet.build import NO_EQUIVALENCE, build_packet
from app.packet.tags import story_tags
from app.story import Story
from tests.helpers import load_story


def _ids(story: dict, library: PackLibrary) -> set[str]:
    """Every excerpt the two documents show: the prescriber copy's points and the booklet's excerpts."""
    packet = build_packet(Story.model_validate(story), library)
    return {p.id for p in packet.prescriber.points} | {e.id for e in packet.booklet.excerpts}


def _selected(story: dict, library: PackLibrary) -> set[str]:
    """What the story's tags select, before the two documents each take their part of it."""
    return {s.excerpt.id for s in library.select(story_tags(Story.model_validate(story)))}


def _always(library: PackLibrary) -> set[str]:
    return {e.id for p in library.packs for e in p.excerpts if "always" in e.tags}


def test_minimal_story_gets_the_always_excerpts_and_ashton_for_an_undecided_goal(library: PackLibrary) -> None:
    assert _ids(load_story("minimal"), library) == _always(library) | {"ashton-1994-pace"}


def test_abrupt_stop_story_gets_abrupt_stop_excerpts(library: PackLibrary) -> None:
    abrupt = {e.id for p in library.packs for e in p.excerpts if "abrupt_stop_history" in e.tags}
    assert abrupt and abrupt <= _selected(load_story("cold_turkey_seizure"), library)
    assert not abrupt & _selected(load_story("minimal"), library)


def test_older_adult_story_gets_older_adult_excerpts(library: PackLibrary) -> None:
    older = {e.id for p in library.packs for e in p.excerpts if "older_adult" in e.tags}
    assert older and older <= _selected(load_story("caregiver_older_adult"), library)
    assert not older & _selected(load_story("patient_one_drug"), library)


def test_explicit_resources_override_the_rules(library: PackLibrary) -> None:
    story = {**load_story("cold_turkey_seizure"), "resources": ["who-2023", "fda-2020-withdrawal"]}
    # WHO's other excerpts were seen only in secondary copies and are not written for patients
    assert _ids(story, library) == {"who-2023-anxiety", "fda-2020-withdrawal"}


@pytest.mark.parametrize(
    "name",
    [
        "minimal",
        "patient_one_drug",
        "caregiver_older_adult",
        "cold_turkey_seizure",
        "dismissed_new_medicine",
        "prescriber_cutoff_switch",
        "as_needed_only",
    ],
)
def test_prescriber_copy_gets_3_to_6_primary_guideline_points(library: PackLibrary, name: str) -> None:
    packet = build_packet(Story.model_validate(load_story(name)), library)
    assert 3 <= len(packet.prescriber.points) <= 6
    for point in packet.prescriber.points:
        found = library.excerpt(point.id)
        assert found.pack.kind == "guideline" and found.excerpt.seen == "primary", point.id
        assert found.excerpt.audience != "patient"


def test_unknown_resource_ids_are_named(library: PackLibrary) -> None:
    story = Story.model_validate({**load_story("minimal"), "resources": ["fda-2020", "nope", "nada"]})
    with pytest.raises(UnknownResources) as caught:
        build_packet(story, library)
    assert [e["loc"] for e in caught.value.errors()] == [["body", "resources", 1], ["body", "resources", 2]]


def test_medication_rows(library: PackLibrary) -> None:
    packet = build_packet(Story.model_validate(load_story("patient_one_drug")), library, today=dt.date(2026, 11, 24))
    row = packet.medications[0]
    assert (row.name, row.generic, row.dose, row.daily_total) == (
        "Xanax",
        "alprazolam",
        "0.5 mg, 3 times a day",
        "1.5 mg a day",
    )
    assert row.how_long == "since 2018-03 (about 9 years)"  # M11: 8 years 8 months, to the nearest year


def test_unknown_drug_is_kept_as_typed_with_a_note(library: PackLibrary) -> None:
    story = {
        **load_story("minimal"),
        "medications": [{"name": "Mysterazepam 2mg", "dose_mg": 2, "times_per_day": 1, "taking_since": "2020"}],
    }
    packet = build_packet(Story.model_validate(story), library)
    assert packet.medications[0].name == "Mysterazepam 2mg"
    assert packet.medications[0].generic is None
    assert packet.medications[0].equivalence == NO_EQUIVALENCE
    assert packet.unknown_drugs_note and "Mysterazepam 2mg" in packet.unknown_drugs_note


def test_sections_can_be_left_out(library: PackLibrary) -> None:
    story = {**load_story("patient_one_drug"), "options": {"sections": ["prescriber"]}}
    packet = build_packet(Story.model_validate(story), library)
    assert packet.prescriber.points == () and packet.sections == frozenset({"prescriber"})


def test_library_is_sorted_by_order(library: PackLibrary) -> None:
    keys = [(p.order, p.id) for p in library.packs]
    assert keys == sorted(keys) and library.packs[0].id == "fda-2020"
