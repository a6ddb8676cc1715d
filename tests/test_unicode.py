"""Names and text in many scripts → a PDF drawn only with bundled fonts, every character shown or visibly replaced.

Covered by the bundled fonts: Latin (with accents and combining marks), Greek, Cyrillic (Noto Sans), Hebrew (Noto Sans
Hebrew), Arabic (Noto Sans Arabic), maths symbols such as ≥ → (Noto Sans Math). Anything else (emoji, CJK, …) becomes
U+FFFD, the replacement character, in the HTML and the PDF alike: app/render/glyphs.py.
"""

from __future__ import annotations

import io
import json
import re
import unicodedata
from pathlib import Path
from typing import Any

import pikepdf
import pytest
from fastapi.testclient import TestClient

from app.render.glyphs import MISSING, Glyphs
from app.settings import ROOT
from tests.helpers import pdf_pages

SAMPLES = Path(__file__).parent / "fixtures" / "unicode"
NOT_COVERED = "😀😞😴👍❤中文日本語"
"""Characters the samples use that no bundled font draws: the PDF must show MISSING for each."""
BIDI_CONTROLS = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _sample(name: str) -> dict[str, Any]:
    return json.loads((SAMPLES / f"{name}.json").read_text(encoding="utf-8"))


def _normal(text: str) -> str:
    """As a reader compares text: composed, without the bidi marks extractors add, whitespace folded, and emoji
    modifiers and variation selectors (drawn as part of the character before them) left out."""
    text = BIDI_CONTROLS.sub("", unicodedata.normalize("NFC", text))
    text = re.sub("[\ufe00-\ufe0f\U0001f3fb-\U0001f3ff]", "", text)
    return " ".join(text.split())


def _shown(value: str) -> str:
    return "".join(MISSING if c in NOT_COVERED else c for c in value)


def _typed_values(story: dict[str, Any]) -> list[str]:
    values = [story["experience"], story["why_now"], *story["symptoms"], story["patient"]["name"]]
    if "caregiver" in story:
        values.append(story["caregiver"]["name"])
    return values


@pytest.fixture(scope="module")
def packets(client: TestClient) -> dict[str, bytes]:
    rendered = {}
    for path in sorted(SAMPLES.glob("*.json")):
        response = client.post("/api/v1/packets", json=_sample(path.stem))
        assert response.status_code == 200, response.text
        rendered[path.stem] = response.content
    return rendered


@pytest.mark.parametrize("name", sorted(p.stem for p in SAMPLES.glob("*.json")))
def test_every_typed_character_is_in_the_pdf_text_or_visibly_replaced(packets: dict[str, bytes], name: str) -> None:
    """Sentence by sentence: in a line mixing Hebrew and Arabic, extractors give the runs in visual order."""
    text = _normal(" ".join(pdf_pages(packets[name])))
    for value in _typed_values(_sample(name)):
        for sentence in re.split(r"(?<=\.) ", _shown(value)):
            assert _normal(sentence) in text, sentence


@pytest.mark.parametrize("name", sorted(p.stem for p in SAMPLES.glob("*.json")))
def test_only_bundled_fonts_are_used(packets: dict[str, bytes], name: str) -> None:
    """This machine has system fonts for all of these scripts: a fallback to any of them would show up here."""
    with pikepdf.open(io.BytesIO(packets[name])) as document:
        fonts = {
            str(font.get("/BaseFont")).split("+")[-1]
            for page in document.pages
            for font in page.Resources.get("/Font", {}).values()
        }
    bundled = {
        "Noto-Sans",
        "Noto-Sans-Bold",
        "Noto-Sans-Italic",
        "Noto-Sans-BoldItalic",
        "Noto-Sans-Hebrew",
        "Noto-Sans-Hebrew-Bold",
        "Noto-Sans-Arabic",
        "Noto-Sans-Arabic-Bold",
        "Noto-Sans-Math",
        "Noto-Sans-Fields",
    }
    assert fonts <= bundled, fonts


def test_the_right_fonts_carry_the_right_scripts(packets: dict[str, bytes]) -> None:
    def fonts(name: str) -> set[str]:
        with pikepdf.open(io.BytesIO(packets[name])) as document:
            return {
                str(font.get("/BaseFont")).split("+")[-1]
                for page in document.pages
                for font in page.Resources.get("/Font", {}).values()
            }

    assert {"Noto-Sans-Hebrew", "Noto-Sans-Arabic"} <= fonts("right_to_left")
    assert "Noto-Sans-Math" in fonts("accents_combining")


def test_the_html_preview_shows_the_same_replacement(client: TestClient) -> None:
    html = client.post("/api/v1/packets?format=html", json=_sample("emoji_and_missing_scripts")).text
    assert f"Mika {MISSING}" in html and "😀" not in html and "中" not in html
    assert '<html lang="en"' in html


def test_glyph_rule() -> None:
    glyphs = Glyphs(ROOT / "templates" / "assets" / "fonts")
    assert glyphs.printable("Zoë Ελένη Анна דנה أرق ≥ →") == "Zoë Ελένη Анна דנה أرق ≥ →"
    assert glyphs.printable("e\u0301 a\u0308") == "e\u0301 a\u0308"
    assert glyphs.printable("👍🏽 ❤️ 中 ☺\ufe0e") == f"{MISSING} {MISSING} {MISSING} {MISSING}"
    assert glyphs.printable("a\u3000b") == "a b"
    assert glyphs.printable("line\nbreak\u00a0nbsp") == "line\nbreak\u00a0nbsp"
    assert glyphs.printable(3) == 3
