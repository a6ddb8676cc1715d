"""app/library/yaml_messages.py: exactly the words a reader sees are extracted, and translated the same way."""

from __future__ import annotations

import io

import yaml

from app.library.yaml_messages import extract, translated

PACK = b"""\
id: who-2023
title: Mental Health Gap Action Programme guideline
short: WHO mhGAP 2023
url: https://www.who.int/
plain: "the World Health Organization's 2023 guideline"
credit: "Not a WHO adaptation."
excerpts:
  - id: who-2023-anxiety
    title: What WHO says about anxiety
    text: Words a reader sees.
    locator: "p. 25"
    tags: [anxiety_or_panic]
support:
  - name: Crisis Text Line
    what: Free crisis support by text message.
    contact: Text HOME to 741741
    checked: 2026-12-02
say:
  - A plain line in both voices.
  - only_tags: [detox_history]
    patient: My words.
"""

WORDS = [
    "the World Health Organization's 2023 guideline",
    "Not a WHO adaptation.",
    "What WHO says about anxiety",
    "Words a reader sees.",
    "p. 25",
    "Free crisis support by text message.",
    "Text HOME to 741741",
    "A plain line in both voices.",
    "My words.",
]


def test_only_reader_visible_words_are_extracted() -> None:
    """Not ids, tags, URLs, dates, a service's name, nor a pack's own title (the source's name)."""
    found = [words for _, _, words, _ in extract(io.BytesIO(PACK), None, None, {})]
    assert found == WORDS


def test_translation_reads_the_same_words_as_extraction() -> None:
    data = yaml.safe_load(PACK)
    seen: list[str] = []

    def gettext(words: str) -> str:
        seen.append(words)
        return words.upper()

    spanish = translated(data, gettext)
    assert seen == WORDS
    assert spanish["title"] == data["title"] and spanish["excerpts"][0]["title"] == "WHAT WHO SAYS ABOUT ANXIETY"
    assert spanish["support"][0]["name"] == "Crisis Text Line" and spanish["excerpts"][0]["tags"] == [
        "anxiety_or_panic"
    ]
