"""app/content/*.yaml → typed content: the shipped files load, and the schema keeps both voices honest."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from app.library.content import Content, Line, ScriptText, load_content


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
