"""Both documents in Spanish: the PDF says /Lang es, FDA's own words stay in English followed by taperprep's marked
translation, and no other English is left once what the person typed, names and references are taken out."""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any

import pikepdf
import pytest

from app.library.drugs import DRUGS
from app.library.translations import speaking
from app.packet.build import Packet, build_packet, shorten_answers
from app.packet.copies import Copy, printed
from app.story import Decision, DoseTime, Language, Method, Outcome, Pace, PreparedBy, Section, Story, story_json
from tests.helpers import (
    STORY_NAMES,
    load_story,
    pdf_pages,
    shared_library,
    shared_renderer,
    story_with,
    strings_in,
)

ENGLISH_WORDS = frozenset(
    {
        "the",
        "and",
        "with",
        "your",
        "you",
        "of",
        "to",
        "is",
        "are",
        "was",
        "were",
        "this",
        "that",
        "these",
        "those",
        "have",
        "has",
        "been",
        "what",
        "when",
        "which",
        "who",
        "please",
        "page",
        "pages",
        "for",
        "from",
        "about",
        "after",
        "before",
        "will",
        "would",
        "should",
        "could",
        "can",
        "it",
        "its",
        "if",
        "not",
        "or",
        "at",
        "on",
        "in",
        "by",
        "we",
        "our",
        "they",
        "their",
        "them",
        "she",
        "her",
        "his",
        "him",
        "my",
        "i'm",
        "we'd",
        "i'd",
        "there",
        "here",
        "how",
        "why",
        "now",
        "only",
        "also",
        "each",
        "every",
        "day",
        "days",
        "week",
        "weeks",
        "dose",
        "doses",
        "medicine",
        "medicines",
        "taper",
        "tapering",
        "prescriber",
        "guideline",
        "guidelines",
        "step",
        "steps",
        "cut",
        "cuts",
        "symptoms",
        "withdrawal",
        "appointment",
    }
)
"""Common English words that are not also Spanish words: any left in a Spanish packet is an untranslated message."""

CHOICES = frozenset(
    str(choice) for kind in (Decision, DoseTime, Method, Outcome, Pace, PreparedBy, Section) for choice in kind
)
TRANSLATION_MARK = "Traducción de taperprep"
WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)*")
URL = re.compile(r"https?://\S+|\b[\w.-]+\.(?:com|org|gov|uk|ca|au|nz|ie|net|edu)(?:/\S*)?")


@dataclass(frozen=True)
class SpanishPackets:
    packet: Packet
    texts: dict[Copy, str]
    langs: dict[Copy, str]


def _squeezed(text: str) -> str:
    return " ".join(text.split())


@cache
def spanish(name: str) -> SpanishPackets:
    """A fixture told in Spanish, both documents laid out on their own (page 1 fitted) and read back."""
    story = story_with(name, language="es")
    renderer = shared_renderer()
    packet = renderer.fitted(build_packet(story, shared_library()))
    texts, langs = {}, {}
    for copy, document in renderer.documents(packet).items():
        pdf = renderer.write(document, story_json(story), packet.lang)
        texts[copy] = " ".join(pdf_pages(pdf))
        with pikepdf.open(io.BytesIO(pdf)) as opened:
            langs[copy] = str(opened.Root.Lang)
    return SpanishPackets(packet, texts, langs)


def _typed(value: Any) -> Iterator[str]:
    """Every string the person typed (the story JSON's string values, but not its choices such as "slow")."""
    return (text for text in strings_in(value) if text not in CHOICES)


def _quotations(packet: Packet) -> list[str]:
    return [point.text for point in packet.prescriber.points if point.quote]


