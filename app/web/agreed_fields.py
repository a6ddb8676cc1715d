"""A taperprep PDF's filled "What we agreed" fields → the `agreed` part of its story (as JSON, to be validated).

People type into these fields by hand, so reading is forgiving: a value that cannot be read is left out (the
story's own value stays), never guessed."""

from __future__ import annotations

import io
import re
from typing import Any

from pypdf import PdfReader

from app.library.translations import _, speaking
from app.packet.agreed_page import AGREED_FIELDS, DECISION_WORDS
from app.story import Decision, Language
from app.web.form_reading import DAY_FIRST, read_date, read_dose

__all__ = ["filled_fields", "with_filled_agreed"]

_DECISIONS = {
    Decision.undecided: re.compile(r"not decided|undecided|decide later|not sure", re.I),
    Decision.stop: re.compile(r"\bstop", re.I),
    Decision.reduce: re.compile(r"reduc|lower|cut|taper", re.I),
    Decision.stay: re.compile(r"\bstay|keep|same dose|no change", re.I),
}
_PER_DAY = re.compile(r"\s*(?:(?:a|per|each)\s+day|daily|/\s*day)\s*$", re.I)
_TEXT_LIMITS = {"agreed_check_in": 1000, "agreed_if_symptoms": 1000, "agreed_contact": 120}
_NAMES = {f.name for f in AGREED_FIELDS}


def filled_fields(pdf: bytes) -> dict[str, str]:
    """Our fields that hold text; {} when the PDF has none or cannot be read (the bytes are untrusted, and pypdf
    raises many kinds of error on broken files)."""
    try:
        fields = PdfReader(io.BytesIO(pdf)).get_fields() or {}
    except Exception:
        return {}
    found = {}
    for name, field in fields.items():
        value = field.get("/V")
        if name in _NAMES and isinstance(value, str) and value.strip():
            found[name] = value.strip()
    return found


def _date(text: str, day_first: bool) -> str | None:
    """As the form reads a typed date ("3 January 2027", "2027-01-03", "14/1/2027" by the country's order)."""
    day = read_date(re.sub(r"(\d)(st|nd|rd|th)\b", r"\1", text), day_first) if text.strip() else None
    return day.isoformat() if day else None


def _decision(text: str) -> str | None:
    """The decision as the PDF's field offered it, in any language the packet speaks, else as typed."""
    offered = {}
    for spoken in Language:
        with speaking(spoken):
            offered.update({_(words).casefold(): d.value for d, words in DECISION_WORDS.items()})
    if text.casefold() in offered:
        return offered[text.casefold()]
    return next((d.value for d, pattern in _DECISIONS.items() if pattern.search(text)), None)


def _medicine(text: str, names: list[str]) -> int | None:
    """A medicine named as listed (any case), or by its number in the list."""
    folded = text.casefold()
    for i, name in enumerate(names, start=1):
        if name.casefold() == folded or (text.isdigit() and int(text) == i):
            return i
    return next((i for i, name in enumerate(names, start=1) if name.casefold() in folded), None)


def _first_step(fields: dict[str, str], names: list[str], old: list[Any], day_first: bool) -> list[Any]:
    """The page shows the first step only: filled values replace it; any later steps of the story stay."""
    first = dict(old[0]) if old else {}
    if (number := _medicine(fields.get("agreed_medicine", ""), names)) is not None:
        first["medication"] = number
    elif "medication" not in first and len(names) == 1 and "agreed_daily_mg" in fields:
        first["medication"] = 1
    if (mg := read_dose(_PER_DAY.sub("", fields.get("agreed_daily_mg", "")))) is not None:
        first["daily_mg"] = mg
    if (start := _date(fields.get("agreed_from", ""), day_first)) is not None:
        first["from"] = start
    if "medication" in first and "daily_mg" in first:
        return [first, *old[1:]]
    return old


def with_filled_agreed(story: dict[str, Any], pdf: bytes) -> dict[str, Any]:
    """The story JSON with `agreed` updated from whatever the PDF's fields hold; unchanged when nothing was filled."""
    fields = filled_fields(pdf)
    if not fields:
        return story
    options = story.get("options")
    day_first = isinstance(options, dict) and options.get("country") in DAY_FIRST
    old = story.get("agreed")
    agreed: dict[str, Any] = dict(old) if isinstance(old, dict) else {}
    for key in ("date", "next_review"):
        if (day := _date(fields.get(f"agreed_{key}", ""), day_first)) is not None:
            agreed[key] = day
    if (decision := _decision(fields.get("agreed_decision", ""))) is not None:
        agreed["decision"] = decision
    for name, limit in _TEXT_LIMITS.items():
        if name in fields:
            agreed[name.removeprefix("agreed_")] = fields[name][:limit]
    medications = story.get("medications")
    names = [m.get("name", "") for m in medications if isinstance(m, dict)] if isinstance(medications, list) else []
    steps = agreed.get("steps") if isinstance(agreed.get("steps"), list) else []
    if new_steps := _first_step(fields, names, list(steps or []), day_first):
        agreed["steps"] = new_steps
    return {**story, "agreed": agreed}
