"""An uploaded file (taperprep JSON, or a taperprep PDF carrying story.json) → a Story, or a plain reason why not."""

from __future__ import annotations

import io
import json
from dataclasses import dataclass

from pydantic import ValidationError
from pypdf import PdfReader

from app.library.translations import N_, _
from app.story import Story
from app.web.agreed_fields import with_filled_agreed

__all__ = ["Opened", "open_saved_answers", "too_big_message"]

NOT_OURS = N_("This file is not a taperprep answers file. Choose the .json or .pdf file that taperprep saved for you.")
UNREADABLE = N_("This file could not be opened as taperprep answers. It may be damaged, or from a newer version.")
EMPTY = N_("Choose a file to open: the .json or .pdf file that taperprep saved for you.")


def too_big_message(limit: int) -> str:
    """Also shown by the page's script before a too-big file is even sent."""
    return _(
        "The file is bigger than {mb} MB, so it is not a taperprep answers file. "
        "Choose the .json or .pdf file that taperprep saved for you."
    ).format(mb=limit // (1024 * 1024))


@dataclass(frozen=True)
class Opened:
    """The story, or (story None) the plain reason it could not be opened, in the language being spoken."""

    story: Story | None
    problem: str = ""


def _attachment(data: bytes) -> bytes | None:
    """story.json from a taperprep PDF's attachments; None when the PDF has none or cannot be read.

    Any exception counts as "cannot be read": the bytes are untrusted, and pypdf raises many kinds on broken files."""
    try:
        files = PdfReader(io.BytesIO(data)).attachments
        return files["story.json"][0] if "story.json" in files else None
    except Exception:
        return None


def open_saved_answers(data: bytes, limit: int) -> Opened:
    """Reads nothing but the bytes given; never writes them anywhere. `limit` is the largest file accepted, in bytes."""
    if not data:
        return Opened(None, _(EMPTY))
    if len(data) > limit:
        return Opened(None, too_big_message(limit))
    raw = _attachment(data) if data.startswith(b"%PDF-") else data
    if raw is None:
        return Opened(None, _(NOT_OURS))
    try:
        parsed = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        return Opened(None, _(NOT_OURS))
    if not isinstance(parsed, dict) or "medications" not in parsed:
        return Opened(None, _(NOT_OURS))
    if data.startswith(b"%PDF-"):
        parsed = with_filled_agreed(parsed, data)  # the filled "What we agreed" fields
    try:
        return Opened(Story.model_validate(parsed))
    except ValidationError:
        return Opened(None, _(UNREADABLE))
