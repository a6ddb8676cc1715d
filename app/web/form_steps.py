"""The form's seven short steps: which step asks each field, and the answers so far ⇄ a URL-safe token."""

from __future__ import annotations

import base64
import binascii
import json
import re
import zlib
from dataclasses import dataclass

from app.library.translations import N_
from app.web.form import LANGUAGE, LISTS, FormState, parse_fields

__all__ = [
    "CHECK",
    "STEPS",
    "TOKEN_LIMIT",
    "Answers",
    "Step",
    "pack",
    "state_items",
    "step_named",
    "step_of",
    "unpack",
]


@dataclass(frozen=True)
class Step:
    """One page of the form: its slug in the URL, its title (English: translated where shown), and the field names
    (or name prefixes) it asks."""

    slug: str
    title: str
    fields: tuple[str, ...]


STEPS: tuple[Step, ...] = (
    Step("about", N_("Who is preparing this"), ("prepared_by", "caregiver-", "patient-", "options-country", LANGUAGE)),
    Step("medicines", N_("Medicines"), ("meds-", "reason_prescribed")),
    Step("attempts", N_("Past attempts to cut down or stop"), ("attempts-",)),
    Step("now", N_("How things are now"), ("symptoms", "symptoms_other", "experience")),
    Step(
        "goals",
        N_("Why now, and what you hope for"),
        ("why_now", "goals-", "options-include_taper_draft", "options-taper_medication"),
    ),
    Step("visit", N_("Since your last visit"), ("visit-", "agreed-", "plan-", "progress-")),
    Step(
        "print",
        N_("The appointment, and what to print"),
        ("appointment-", "resources-mode", "resources", "options-paper", "options-large_print", "options-sections"),
    ),
)
CHECK = "check"
"""The check-your-answers page's slug, after the last step."""
TOKEN_LIMIT = 12_000
"""Longest token put in a URL: uvicorn's h11 refuses request heads over 16 KiB, and a few KiB go to headers."""


def step_named(slug: str) -> Step | None:
    return next((step for step in STEPS if step.slug == slug), None)


def step_of(name: str) -> Step:
    """The step that asks a field; every field the form knows belongs to exactly one step."""
    for step in STEPS:
        if any(name == f or (f.endswith("-") and name.startswith(f)) for f in step.fields):
            return step
    raise KeyError(name)


def state_items(state: FormState) -> list[tuple[str, str]]:
    """FormState → the (name, value) pairs a form would post for it: parse_fields' inverse."""
    items = [(name, value) for name, value in state.values.items() if value != ""]
    items += [(name, value) for name in LISTS for value in state.chosen(name)]
    kinds = (("meds", "name", state.meds), ("attempts", "when", state.attempts))
    for kind, first, rows in (*kinds, ("plan", "daily_mg", state.plan), ("progress", "date", state.progress)):
        for i, row in enumerate(rows):
            given = [(key, value) for key, value in row.items() if value]
            items += [(f"{kind}-{i}-{key}", value) for key, value in given or [(first, "")]]  # a new row stays a row
    return items


@dataclass(frozen=True)
class Answers:
    """The answers so far and their revision (a millisecond clock that only moves forward, shared with the browser)."""

    state: FormState
    revision: int


_TOKEN = re.compile(r"^[A-Za-z0-9_-]*$")


def pack(answers: Answers) -> str:
    """Answers → a compressed, URL-safe token; the server keeps nothing, so the page's URL carries them."""
    body = json.dumps({"rev": answers.revision, "fields": state_items(answers.state)}, separators=(",", ":"))
    return base64.urlsafe_b64encode(zlib.compress(body.encode(), 9)).decode().rstrip("=")


def unpack(token: str) -> Answers | None:
    """A token → Answers; None for anything that is not one of ours (a damaged or hand-edited URL)."""
    if not token or len(token) > TOKEN_LIMIT * 2 or not _TOKEN.match(token):
        return None
    try:
        raw = zlib.decompressobj().decompress(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)), 1_000_000)
        data = json.loads(raw)
        fields = [(str(name), str(value)) for name, value in data["fields"]]
        return Answers(parse_fields(fields), int(data["rev"]))
    except (binascii.Error, zlib.error, ValueError, KeyError, TypeError):
        return None
