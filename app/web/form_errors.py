"""Story's pydantic errors → one plain message per form field, in the order the form asks; limits read from Story."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from app.story import Story
from app.web.form import DOSE_TIMES, Submission

__all__ = ["AT_LEAST_ONE_TIME", "FieldError", "field_errors", "max_length"]


@dataclass(frozen=True)
class FieldError:
    field: str
    message: str


@dataclass(frozen=True)
class _Words:
    """How to ask for a field ("Enter {ask}") and how to name it at the start of a sentence ("{subject} must…")."""

    ask: str
    subject: str
    example: str | None = None
    unit: str = ""
    choice: bool = False


_WORDS: dict[str, _Words] = {
    "prepared_by": _Words("who is preparing this packet", "Who is preparing this packet", choice=True),
    "caregiver-name": _Words("your name", "Your name"),
    "caregiver-relationship": _Words(
        "who the person you help is to you", "Who the person you help is to you", "mother"
    ),
    "caregiver-phone": _Words("a phone number", "The phone number"),
    "patient-name": _Words("the name", "The name"),
    "patient-age": _Words("the age in years", "The age", "67"),
    "patient-pronouns": _Words("the pronouns", "The pronouns", "she/her"),
    "appointment-prescriber_name": _Words("the prescriber's name", "The prescriber's name"),
    "appointment-date": _Words("the date of the appointment", "The appointment date", "14 March 2027"),
    "appointment-clinic": _Words("the clinic or practice", "The clinic or practice"),
    "meds-N-name": _Words("the name of the medicine", "The name of the medicine", "Xanax or alprazolam"),
    "meds-N-dose_mg": _Words("the dose", "The dose", "0.5 mg, ½ or 500 mcg", unit=" mg"),
    "meds-N-times_per_day": _Words("how many times a day", "The number of times a day", "2"),
    **{
        f"meds-N-dose_{time}": _Words(
            f"the {label.lower()} dose", f"The {label.lower()} dose", "0.5 mg, ½ or 500 mcg", unit=" mg"
        )
        for time, label in DOSE_TIMES.items()
    },
    "meds-N-days_per_week": _Words("how many days a week it is usually taken", "The number of days a week", "3"),
    "meds-N-taking_since": _Words("the year it was started", "The start date", "2019, or April 2019"),
    "meds-N-prescribed_for": _Words("what it was prescribed for", "What it was prescribed for"),
    "attempts-N-when": _Words("when this was", "When this was", "2021, or spring 2020"),
    "attempts-N-method": _Words("how it was done", "How it was done", choice=True),
    "attempts-N-description": _Words("what was tried", "What was tried"),
    "attempts-N-outcome": _Words("what happened", "What happened"),
    "reason_prescribed": _Words("why it was first prescribed", "Why it was first prescribed"),
    "experience": _Words("how things are now", "How things are now"),
    "symptoms_other": _Words("other symptoms", "Each symptom"),
    "why_now": _Words("why now", "Why now"),
    "goals-outcome": _Words("what you hope for", "What you hope for", choice=True),
    "goals-pace": _Words("the pace", "The pace", choice=True),
    "goals-requests": _Words("what you would like to ask for", "Each request"),
    "goals-notes": _Words("anything else about the goals", "Anything else about the goals"),
    "goals-target_daily_mg": _Words(
        "the daily dose to reduce to, in milligrams", "The daily dose to reduce to", "1", unit=" mg"
    ),
    "resources": _Words("the evidence to include", "The evidence", choice=True),
    "options-paper": _Words("a paper size", "The paper size", choice=True),
    "options-sections": _Words("at least one part of the packet", "The parts of the packet", choice=True),
    "options-taper_medication": _Words("one of the medicines listed", "The medicine for the draft taper", choice=True),
    "goals-values": _Words("what matters most", "Each thing that matters"),
    "agreed-date": _Words("the date of the last visit", "The date of the last visit", "3 December 2026"),
    "agreed-decision": _Words("what was decided", "What was decided", choice=True),
    "agreed-check_in": _Words("the check-in agreed", "The check-in"),
    "agreed-if_symptoms": _Words("what to do if symptoms come", "What to do if symptoms come"),
    "agreed-contact": _Words("who to call", "Who to call"),
    "agreed-next_review": _Words("the date of the next review", "The date of the next review", "14 January 2027"),
    "plan-N-medication": _Words("which medicine", "The medicine", choice=True),
    "plan-N-daily_mg": _Words("the daily dose agreed", "The daily dose", "1.5 mg", unit=" mg"),
    "plan-N-from": _Words("the date it starts", "The start date", "3 January 2027"),
    "progress-N-date": _Words("the date of this step", "The date of this step", "12 November 2026"),
    "progress-N-medication": _Words("which medicine", "The medicine", choice=True),
    "progress-N-daily_mg": _Words("the daily dose taken", "The daily dose taken", "1.75 mg", unit=" mg"),
    "progress-N-how_it_went": _Words("how it went, from 0 to 10", "How it went", "6"),
    "progress-N-note": _Words("a note", "The note"),
}
_LIST_NOUNS = {
    "symptoms_other": "symptoms",
    "goals-requests": "requests",
    "resources": "pieces of evidence",
    "meds-0-name": "medicines",
    "attempts-0-when": "past attempts",
    "goals-values": "things that matter most",
    "progress-0-daily_mg": "steps taken",
    "plan-0-daily_mg": "agreed steps",
}
_OWN_WORDS = {
    "caregiver_required": "Enter your name and who the person you help is to you",
    "taper_medication_missing": "Choose one of the medicines you listed",
    "duplicate_generic": "This medicine is already listed: give all its doses in one entry, one per time of day",
    "since_format": "Enter a year like 2019, or a month like April 2019",
    "medication_missing": "Choose one of the medicines you listed",
}
AT_LEAST_ONE_TIME = "Enter the amount for at least one time of day"
"""Beside the first time of day when "different amounts at different times" is ticked and none is filled in."""
_NUMBER = {
    "float_parsing",
    "float_type",
    "finite_number",
    "int_parsing",
    "int_type",
    "int_from_float",
    "decimal_parsing",
}
_DATE = {"date_parsing", "date_from_datetime_parsing", "date_from_datetime_inexact", "date_type"}


def _dose_time(submission: Submission, med: int, where: tuple[Any, ...]) -> str:
    """`doses[j]…` → the time of day of that dose's box; the list as a whole → the first time's box."""
    meds = submission.data.get("medications", [])
    doses = (meds[med].get("doses") or []) if med < len(meds) else []
    if where and isinstance(where[0], int) and where[0] < len(doses):
        return str(doses[where[0]]["time"])
    return next(iter(DOSE_TIMES))


def _field_name(loc: tuple[Any, ...], submission: Submission) -> str:
    """A pydantic `loc` → the form field to point at (rows by their place in the form, not in the Story)."""
    head, rest = loc[0], loc[1:]
    if head == "medications":
        if not rest or not isinstance(rest[0], int):
            return "meds-0-name"
        row = submission.med_rows[rest[0]] if rest[0] < len(submission.med_rows) else rest[0]
        if len(rest) > 1 and rest[1] == "doses":
            return f"meds-{row}-dose_{_dose_time(submission, rest[0], rest[2:])}"
        return f"meds-{row}-{rest[1]}" if len(rest) > 1 else f"meds-{row}-name"
    if head == "past_attempts":
        if not rest or not isinstance(rest[0], int):
            return "attempts-0-when"
        row = submission.attempt_rows[rest[0]] if rest[0] < len(submission.attempt_rows) else rest[0]
        return f"attempts-{row}-{rest[1]}" if len(rest) > 1 else f"attempts-{row}-when"
    if head in {"progress", "agreed"}:
        return _visit_field(loc, submission)
    if head == "symptoms":
        return "symptoms_other"
    if head == "resources":
        return "resources"
    if head == "caregiver" and not rest:
        return "caregiver-name"
    if head == "goals" and rest and rest[0] in {"requests", "values"}:
        return f"goals-{rest[0]}"
    if head == "options" and not rest:
        return "options-taper_medication"
    if head in {"caregiver", "patient", "appointment", "goals", "options"} and rest:
        return f"{head}-{rest[0]}"
    return str(head)


def _visit_field(loc: tuple[Any, ...], submission: Submission) -> str:
    """`progress[i].x` → "progress-R-x", `agreed.steps[i].x` → "plan-R-x" (R: the form row), `agreed.x` → "agreed-x"."""
    if loc[0] == "progress":
        kind, rows, rest = "progress", submission.progress_rows, loc[1:]
    elif loc[1:2] == ("steps",):
        kind, rows, rest = "plan", submission.plan_rows, loc[2:]
    else:
        return f"agreed-{loc[1]}" if len(loc) > 1 else "agreed-decision"
    if not rest or not isinstance(rest[0], int):
        return f"{kind}-0-daily_mg"
    row = rows[rest[0]] if rest[0] < len(rows) else rest[0]
    return f"{kind}-{row}-{rest[1] if len(rest) > 1 else 'daily_mg'}"


def _message(name: str, error: ErrorDetails) -> str:
    kind, ctx = error["type"], error.get("ctx") or {}
    if kind in {"too_long", "too_short"} and ctx.get("field_type") != "List":
        kind = f"string_{kind}"  # a text field with a before-validator reports its length like a list's
    if kind in _OWN_WORDS:
        return _OWN_WORDS[kind]
    if error["loc"][-1] == "doses":
        return AT_LEAST_ONE_TIME
    words = _WORDS.get(re.sub(r"-\d+-", "-N-", name), _Words("this answer", "This answer"))
    example = f", for example {words.example}" if words.example else ""
    if kind in {"missing", "dose_form_missing", "string_too_short"} or (kind == "too_short" and not words.choice):
        return f"Select {words.ask}" if words.choice else f"Enter {words.ask}{example}"
    if kind == "too_short":
        return f"Select {words.ask}"
    if kind == "too_long":
        return f"You can list up to {ctx.get('max_length')} {_LIST_NOUNS.get(name, 'answers')}"
    if kind == "string_too_long":
        return f"{words.subject} must be {ctx['max_length']} characters or fewer"
    if kind in _NUMBER:
        whole = " as a whole number" if kind.startswith("int") else " as a number"
        return f"Enter {words.ask}{whole}{example}"
    if kind in _DATE:
        return f"Enter {words.ask} as a real date{example}"
    bounds = {
        "greater_than": "more than {gt}{unit}",
        "greater_than_equal": "{ge}{unit} or more",
        "less_than": "less than {lt}{unit}",
        "less_than_equal": "{le}{unit} or less",
    }
    if kind in bounds:
        plain = {k: f"{v:g}" if isinstance(v, float) else v for k, v in ctx.items()}
        return f"{words.subject} must be {bounds[kind].format(**plain, unit=words.unit)}"
    if kind in {"enum", "literal_error", "bool_parsing", "bool_type"}:
        return f"Select {words.ask}"
    if kind.startswith(("since_", "date_")):
        return str(error["msg"])
    return f"Check {words.ask}"


def field_errors(exc: ValidationError, submission: Submission) -> list[FieldError]:
    """One message per field (the first pydantic reports); the order follows the form."""
    seen: dict[str, FieldError] = {}
    for error in exc.errors(include_url=False, include_input=False):
        name = _field_name(tuple(error["loc"]), submission)
        seen.setdefault(name, FieldError(name, _message(name, error)))
    return list(seen.values())


@cache
def _schema() -> dict[str, Any]:
    return Story.model_json_schema()


def _resolve(node: dict[str, Any]) -> dict[str, Any]:
    if "$ref" in node:
        return _resolve(_schema()["$defs"][node["$ref"].rsplit("/", 1)[1]])
    for option in node.get("anyOf", []):
        if option.get("type") != "null":
            return _resolve(option)
    return node


def _item(node: dict[str, Any]) -> dict[str, Any]:
    """A field's own schema; for a list, its items' schema."""
    node = _resolve(node)
    return _resolve(node["items"]) if node.get("type") == "array" else node


def max_length(*path: str) -> int | None:
    """The Story's own limit for a text field, e.g. max_length("medications", "name") → 80; shown as a count."""
    node = _schema()
    for key in path:
        node = _item(node)["properties"][key]
    node = _item(node)
    limit = node.get("maxLength")
    return int(limit) if limit is not None else None
