"""Story + packs → Packet: which evidence each situation gets, and what page 1 shows."""

from __future__ import annotations

import datetime as dt

import pytest

from app.errors import UnknownResources
from app.library.packs import PackLibrary
from app.packet.build import NO_EQUIVALENCE, build_packet
from app.story import Story
from tests.helpers import load_story


def _ids(story: dict, library: PackLibrary) -> set[str]:
    packet = build_packet(Story.model_validate(story), library)
    return {item.id for group in packet.evidence for item in group.items}


def _always(library: PackLibrary) -> set[str]:
    return {e.id for p in library.packs for e in p.excerpts if "always" in e.tags}


def test_minimal_story_gets_only_always_excerpts(library: PackLibrary) -> None:
    assert _ids(load_story("minimal"), library) == _always(library)


def test_abrupt_stop_story_gets_abrupt_stop_excerpts(library: PackLibrary) -> None:
    abrupt = {e.id for p in library.packs for e in p.excerpts if "abrupt_stop_history" in e.tags}
    assert abrupt and abrupt <= _ids(load_story("cold_turkey_seizure"), library)
    assert not abrupt & _ids(load_story("minimal"), library)


def test_older_adult_story_gets_older_adult_excerpts(library: PackLibrary) -> None:
    older = {e.id for p in library.packs for e in p.excerpts if "older_adult" in e.tags}
    assert older and older <= _ids(load_story("caregiver_older_adult"), library)
    assert not older & _ids(load_story("patient_one_drug"), library)


def test_explicit_resources_override_the_rules(library: PackLibrary) -> None:
    story = {**load_story("cold_turkey_seizure"), "resources": ["who-2023", "fda-2020-withdrawal"]}
    who = {e.id for p in library.packs if p.id == "who-2023" for e in p.excerpts}
    assert _ids(story, library) == who | {"fda-2020-withdrawal"}


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
    assert row.how_long == "since 2018-03 (about 8 years)"


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
    assert packet.evidence == () and (packet.prescriber_page, packet.for_me_page) == (True, False)


def test_library_is_sorted_by_order(library: PackLibrary) -> None:
    keys = [(p.order, p.id) for p in library.packs]
    assert keys == sorted(keys) and library.packs[0].id == "fda-2020"
