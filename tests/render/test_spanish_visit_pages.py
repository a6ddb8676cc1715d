"""A story with `options.language = "es"` → build_packet → the renderer → the PDF read back: the booklet's pages
(getting ready, options, appendix, diary) and the visit pages (the follow-up on page 1, values, "What we agreed")
carry their Spanish headings and none of the English ones."""

from __future__ import annotations

from functools import cache

import pytest

from app.packet.build import build_packet
from app.packet.copies import Copy
from app.story import Story
from tests.helpers import load_story, pdf_pages, shared_library, shared_renderer

BOOKLET = {
    "For me — not for handing over": "— no es para entregar",
    "Getting ready for the conversation": "Prepararse para la conversación",
    "Ways to say it": "Formas de decirlo",
    "Asking about pace": "Preguntar por el ritmo",
    "If the conversation gets hard": "Si la conversación se pone difícil",
    "Backed by ": "Con base en ",
    "Questions to ask": "Preguntas para hacer",
    "Making small doses": "Cómo preparar dosis pequeñas",
    "Support and crisis help": "Apoyo y ayuda en crisis",
    "(checked ": "(revisado el ",
    "Before the visit: a message asking for time to talk": "Antes de la consulta: un mensaje para pedir tiempo",
    "Subject:": "Asunto:",
    "What others have found": "Lo que han encontrado otras personas",
    "Where this comes from": "De dónde viene esta información",
}
OPTIONS = {
    "Written for: Age 58": "Escrito para: Edad: 58 años",
    "Good points": "Lo bueno",
    "Hard points": "Lo difícil",
}
DIARY = {
    "My diary: Ativan": "Mi diario: Ativan",
    "Week 1": "Semana 1",
    "Dose taken": "Dosis tomada",
    "Sleep 0–10": "Sueño 0–10",
    "Symptoms 0–10": "Síntomas 0–10",
}
FOLLOW_UP = {
    "Since my last visit": "Desde mi última consulta",
    "Last agreed step": "Último paso acordado: 1.5 mg al día de Ativan desde el 12 nov 2026 (paso 2 de 2)",
    "Taking now": "Dosis actual: 1.75 mg al día de Ativan, desde el 12 nov 2026",
    "Review agreed for": "Revisión acordada para: 14 ene 2027",
    "For this visit:": "Para esta consulta: El último paso fue difícil.",
    "Each step taken": "Cada paso dado",
    "How it went": "Cómo fue",
    "What matters most to me": "Lo que más me importa: keep working; sleep through the night",
}
AGREED = {
    "What we agreed": "Lo que acordamos",
    "What we decided": "Lo que decidimos",
    "Date of this visit": "Fecha de esta consulta",
    "If symptoms come": "Si aparecen síntomas",
    "Who to call": "A quién llamar",
    "Next review": "Próxima revisión",
}
APPENDIX = {
    "Talking about past attempts": "Hablar de los intentos anteriores",
    "Appendix — every step of the draft": "Anexo — todos los pasos del borrador",
    "Every step of the draft for diazepam": "Todos los pasos del borrador para diazepam",
    "Real cut": "Bajada real",
    "How to make it": "Cómo prepararla",
}


def _long_taper() -> dict[str, object]:
    """A draft too long for the taper page (so the booklet has its appendix), with past attempts."""
    raw = load_story("patient_one_drug")
    raw["medications"] = [{"name": "diazepam", "dose_mg": 10, "times_per_day": 4, "taking_since": "2015"}]
    raw["goals"] = {"outcome": "stop", "pace": "slow"}
    return raw


@cache
def _read(story: str, copy: Copy, language: str) -> str:
    """One copy laid out for real and read back, as one string."""
    raw = _long_taper() if story == "long_taper" else load_story(story)
    raw.setdefault("options", {})["language"] = language
    renderer = shared_renderer()
    packet = renderer.fitted(build_packet(Story.model_validate(raw), shared_library()))
    return " ".join(pdf_pages(renderer.documents(packet, copy)[copy].write_pdf()))


CASES = [
    ("follow_up", Copy.personal, BOOKLET | OPTIONS | DIARY),
    ("follow_up", Copy.prescriber, FOLLOW_UP | AGREED),
    ("long_taper", Copy.personal, APPENDIX),
]


@pytest.mark.parametrize(("story", "copy", "words"), CASES, ids=[f"{s}-{c.value}" for s, c, _ in CASES])
def test_the_pages_in_spanish_carry_spanish_headings_and_no_english_ones(
    story: str, copy: Copy, words: dict[str, str]
) -> None:
    spanish = _read(story, copy, "es")
    assert [es for es in words.values() if es not in spanish] == []
    assert [en for en in words if en in spanish] == []


@pytest.mark.parametrize(("story", "copy", "words"), CASES, ids=[f"{s}-{c.value}" for s, c, _ in CASES])
def test_the_same_story_in_english_carries_the_english_headings(story: str, copy: Copy, words: dict[str, str]) -> None:
    """So the Spanish test above looks for words that really are on these pages."""
    english = _read(story, copy, "en")
    assert [en for en in words if en not in english] == []
