"""The clinical review's findings that issue 13 closes (shared/reviews/clinical.md), one test each, read from the
packs, the content files and the Packet. Rendered checks live in tests/render/test_copies.py."""

from __future__ import annotations

import datetime as dt

import pytest

from app.library.check import load_checked
from app.library.content import load_content
from app.library.packs import PackLibrary
from app.packet.build import Packet, build_packet
from app.settings import ROOT
from app.story import Story
from tests.helpers import load_story


@pytest.fixture(scope="module")
def library() -> PackLibrary:
    return load_checked([ROOT / "resource_packs"])


def packet_of(name: str, library: PackLibrary, **changes: object) -> Packet:
    return build_packet(Story.model_validate(load_story(name) | changes), library, today=dt.date(2026, 12, 2))


def test_m1_ashton_1994_is_its_own_reference(library: PackLibrary) -> None:
    found = library.excerpt("ashton-1994-pace")
    assert found.pack.short == "Ashton 1994" and "Addiction 1994;89:1535–1541" in found.pack.reference
    assert "benzo.org.uk/ashtbd.htm" in found.pack.url
    assert not any(e.id == "ashton-2002-pace" for p in library.packs for e in p.excerpts)


def test_m3_asam_reference_names_both_guides(library: PackLibrary) -> None:
    reference = next(p for p in library.packs if p.id == "asam-2025").reference
    assert "https://eguideline.guidelinecentral.com/i/1532950" in reference
    assert "https://eguideline.guidelinecentral.com/i/1539871" in reference
    assert "Page numbers are the pocket guide's" in reference


def test_m6_patient_excerpts_and_surveys_go_to_the_booklet_only(library: PackLibrary) -> None:
    packet = packet_of("dismissed_new_medicine", library)
    booklet = {e.id for e in packet.booklet.excerpts}
    points = {p.id for p in packet.prescriber.points}
    assert {"asam-2025-timeline", "survey-finlayson-2022-not-told"} <= booklet
    assert not points & booklet
    assert all(library.excerpt(i).pack.kind == "guideline" for i in points)


def test_m7_wording_matches_the_sources(library: PackLibrary) -> None:
    assert "support groups and health websites" in library.excerpt("bind-ritvo-2023-bind").excerpt.text
    assert "short-term use and that stopping" in library.excerpt("survey-finlayson-2022-not-told").excerpt.text
    table_2 = library.excerpt("asam-2025-table-2").excerpt.text
    assert "1 to 3 months, 4 or more days a week" in table_2 and "3 months or more, 4 or more days a week" in table_2


def test_m8_quotation_hygiene(library: PackLibrary) -> None:
    assert "Paraphrased from FDA's wording as quoted by" in library.excerpt("fda-2020-individual-plan").excerpt.text
    assert '"© 2025. The Author(s)."' in next(p for p in library.packs if p.id == "asam-2025").licence


def test_m9_plain_words(library: PackLibrary) -> None:
    content = load_content()
    assert "another use of the medicines that exist" not in content.small_doses.note
    assert "off-label" in content.small_doses.note
    assert "not in step with" not in library.excerpt("maudsley-2024-proportional").excerpt.text
    assert "support for the mind" not in library.excerpt("ashton-1994-pace").excerpt.text


def test_m11_duration_rounds_to_the_nearest_year(library: PackLibrary) -> None:
    packet = packet_of("patient_one_drug", library)
    assert packet.medications[0].how_long == "since 2018-03 (about 9 years)"


def test_o5_a_single_figure_says_the_columns_agree(library: PackLibrary) -> None:
    meds = [{"name": "chlordiazepoxide", "dose_mg": 25, "times_per_day": 1, "taking_since": "2020"}]
    row = packet_of("minimal", library, medications=meds).medications[0]
    assert row.equivalence.startswith("about 10 mg diazepam a day (both columns of ASAM 2025, Table 7 agree")


def test_z_drug_figures_seen_only_in_a_secondary_copy_stay_off_page_1(library: PackLibrary) -> None:
    row = packet_of("dismissed_new_medicine", library).medications[0]
    assert "secondary" not in row.equivalence and row.equivalence.startswith("not given here")


def test_t3_ashton_on_readiness_only_when_the_goal_is_not_to_stop(library: PackLibrary) -> None:
    stopping = packet_of("prescriber_cutoff_switch", library)
    assert "ashton-1994-pace" not in {p.id for p in stopping.prescriber.points}
    text = library.excerpt("ashton-1994-pace").excerpt.text
    assert "should not be forced" not in text and "not ready" in text
    assert "ashton-1994-pace" in {p.id for p in packet_of("minimal", library).prescriber.points}


