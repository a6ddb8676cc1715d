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


def _spanish(**story: object):  # type: ignore[no-untyped-def]
    return _voice(options={"language": "es"}, **story)


def test_the_patient_speaks_spanish_in_the_first_person() -> None:
    voice = _spanish(prepared_by="patient")
    assert voice.sentence("{subject} {have} tomado", "") == "Yo he tomado"
    assert voice.gender is None and voice.gendered("cansada", "cansado", "con cansancio") == "con cansancio"


def test_a_caregiver_speaks_spanish_about_their_mother_typed_in_english() -> None:
    voice = _spanish(prepared_by="caregiver", caregiver={"name": "Ana", "relationship": "my mother"})
    assert voice.sentence("", "{subject} {have} tomado {possessive} medicamento") == "Mi madre ha tomado su medicamento"
    assert voice.relationship == "madre" and voice.gender == "f"
    assert voice.fill("para {object}") == "para ella"
    assert voice.gendered("cansada", "cansado", "con cansancio") == "cansada"


def test_the_relationship_word_decides_the_gender_before_the_pronouns() -> None:
    voice = _spanish(
        prepared_by="caregiver", caregiver={"name": "Luis", "relationship": "hijo"}, patient={"pronouns": "she"}
    )
    assert voice.subject == "Mi hijo" and voice.gender == "m" and voice.pronoun == "él"


def test_a_word_that_does_not_tell_takes_the_gender_from_the_pronouns() -> None:
    voice = _spanish(
        prepared_by="caregiver", caregiver={"name": "Sam", "relationship": "friend"}, patient={"pronouns": "he/him"}
    )
    assert voice.subject == "Mi amigo" and voice.gender == "m"
    voice = _spanish(
        prepared_by="caregiver", caregiver={"name": "Sam", "relationship": "pareja"}, patient={"pronouns": "ella"}
    )
    assert voice.subject == "Mi pareja" and voice.gender == "f" and voice.object == "ella"


def test_without_a_gender_the_spanish_voice_repeats_who_it_is() -> None:
    voice = _spanish(prepared_by="caregiver", caregiver={"name": "Sam", "relationship": "partner"})
    assert voice.gender is None
    assert voice.fill("un plan seguro para {object}") == "un plan seguro para mi pareja"
    assert voice.gendered("cansada", "cansado", "con cansancio") == "con cansancio"


def test_a_relationship_typed_in_another_word_is_kept_as_typed() -> None:
    voice = _spanish(prepared_by="caregiver", caregiver={"name": "Eva", "relationship": "madrina"})
    assert voice.subject == "Mi madrina" and voice.gender == "f"
    voice = _spanish(prepared_by="caregiver", caregiver={"name": "Eva", "relationship": "vecina de al lado"})
    assert voice.subject == "Mi vecina de al lado"


def test_english_is_unchanged_by_the_spanish_voice() -> None:
    voice = _voice(
        prepared_by="caregiver", caregiver={"name": "Ana", "relationship": "mother"}, patient={"pronouns": "she"}
    )
    assert (voice.subject, voice.pronoun, voice.object, voice.possessive) == ("My mother", "she", "her", "her")
