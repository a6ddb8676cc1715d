"""Story → tags: each rule in app/packet/tags.py, triggered and not triggered, plus coverage of every tag in use."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from app.library.check import load_checked
from app.library.content import load_content
from app.library.tag_names import TAGS
from app.packet.tags import story_tags
from app.settings import ROOT
from app.story import Story
from tests.helpers import STORY_NAMES, load_story

TODAY = dt.date(2026, 11, 24)


def story(**fields: Any) -> Story:
    """A one-medicine patient story (lorazepam 0.5 mg once a day since last month, aiming to stop) with the given
    fields changed."""
    base: dict[str, Any] = {
        "prepared_by": "patient",
        "goals": {"outcome": "stop"},
        "medications": [{"name": "lorazepam", "dose_mg": 0.5, "times_per_day": 1, "taking_since": "2026-10"}],
    }
    return Story.model_validate(base | fields)


def tags_of(**fields: Any) -> set[str]:
    return story_tags(story(**fields), TODAY)


def med(name: str, dose: float = 0.5, times: float = 1, since: str = "2026-10", **more: Any) -> dict[str, Any]:
    return {"name": name, "dose_mg": dose, "times_per_day": times, "taking_since": since, **more}


def test_a_plain_short_low_dose_story_has_only_always() -> None:
    assert tags_of() == {"always"}


def test_an_undecided_goal_is_a_tag() -> None:
    assert tags_of(goals={"outcome": "undecided"}) == {"always", "goal_undecided"}


@pytest.mark.parametrize(
    ("method", "expected"),
    [
        ("cold_turkey", {"abrupt_stop_history"}),
        ("fast_taper", {"abrupt_stop_history"}),
        ("detox", {"abrupt_stop_history", "detox_history"}),
        ("slow_taper", set()),
        ("switch", {"switch_requested"}),
    ],
)
def test_past_attempt_methods(method: str, expected: set[str]) -> None:
    found = tags_of(past_attempts=[{"when": "2020", "method": method}])
    assert found - {"always"} == expected


@pytest.mark.parametrize(
    "field",
    [
        {"experience": "I had a seizure when I ran out."},
        {"symptoms": ["convulsions"]},
        {"past_attempts": [{"when": "2019", "method": "other", "outcome": "Had a fit on day 3"}]},
    ],
)
def test_seizure_history_from_any_part_of_the_history(field: dict[str, Any]) -> None:
    assert "seizure_history" in tags_of(**field)


def test_older_adult_from_65() -> None:
    assert "older_adult" in tags_of(patient={"age": 65})
    assert "older_adult" not in tags_of(patient={"age": 64})


def test_z_drug_also_means_insomnia() -> None:
    assert {"z_drug", "insomnia"} <= tags_of(medications=[med("Ambien", 5)])


def test_multiple_benzos_counts_known_drugs_only() -> None:
    assert "multiple_benzos" in tags_of(medications=[med("Xanax"), med("zopiclone", 3.75)])
    assert "multiple_benzos" not in tags_of(medications=[med("Xanax"), med("melatonin", 3)])


def test_long_term_use_from_three_months() -> None:
    assert "long_term_use" in tags_of(medications=[med("lorazepam", since="2026-08")])
    assert "long_term_use" not in tags_of(medications=[med("lorazepam", since="2026-09")])


def test_switch_requested_from_requests_or_notes() -> None:
    assert "switch_requested" in tags_of(goals={"requests": ["Could I move to a longer-acting drug?"]})
    assert "switch_requested" in tags_of(goals={"notes": "I read about Valium."})


@pytest.mark.parametrize(
    ("reason", "tag"), [("panic attacks", "anxiety_or_panic"), ("GAD", "anxiety_or_panic"), ("insomnia", "insomnia")]
)
def test_reason_prescribed(reason: str, tag: str) -> None:
    assert tag in tags_of(reason_prescribed=reason)
    assert tag in tags_of(medications=[med("lorazepam", prescribed_for=reason)])


def test_caregiver() -> None:
    assert "caregiver" in tags_of(prepared_by="caregiver", caregiver={"name": "Ana", "relationship": "mother"})


def test_symptoms_reported_from_symptoms_or_described_withdrawal() -> None:
    assert "symptoms_reported" in tags_of(symptoms=["tinnitus"])
    assert "symptoms_reported" in tags_of(experience="Withdrawal between doses is hard.")
    assert "symptoms_reported" not in tags_of(experience="I feel fine most days.")


def test_symptoms_after_cut_needs_a_past_attempt_or_withdrawal_named() -> None:
    """O2: listed symptoms alone (an older adult's falls and confusion) do not tie them to a dose cut."""
    assert "symptoms_after_cut" not in tags_of(symptoms=["falls", "confusion"])
    assert "symptoms_after_cut" in tags_of(symptoms=["falls"], past_attempts=[{"when": "2024", "method": "slow_taper"}])
    assert "symptoms_after_cut" in tags_of(experience="Shaky since the cut; I think it is withdrawal.")
    assert "symptoms_after_cut" not in tags_of(past_attempts=[{"when": "2024", "method": "slow_taper"}])


def test_slow_pace_and_goal_reduce_come_from_goals() -> None:
    assert "slow_pace" in tags_of(goals={"pace": "slow"})
    assert "slow_pace" not in tags_of(goals={"pace": "as_guidelines"})
    assert "goal_reduce" in tags_of(goals={"outcome": "reduce"})
    assert "goal_reduce" not in tags_of(goals={"outcome": "undecided"})


@pytest.mark.parametrize(
    "text",
    [
        "My doctor will stop prescribing next month.",
        "The clinic cut me off.",
        "She won't refill it again.",
        "He took me off it in a week.",
    ],
)
def test_prescriber_stopping(text: str) -> None:
    assert "prescriber_stopping" in tags_of(why_now=text)


def test_prescriber_stopping_ignores_unrelated_words() -> None:
    assert "prescriber_stopping" not in tags_of(why_now="I was taken off work for a month.")


@pytest.mark.parametrize(
    "text",
    [
        "They want to add gabapentin.",
        "My doctor offered a new medication for the symptoms.",
        "She suggested starting an antidepressant to cover withdrawal.",
    ],
)
def test_new_med_mentioned(text: str) -> None:
    assert "new_med_mentioned" in tags_of(experience=text)


@pytest.mark.parametrize(
    "text",
    [
        "I also take an antidepressant.",
        "Gabapentin helps my back.",
        "My prescriber wants to talk about my medicine.",
        "I started this medicine in 2015.",
    ],
)
def test_a_medicine_merely_named_is_not_a_new_one_proposed(text: str) -> None:
    assert "new_med_mentioned" not in tags_of(experience=text)


@pytest.mark.parametrize("text", ["I felt dismissed.", "He didn't listen to me.", "I was brushed off."])
def test_felt_dismissed(text: str) -> None:
    assert "felt_dismissed" in tags_of(experience=text)


def test_high_dose_needs_every_source_above_ten_mg() -> None:
    # clonazepam 1 mg ≈ 10–20 mg diazepam: the low figure is not above ASAM's low-dose line.
    assert "high_dose" not in tags_of(medications=[med("clonazepam", 1)])
    # clonazepam 2 mg ≈ 20–40 mg diazepam by both sources.
    assert "high_dose" in tags_of(medications=[med("clonazepam", 1, 2)])
    # Two medicines add up: lorazepam 1 mg (5–10 mg) + clonazepam 0.75 mg (7.5–15 mg) → at least 12.5 mg.
    assert "high_dose" in tags_of(medications=[med("lorazepam", 1), med("clonazepam", 0.75)])
    assert "high_dose" not in tags_of(medications=[med("melatonin", 100)])


def test_story_tags_are_all_documented() -> None:
    for name in STORY_NAMES:
        assert story_tags(Story.model_validate(load_story(name))) <= set(TAGS)


def test_every_tag_in_use_is_produced_by_some_fixture_story() -> None:
    produced = set().union(*(story_tags(Story.model_validate(load_story(n))) for n in STORY_NAMES))
    used = load_checked([ROOT / "resource_packs"]).tags() | load_content().tags()
    assert used <= produced, f"no fixture story produces {sorted(used - produced)}"
    assert set(TAGS) <= produced, f"documented but never produced by a fixture: {sorted(set(TAGS) - produced)}"


def test_fixture_stories_trigger_their_named_rules() -> None:
    cases = {
        "prescriber_cutoff_switch": {"prescriber_stopping", "switch_requested"},
        "dismissed_new_medicine": {"felt_dismissed", "new_med_mentioned", "z_drug", "goal_reduce"},
        "cold_turkey_seizure": {"detox_history", "seizure_history", "abrupt_stop_history"},
        "caregiver_older_adult": {"caregiver", "older_adult", "multiple_benzos", "high_dose"},
    }
    for name, expected in cases.items():
        assert expected <= story_tags(Story.model_validate(load_story(name))), name


@pytest.mark.parametrize(
    ("fields", "tag"),
    [
        ({"experience": "Tuve una convulsión cuando lo dejé de golpe."}, "seizure_history"),
        ({"goals": {"outcome": "stop", "requests": ["¿Podemos cambiar a diazepam?"]}}, "switch_requested"),
        ({"reason_prescribed": "Ataques de pánico y ansiedad."}, "anxiety_or_panic"),
        ({"reason_prescribed": "No podía dormir."}, "insomnia"),
        ({"experience": "Tengo síntomas de abstinencia."}, "symptoms_reported"),
        ({"why_now": "Mi médico dejó de recetarlo."}, "prescriber_stopping"),
        ({"why_now": "Ya no me receta el medicamento."}, "prescriber_stopping"),
        ({"why_now": "Me sugirió añadir otro medicamento, quetiapina."}, "new_med_mentioned"),
        ({"why_now": "No me escuchó."}, "felt_dismissed"),
        ({"experience": "También tomo tramadol y oxicodona."}, "opioids_mentioned"),
        ({"why_now": "Estoy embarazada."}, "pregnancy"),
    ],
)
def test_spanish_words_meet_the_same_rules(fields: dict[str, Any], tag: str) -> None:
    """What a person types in Spanish is never translated, so each rule reads Spanish too."""
    assert tag in tags_of(**fields)


def test_an_english_word_that_merely_starts_like_a_spanish_one_is_no_trigger() -> None:
    assert "felt_dismissed" not in tags_of(why_now="I felt ignorant about these medicines.")
