"""Collaborative words from a story: the ask, past attempts without blame, and never a demand."""

from __future__ import annotations

import re

import pytest

from app.library.packs import Citation
from app.packet.medicines import identify_medicines
from app.packet.phrasing import phrasing_for
from app.packet.voice import voice_for
from app.story import Story
from tests.helpers import STORY_NAMES, load_story

DEMANDS = re.compile(r"\b(must|demand|insist|you have to|you need to|refuse|your fault|you failed)\b", re.I)


def _cite(excerpt_id: str) -> Citation | None:
    found = {"asam-2025-rec-6": "Rec. 6", "asam-2025-rec-8-9": "Rec. 8 and 9"}.get(excerpt_id)
    return Citation(excerpt_id, "ASAM 2025", found, "title", "text", quote=False) if found else None


def _phrasing(name: str):  # type: ignore[no-untyped-def]
    story = Story.model_validate(load_story(name))
    return phrasing_for(story, voice_for(story), _cite, identify_medicines(story))


@pytest.mark.parametrize("name", STORY_NAMES)
def test_never_demanding_or_accusing(name: str) -> None:
    phrasing = _phrasing(name)
    words = [
        phrasing.opening,
        phrasing.pace,
        phrasing.closing,
        *phrasing.past_attempts,
        *(a.text for a in phrasing.asks),
    ]
    own = " ".join(words)
    for story_text in (a.get("outcome", "") for a in load_story(name).get("past_attempts", [])):
        own = own.replace(story_text, "")
    assert not DEMANDS.search(own)
    assert phrasing.closing.endswith("?")


def test_ask_follows_outcome_and_pace() -> None:
    asks = [a.text for a in _phrasing("patient_one_drug").asks]
    assert asks[0] == "A gradual plan, made together, to stop Xanax (alprazolam)."
    assert asks[1].startswith("A slow pace")
    assert asks[-1] == "A check-in call two weeks after each change."


def test_guideline_pace_is_cited_or_left_out() -> None:
    story = Story.model_validate(load_story("caregiver_older_adult"))
    cited = phrasing_for(story, voice_for(story), _cite, identify_medicines(story)).asks[1]
    assert cited.citation == "ASAM 2025, Rec. 6" and "5–10%" in cited.text
    uncited = phrasing_for(story, voice_for(story), lambda _: None, identify_medicines(story)).asks
    assert all("5–10%" not in a.text for a in uncited)


def test_past_attempts_in_the_caregiver_voice() -> None:
    story = Story.model_validate(
        {**load_story("caregiver_older_adult"), "past_attempts": [{"when": "2021", "method": "cold_turkey"}]}
    )
    lines = phrasing_for(story, voice_for(story), _cite, identify_medicines(story)).past_attempts
    assert lines[0] == "In 2021, my mother stopped all at once."
    assert "not to blame anyone" in lines[-1]


def test_braces_typed_by_the_person_stay_text() -> None:
    story = Story.model_validate(
        {
            **load_story("caregiver_older_adult"),
            "medications": [{"name": "Pill {x}", "dose_mg": 1, "times_per_day": 1, "taking_since": "2020"}],
            "past_attempts": [{"when": "{0} 2019 {", "method": "detox"}],
            "options": {},
        }
    )
    phrasing = phrasing_for(story, voice_for(story), _cite, identify_medicines(story))
    assert "Pill {x}" in phrasing.opening
    assert phrasing.past_attempts[0] == "In {0} 2019 {, my mother went through a detox programme."
