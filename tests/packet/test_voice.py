"""Who speaks in the packet: the patient, or a caregiver about the patient."""

from __future__ import annotations

from app.packet.voice import voice_for
from app.story import Story

MED = [{"name": "Xanax", "dose_mg": 1, "times_per_day": 1, "taking_since": "2020"}]


def _voice(**story: object):  # type: ignore[no-untyped-def]
    return voice_for(Story.model_validate({"medications": MED, **story}))


def test_patient_speaks_for_themselves() -> None:
    voice = _voice(prepared_by="patient")
    assert voice.sentence("I have taken it", "{subject} {have} taken it") == "I have taken it"


def test_caregiver_speaks_about_the_patient() -> None:
    voice = _voice(
        prepared_by="caregiver", caregiver={"name": "Ana", "relationship": "my mother"}, patient={"pronouns": "she/her"}
    )
    assert voice.sentence("", "{subject} {have} taken {possessive} medicine") == "My mother has taken her medicine"
    assert voice.sentence("", "In 2019, {subject_mid} stopped, and {pronoun} {pronoun_have} struggled") == (
        "In 2019, my mother stopped, and she has struggled"
    )


def test_unknown_pronouns_default_to_they() -> None:
    voice = _voice(prepared_by="caregiver", caregiver={"name": "Sam", "relationship": "friend"})
    assert voice.sentence("", "{pronoun} {pronoun_have} tried; {subject} {have} tried") == (
        "they have tried; My friend has tried"
    )