def test_u2_no_alliance_patient_tools_claim() -> None:
    content = load_content()
    for country in content.support.values():
        for group in country.groups:
            for item in group.items:
                assert "patient-tools" not in (item.url or "") and "pamphlet" not in item.what.casefold()


def test_u3_who_is_cited_by_isbn_without_an_unchecked_address(library: PackLibrary) -> None:
    reference = next(p for p in library.packs if p.id == "who-2023").reference
    assert "ISBN 978-92-4-008427-8" in reference and "who.int" not in reference


def test_who_anxiety_excerpt_is_worded_as_reported_and_never_reaches_the_prescriber(library: PackLibrary) -> None:
    found = library.excerpt("who-2023-anxiety")
    assert found.excerpt.seen == "secondary" and found.excerpt.audience == "patient"
    assert "We have not checked this" in found.excerpt.text
    for name in ("patient_one_drug", "prescriber_cutoff_switch", "caregiver_older_adult"):
        assert not any(p.id.startswith("who-") for p in packet_of(name, library).prescriber.points)


def test_every_support_line_was_checked_in_a_stored_copy() -> None:
    content = load_content()
    assert set(content.support) == {"US", "GB", "CA", "AU", "IE", "NZ"}
    for country in content.support.values():
        assert country.groups[0].title == "If you are in crisis"
        for group in country.groups:
            for item in group.items:
                assert item.checked == dt.date(2026, 12, 2)
                assert item.contact or item.url


def test_o6_the_guidelines_pace_is_called_the_faster_end(library: PackLibrary) -> None:
    meds = [{"name": "lorazepam", "dose_mg": 1, "times_per_day": 2, "taking_since": "2015"}]
    goals = {"outcome": "stop", "pace": "as_guidelines"}
    options = {"include_taper_draft": True}
    taper = packet_of("minimal", library, medications=meds, goals=goals, options=options).prescriber.taper
    assert taper is not None and taper.pace and "faster end of that starting range" in taper.pace


def test_o7_taperprep_does_not_choose_which_medicine_to_taper_first(library: PackLibrary) -> None:
    taper = packet_of("caregiver_older_adult", library, options={"include_taper_draft": True}).prescriber.taper
    assert taper is not None and taper.held_steady is not None
    assert taper.held_steady.startswith("taperprep drafted the first medicine listed")
    assert "Let taperprep suggest" not in (ROOT / "templates" / "web" / "form.html.j2").read_text(encoding="utf-8")


def test_t1_t2_the_taper_page_speaks_to_both_of_them(library: PackLibrary) -> None:
    goals = {"outcome": "stop", "pace": "slow", "requests": ["Could I switch to diazepam first?"]}
    taper = packet_of("minimal", library, goals=goals, options={"include_taper_draft": True}).prescriber.taper
    assert taper is not None and taper.switch is not None
    assert "for you and your prescriber to decide together" in taper.switch.note
    assert (
        taper.not_a_prescription
        == "A starting point for the patient and prescriber to discuss. It is not a prescription."
    )


def test_u4_maudsley_locator_names_where_it_was_seen(library: PackLibrary) -> None:
    locator = library.excerpt("maudsley-2024-proportional").excerpt.locator
    assert locator.startswith("As described by the NHS Wales e-library and the app edition of Chapter 3")
    assert not locator.startswith("Ch. 1")


def test_l1_readme_says_pack_text_is_not_under_mit() -> None:
    readme = " ".join((ROOT / "README.md").read_text(encoding="utf-8").split())
    assert "The text of `resource_packs/` is not under MIT" in readme and "CC BY-NC-SA 3.0 IGO" in readme


def test_u5_packs_say_where_they_were_seen(library: PackLibrary) -> None:
    packs = {p.id: p for p in library.packs}
    assert "seen in a copy of the clorazepate label, DailyMed set ID" in packs["fda-label"].publisher
    assert "press release and announcement, as reproduced by the sources named" in " ".join(
        packs["fda-2020"].attribution.split()
    )


def test_m10_opioids_and_pregnancy_bring_their_asam_recommendations(library: PackLibrary) -> None:
    opioid = packet_of("minimal", library, experience="I also take oxycodone for my back.")
    pregnant = packet_of("minimal", library, why_now="We would like to try for a pregnancy next year.")
    plain = packet_of("minimal", library)
    assert "asam-2025-opioids" in {p.id for p in opioid.prescriber.points}
    assert "asam-2025-pregnancy" in {p.id for p in pregnant.prescriber.points}
    assert not {"asam-2025-opioids", "asam-2025-pregnancy"} & {p.id for p in plain.prescriber.points}
    citation = next(p.citation for p in opioid.prescriber.points if p.id == "asam-2025-opioids")
    assert citation.startswith("ASAM 2025, Recs 16–18 [")