def _names(name: str, packet: Packet) -> list[str]:
    """What stays as written in any language: the person's words, drug names and brands, sources (titles, publishers,
    citations, locators, references, credits), products' citations, support services' names and numbers, FDA's
    quoted words."""
    with speaking(Language.es):
        packs = [*shared_library().packs]
    found = [*_typed(load_story(name)), *_typed(packet.who)]
    found += [packet.reason_prescribed or "", packet.experience or "", packet.why_now or ""]
    found += [text for a in packet.attempts for text in (a.when, a.description or "", a.outcome)]
    found += [d.generic for d in DRUGS] + [b for d in DRUGS for b in d.brands]
    for pack in packs:
        found += [pack.title, pack.short, pack.publisher, pack.reference or "", pack.credit or "", pack.plain]
        found += [e.locator for e in pack.excerpts] + [e.text for e in pack.excerpts if e.kind == "quote"]
    found += [r.text for r in packet.prescriber.references] + [r.credit or "" for r in packet.prescriber.references]
    found += [f"{s.name} {s.reference} {s.credit or ''}" for s in packet.booklet.sources]
    found += [part.rstrip(".") for r in packet.prescriber.references for part in re.split(r"(?<=\.) ", r.text)]
    found += [text for line in packet.prescriber.learning_more for text in (line.by, line.url or "")]
    taper = packet.prescriber.taper
    if taper is not None:
        found += [*taper.product_sources, *(o.citation or "" for o in taper.options)]
    for group in packet.guidance.support:
        found += [text for item in group.items for text in (item.name, item.contact or "", item.url or "")]
    return sorted({_squeezed(n) for n in found if n.strip()}, key=len, reverse=True)


def _as_printed(written: str) -> re.Pattern[str]:
    """The words as the PDF's text gives them back: a line break may add a space anywhere ("…/i/ 1532950",
    "Wiley- Blackwell") or fold one away."""
    letters = [re.escape(c) for c in written if not c.isspace()]
    return re.compile(r"(?<!\w)" + r"\s*".join(letters) + r"(?!\w)")


def _left_in_english(name: str, copy: Copy) -> list[str]:
    """Each English word left, with the words around it."""
    packets = spanish(name)
    text = packets.texts[copy]
    for written in _names(name, packets.packet):
        text = _as_printed(written).sub(" ", text)
    text = URL.sub(" ", text)
    words = list(WORD.finditer(text))
    return [
        " ".join(w.group() for w in words[max(0, i - 4) : i + 5])
        for i, word in enumerate(words)
        if word.group().casefold() in ENGLISH_WORDS
    ]


def _copies(name: str) -> list[Copy]:
    return printed(Copy.both, spanish(name).packet.sections)


CASES = [(name, copy) for name in STORY_NAMES for copy in (Copy.prescriber, Copy.personal)]


@pytest.mark.parametrize(("name", "copy"), CASES, ids=[f"{n}-{c}" for n, c in CASES])
def test_each_document_says_it_is_spanish(name: str, copy: Copy) -> None:
    if copy not in _copies(name):
        pytest.skip(f"{name} prints no {copy} copy")
    packets = spanish(name)
    assert packets.packet.lang is Language.es
    assert packets.langs[copy] == "es"


@pytest.mark.parametrize("name", STORY_NAMES)
def test_fda_quotations_stay_in_english_with_taperprep_translation(name: str) -> None:
    packets = spanish(name)
    text = packets.texts[Copy.prescriber]
    quotations = _quotations(packets.packet)
    for quotation in quotations:
        assert _squeezed(quotation) in text
    if quotations:
        assert text.count(TRANSLATION_MARK) >= len(quotations), "each FDA quotation is followed by its translation"


@pytest.mark.parametrize(("name", "copy"), CASES, ids=[f"{n}-{c}" for n, c in CASES])
def test_nothing_else_is_left_in_english(name: str, copy: Copy) -> None:
    if copy not in _copies(name):
        pytest.skip(f"{name} prints no {copy} copy")
    left = _left_in_english(name, copy)
    assert not left, f"{len(left)} English words left, e.g.:\n" + "\n".join(left[:12])


def test_the_english_word_list_catches_english() -> None:
    """The check can fail: an English sentence is caught, the same idea in Spanish is not."""
    english = {w.casefold() for w in re.findall(r"[A-Za-z']+", "Please bring this page to your appointment.")}
    spanish_words = {w.casefold() for w in re.findall(r"\w+", "Por favor, traiga esta página a su cita.")}
    assert english & ENGLISH_WORDS
    assert not spanish_words & ENGLISH_WORDS


def test_the_story_carries_its_language() -> None:
    story = story_with("minimal", language="es")
    assert json.loads(story_json(story))["options"]["language"] == "es"


def test_an_answer_too_long_for_page_1_is_labelled_in_spanish_where_it_is_given_whole() -> None:
    raw = load_story("patient_one_drug") | {"why_now": "Quiero hacerlo bien. " * 45}
    raw["options"] = {"language": "es"}
    packet = shorten_answers(build_packet(Story.model_validate(raw), shared_library()), 100)
    assert [c.label for c in packet.continued] == ["Por qué ahora"]
