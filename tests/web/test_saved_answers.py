"""app/web/saved_answers.py: a saved .json or taperprep PDF → a Story; anything else → a plain reason, never a raise."""

from __future__ import annotations

import io
import json

import pytest
from pypdf import PdfWriter

from app.story import Story
from app.web.saved_answers import EMPTY, NOT_OURS, UNREADABLE, open_saved_answers, too_big_message
from tests.helpers import load_story

LIMIT = 2 * 1024 * 1024


def _pdf(attachments: dict[str, bytes]) -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    for name, data in attachments.items():
        writer.add_attachment(name, data)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_json_and_pdf_give_the_same_story() -> None:
    raw = json.dumps(load_story("caregiver_older_adult")).encode()
    expected = Story.model_validate_json(raw)
    assert open_saved_answers(raw, LIMIT).story == expected
    assert open_saved_answers(_pdf({"story.json": raw}), LIMIT).story == expected


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (b"", EMPTY),
        (b"hello", NOT_OURS),
        (b"[1, 2]", NOT_OURS),
        (b'{"name": "a recipe"}', NOT_OURS),
        (b'{"prepared_by": "patient", "medications": []}', UNREADABLE),
        (b"\xff\xfe{", NOT_OURS),
        (b"[" * 100_000, NOT_OURS),
        (b"%PDF-1.7\nnot really", NOT_OURS),
    ],
)
def test_other_files_get_a_plain_reason(data: bytes, problem: str) -> None:
    assert open_saved_answers(data, LIMIT).problem == problem


def test_a_pdf_without_our_attachment_is_not_ours() -> None:
    assert open_saved_answers(_pdf({"notes.txt": b"hi"}), LIMIT).problem == NOT_OURS
    assert open_saved_answers(_pdf({}), LIMIT).problem == NOT_OURS


def test_too_big_is_refused_before_reading() -> None:
    opened = open_saved_answers(b"{" + b" " * LIMIT + b"}", LIMIT)
    assert opened.story is None and opened.problem == too_big_message(LIMIT)
    assert "2 MB" in too_big_message(LIMIT)
