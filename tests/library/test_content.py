"""app/content/*.yaml → typed content: the shipped files load, and the schema keeps both voices honest."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from app.library.content import Content, Line, ScriptText, load_content, read_content_file
from app.library.options_text import load_options_text
from app.library.translations import speaking
from app.story import Country, Language


def test_shipped_content_loads() -> None:
    content = load_content()
    assert len(content.scripts) == 6
    assert {s.id for s in content.scripts} == {
        "detox",
        "faster-taper",
        "cutoff",
        "relapse",
        "new-medicine",
        "dismissed",
    }
    assert content.support["US"].groups[0].items[0].contact == "Call or text 988"


def test_a_plain_string_is_the_same_words_in_both_voices() -> None:
    script = ScriptText.model_validate(
        {"id": "x", "title": "T", "when": "W", "when_tags": ["always"], "say": ["Same words."], "backed_by": ["a-b"]}
    )
    assert script.say[0] == Line(patient="Same words.", caregiver="Same words.")


def test_unknown_fields_are_refused() -> None:
    with pytest.raises(ValidationError):
        Line.model_validate({"patient": "a", "caregiver": "b", "extra": "c"})


def test_a_script_must_cite_something() -> None:
    with pytest.raises(ValidationError, match="backed_by"):
        ScriptText.model_validate(
            {"id": "x", "title": "T", "when": "W", "when_tags": ["always"], "say": ["a"], "backed_by": []}
        )


def test_content_is_frozen() -> None:
    with pytest.raises(ValidationError):
        load_content().scripts[0].title = "changed"  # type: ignore[misc]
    assert isinstance(load_content(), Content)


def test_spanish_content_has_spanish_words_at_the_same_ids_tags_and_sources() -> None:
    english, spanish = load_content(Language.en), load_content(Language.es)
    assert spanish.cited() == english.cited() and spanish.tags() == english.tags()
    for before, after in zip(english.scripts, spanish.scripts, strict=True):
        assert after.model_dump(exclude={"title", "when", "say", "after"}) == before.model_dump(
            exclude={"title", "when", "say", "after"}
        )
        assert after.title != before.title and after.when != before.when
        for line_before, line_after in zip(before.say, after.say, strict=True):
            assert (line_after.only_tags, line_after.unless_tags) == (line_before.only_tags, line_before.unless_tags)
            assert line_after.caregiver != line_before.caregiver
    assert [q.tags for q in spanish.questions] == [q.tags for q in english.questions]
    assert all(a.caregiver != b.caregiver for a, b in zip(spanish.questions, english.questions, strict=True))
    assert spanish.previsit.body.patient.startswith("Buenos días, {prescriber}:")
    assert (
        "{medicines}" in spanish.previsit.subject.caregiver and "{patient_name}" in spanish.previsit.subject.caregiver
    )
    assert spanish.emergency.say.patient.endswith("llame ahora al {emergency_number}.")
    assert [i.url for i in spanish.learning_more] == [i.url for i in english.learning_more]


def test_content_follows_the_language_being_spoken() -> None:
    assert load_content() is load_content(Language.en)
    with speaking(Language.es):
        assert load_content() is load_content(Language.es)
        assert load_options_text() is load_options_text(Language.es)
        assert load_options_text().heading == "Sus opciones, una al lado de otra"


def test_spanish_options_keep_every_option_point_and_source() -> None:
    english, spanish = load_options_text(Language.en), load_options_text(Language.es)
    assert spanish.cited() == english.cited() and spanish.tags() == english.tags()
    assert [o.id for o in spanish.options] == [o.id for o in english.options]
    pairs = zip(spanish.options, english.options, strict=True)
    points = [pq for a, b in pairs for pq in zip((*a.benefits, *a.risks), (*b.benefits, *b.risks), strict=True)]
    assert all(p.text != q.text and p.backed_by == q.backed_by for p, q in points)


def test_spanish_speakers_get_the_988_and_crisis_text_lines_in_spanish() -> None:
    """988 then 2 (or AYUDA by text) and Crisis Text Line's AYUDA, checked on the services' own pages."""
    crisis = load_content(Language.es).support[Country.US].groups[0].items
    assert [(r.name, r.contact) for r in crisis] == [
        ("988 Suicide & Crisis Lifeline", "Llame al 988 y marque 2, o envíe AYUDA por mensaje de texto al 988"),
        ("Crisis Text Line", "Envíe AYUDA por mensaje de texto al 741741, o escriba al 442-AYUDAME por WhatsApp"),
    ]
    assert all(r.url and r.checked.isoformat() == "2026-12-02" for r in crisis)
    english = load_content(Language.en).support[Country.US].groups[0].items
    assert all(Language.es not in r.languages for r in english)
    assert english[0].contact == "Call or text 988" and "2 for Spanish" in english[0].what


def test_service_names_stay_as_written_in_spanish() -> None:
    written = read_content_file("support.yaml", Language.en)
    groups = [*(g for c in written["countries"].values() for g in c["groups"]), *written["caregivers"]]
    content = load_content(Language.es)
    shown = [*(g for s in content.support.values() for g in s.groups), *content.caregiver_support]
    assert {r.name for g in shown for r in g.items} <= {item["name"] for g in groups for item in g["items"]}
