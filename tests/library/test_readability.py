"""Text → US school grade, offline: plain text scores low, dense text high, and nothing is downloaded."""

from __future__ import annotations

import socket

import pytest

from app.library.readability import MAX_PATIENT_GRADE, grade


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
