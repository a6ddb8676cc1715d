"""Text → US school grade (English) or Fernández-Huerta ease (Spanish), offline: plain text reads easy, dense text
hard, nothing is downloaded, and every fixture's Spanish booklet reads at about US grade 8."""

from __future__ import annotations

import socket

import pytest

from app.library.readability import MAX_PATIENT_GRADE, MIN_SPANISH_EASE, fernandez_huerta, grade
from app.packet.build import Packet, build_packet
from app.story import Language
from tests.helpers import STORY_NAMES, shared_library, story_with


def test_plain_text_is_below_the_patient_limit() -> None:
    assert grade("Could we go slowly? I want to make this work with you.") < MAX_PATIENT_GRADE


def test_dense_text_is_above_the_patient_limit() -> None:
    text = "Pharmacokinetic heterogeneity necessitates individualized discontinuation methodologies."
    assert grade(text) > MAX_PATIENT_GRADE


def test_empty_text_is_grade_zero() -> None:
    assert grade("   ") == 0.0


def test_grading_reaches_no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_: object, **__: object) -> None:
        raise AssertionError("readability tried to open a network connection")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    assert grade("A brand new sentence about tapering, never graded before in this run.") > 0


def test_plain_spanish_reads_at_about_grade_8_or_easier() -> None:
    assert fernandez_huerta("¿Podemos ir despacio? Quiero que esto funcione con usted.") >= MIN_SPANISH_EASE


def test_dense_spanish_is_below_the_patient_limit() -> None:
    text = "La heterogeneidad farmacocinética requiere metodologías individualizadas de discontinuación terapéutica."
    assert fernandez_huerta(text) < MIN_SPANISH_EASE


def test_spanish_ease_is_fernandez_huerta_with_pyphen_syllables() -> None:
    """9 words, 18 syllables (Po-de-mos ir des-pa-cio Quie-ro que es-to fun-cio-ne con us-ted), 2 sentences:
    206.84 − 0.60 × 200 − 1.02 × 4.5 = 82.25."""
    assert fernandez_huerta("¿Podemos ir despacio? Quiero que esto funcione con usted.") == pytest.approx(82.25)


def test_empty_spanish_text_scores_zero() -> None:
    assert fernandez_huerta("  ¿? ") == 0.0


def test_spanish_grading_reaches_no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_: object, **__: object) -> None:
        raise AssertionError("readability tried to open a network connection")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    assert fernandez_huerta("Una frase nueva sobre la reducción gradual, nunca leída antes.") > 0


def _booklet_words(packet: Packet) -> list[str]:
    """The words taperprep writes for the person to read or say in their booklet (what they typed left out)."""
    guidance = packet.guidance
    texts = [packet.phrasing.opening, packet.phrasing.pace, packet.phrasing.closing]
    for script in guidance.scripts:
        texts += [script.title, script.when, *script.say, *([script.after] if script.after else [])]
    texts += [*guidance.questions, guidance.previsit_message.subject, guidance.small_doses_note, *guidance.small_doses]
    texts += guidance.previsit_message.body.split("\n\n")
    texts += [item.what for group in guidance.support for item in group.items]
    return [*texts, guidance.emergency.text]


@pytest.mark.parametrize("name", STORY_NAMES)
def test_every_spanish_booklet_reads_at_about_grade_8(name: str) -> None:
    """Acceptance 3 of issue 19: each fixture's booklet, told in Spanish, at Fernández-Huerta 60 or above."""
    packet = build_packet(story_with(name, language="es"), shared_library())
    assert packet.lang is Language.es
    ease = fernandez_huerta("\n".join(_booklet_words(packet)))
    assert ease >= MIN_SPANISH_EASE, f"{name}: Fernández-Huerta {ease:.1f}"
