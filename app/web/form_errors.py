"""Story's pydantic errors → one plain message per form field, in the order the form asks; limits read from Story."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from app.library.translations import N_, _
from app.story import Story
from app.web.form import DOSE_TIMES, Submission

__all__ = ["AT_LEAST_ONE_TIME", "FieldError", "field_errors", "max_length"]


@dataclass(frozen=True)
class FieldError:
    field: str
    message: str


@dataclass(frozen=True)
class _Words:
    """How to ask for a field ("Enter {ask}") and how to name it at the start of a sentence ("{subject} must…"),
    in English (translated when a message is made); `time` names the time of day a dose box is for."""

    ask: str
    subject: str
    example: str | None = None
    unit: str = ""
    choice: bool = False
    time: str = ""

    def said(self, words: str) -> str:
        """One of these words in the language being spoken, its time of day filled in."""
        return _(words).format(time=_(DOSE_TIMES[self.time]).lower() if self.time else "")


_WORDS: dict[str, _Words] = {
    "prepared_by": _Words(N_("who is preparing this packet"), N_("Who is preparing this packet"), choice=True),
    "caregiver-name": _Words(N_("your name"), N_("Your name")),
    "caregiver-relationship": _Words(
        N_("who the person you help is to you"), N_("Who the person you help is to you"), N_("mother")
    ),
    "caregiver-phone": _Words(N_("a phone number"), N_("The phone number")),
    "patient-name": _Words(N_("the name"), N_("The name")),
    "patient-age": _Words(N_("the age in years"), N_("The age"), "67"),
    "patient-pronouns": _Words(N_("the pronouns"), N_("The pronouns"), N_("she/her")),
    "appointment-prescriber_name": _Words(N_("the prescriber's name"), N_("The prescriber's name")),
    "appointment-date": _Words(N_("the date of the appointment"), N_("The appointment date"), N_("14 March 2027")),
    "appointment-clinic": _Words(N_("the clinic or practice"), N_("The clinic or practice")),
    "meds-N-name": _Words(N_("the name of the medicine"), N_("The name of the medicine"), N_("Xanax or alprazolam")),
    "meds-N-dose_mg": _Words(N_("the dose"), N_("The dose"), N_("0.5 mg, ½ or 500 mcg"), unit=" mg"),
    "meds-N-times_per_day": _Words(N_("how many times a day"), N_("The number of times a day"), "2"),
    **{
        f"meds-N-dose_{time}": _Words(
            N_("the {time} dose"), N_("The {time} dose"), N_("0.5 mg, ½ or 500 mcg"), unit=" mg", time=time
        )
        for time in DOSE_TIMES
    },
    "meds-N-days_per_week": _Words(
        N_("how many days a week it is usually taken"), N_("The number of days a week"), "3"
    ),
    "meds-N-taking_since": _Words(N_("the year it was started"), N_("The start date"), N_("2019, or April 2019")),
    "meds-N-prescribed_for": _Words(N_("what it was prescribed for"), N_("What it was prescribed for")),
    "attempts-N-when": _Words(N_("when this was"), N_("When this was"), N_("2021, or spring 2020")),
    "attempts-N-method": _Words(N_("how it was done"), N_("How it was done"), choice=True),
    "attempts-N-description": _Words(N_("what was tried"), N_("What was tried")),
    "attempts-N-outcome": _Words(N_("what happened"), N_("What happened")),
    "reason_prescribed": _Words(N_("why it was first prescribed"), N_("Why it was first prescribed")),
    "experience": _Words(N_("how things are now"), N_("How things are now")),
    "symptoms_other": _Words(N_("other symptoms"), N_("Each symptom")),
    "why_now": _Words(N_("why now"), N_("Why now")),
    "goals-outcome": _Words(N_("what you hope for"), N_("What you hope for"), choice=True),
    "goals-pace": _Words(N_("the pace"), N_("The pace"), choice=True),
    "goals-requests": _Words(N_("what you would like to ask for"), N_("Each request")),
    "goals-notes": _Words(N_("anything else about the goals"), N_("Anything else about the goals")),
    "goals-target_daily_mg": _Words(
        N_("the daily dose to reduce to, in milligrams"), N_("The daily dose to reduce to"), "1", unit=" mg"
    ),
    "resources": _Words(N_("the evidence to include"), N_("The evidence"), choice=True),
    "options-paper": _Words(N_("a paper size"), N_("The paper size"), choice=True),
    "options-sections": _Words(N_("at least one part of the packet"), N_("The parts of the packet"), choice=True),
    "options-taper_medication": _Words(
        N_("one of the medicines listed"), N_("The medicine for the draft taper"), choice=True
    ),
    "goals-values": _Words(N_("what matters most"), N_("Each thing that matters")),
    "agreed-date": _Words(N_("the date of the last visit"), N_("The date of the last visit"), N_("3 December 2026")),
    "agreed-decision": _Words(N_("what was decided"), N_("What was decided"), choice=True),
    "agreed-check_in": _Words(N_("the check-in agreed"), N_("The check-in")),
    "agreed-if_symptoms": _Words(N_("what to do if symptoms come"), N_("What to do if symptoms come")),
    "agreed-contact": _Words(N_("who to call"), N_("Who to call")),
    "agreed-next_review": _Words(
        N_("the date of the next review"), N_("The date of the next review"), N_("14 January 2027")
    ),
    "plan-N-medication": _Words(N_("which medicine"), N_("The medicine"), choice=True),
    "plan-N-daily_mg": _Words(N_("the daily dose agreed"), N_("The daily dose"), N_("1.5 mg"), unit=" mg"),
    "plan-N-from": _Words(N_("the date it starts"), N_("The start date"), N_("3 January 2027")),
    "progress-N-date": _Words(N_("the date of this step"), N_("The date of this step"), N_("12 November 2026")),
    "progress-N-medication": _Words(N_("which medicine"), N_("The medicine"), choice=True),
    "progress-N-daily_mg": _Words(N_("the daily dose taken"), N_("The daily dose taken"), N_("1.75 mg"), unit=" mg"),
    "progress-N-how_it_went": _Words(N_("how it went, from 0 to 10"), N_("How it went"), "6"),
    "progress-N-note": _Words(N_("a note"), N_("The note")),
}
_LIST_NOUNS = {
    "symptoms_other": N_("You can list up to {n} symptoms"),
    "goals-requests": N_("You can list up to {n} requests"),
    "resources": N_("You can list up to {n} pieces of evidence"),
    "meds-0-name": N_("You can list up to {n} medicines"),
    "attempts-0-when": N_("You can list up to {n} past attempts"),
    "goals-values": N_("You can list up to {n} things that matter most"),
    "progress-0-daily_mg": N_("You can list up to {n} steps taken"),
    "plan-0-daily_mg": N_("You can list up to {n} agreed steps"),
}
_OWN_WORDS = {
    "caregiver_required": N_("Enter your name and who the person you help is to you"),
    "taper_medication_missing": N_("Choose one of the medicines you listed"),
    "duplicate_generic": N_("This medicine is already listed: give all its doses in one entry, one per time of day"),
    "since_format": N_("Enter a year like 2019, or a month like April 2019"),
    "since_too_early": N_("Enter a year from 1950 onwards"),
    "since_month": N_("The month must be between 1 and 12"),
    "since_future": N_("The date cannot be in the future"),
    "date_future": N_("The date cannot be in the future"),
    "date_too_old": N_("The appointment date must be within the last year or in the future"),
    "date_too_far": N_("The appointment date must be within the next three years"),
    "medication_missing": N_("Choose one of the medicines you listed"),
}
"""Story's own checks, said here in the form's words (Story's messages are the API's, in English)."""
AT_LEAST_ONE_TIME = N_("Enter the amount for at least one time of day")
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
_ASK = {"missing", "dose_form_missing", "string_too_short", "too_short"}
_CHOOSE = {"enum", "literal_error", "bool_parsing", "bool_type"}
_BOUNDS = {
    "greater_than": N_("{subject} must be more than {gt}{unit}"),
    "greater_than_equal": N_("{subject} must be {ge}{unit} or more"),
    "less_than": N_("{subject} must be less than {lt}{unit}"),
    "less_than_equal": N_("{subject} must be {le}{unit} or less"),
}


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
    """One whole sentence per kind of problem, in the language being spoken, the field's words filled in."""
    kind, ctx = error["type"], error.get("ctx") or {}
    if kind in {"too_long", "too_short"} and ctx.get("field_type") != "List":
        kind = f"string_{kind}"  # a text field with a before-validator reports its length like a list's
    if kind in _OWN_WORDS:
        return _(_OWN_WORDS[kind])
    if error["loc"][-1] == "doses":
        return _(AT_LEAST_ONE_TIME)
    words = _WORDS.get(re.sub(r"-\d+-", "-N-", name), _Words(N_("this answer"), N_("This answer")))
    ask, subject = words.said(words.ask), words.said(words.subject)
    example = words.said(words.example) if words.example else ""
    if kind in _CHOOSE or (kind in _ASK and words.choice):
        return _("Select {ask}").format(ask=ask)
    if kind in _ASK:
        sentence = N_("Enter {ask}, for example {example}") if example else N_("Enter {ask}")
        return _(sentence).format(ask=ask, example=example)
    if kind == "too_long":
        return _(_LIST_NOUNS.get(name, N_("You can list up to {n} answers"))).format(n=ctx.get("max_length"))
    if kind == "string_too_long":
        return _("{subject} must be {n} characters or fewer").format(subject=subject, n=ctx["max_length"])
    if kind in _NUMBER:
        whole = kind.startswith("int")
        sentence = {
            (True, True): N_("Enter {ask} as a whole number, for example {example}"),
            (True, False): N_("Enter {ask} as a whole number"),
            (False, True): N_("Enter {ask} as a number, for example {example}"),
            (False, False): N_("Enter {ask} as a number"),
        }[whole, bool(example)]
        return _(sentence).format(ask=ask, example=example)
    if kind in _DATE:
        sentence = (
            N_("Enter {ask} as a real date, for example {example}") if example else N_("Enter {ask} as a real date")
        )
        return _(sentence).format(ask=ask, example=example)
    if kind in _BOUNDS:
        plain = {k: f"{v:g}" if isinstance(v, float) else v for k, v in ctx.items()}
        return _(_BOUNDS[kind]).format(**plain, subject=subject, unit=words.unit)
    if kind.startswith(("since_", "date_")):
        return str(error["msg"])
    return _("Check {ask}").format(ask=ask)


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
