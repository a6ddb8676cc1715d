"""Flat form fields (`meds-0-dose_mg`) ⇄ the Story dict; rows are added and removed here, validation is Story's."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any

from app.library.translations import N_, _, language, speaking
from app.packet.words import TIME_WORDS
from app.story import Section, Story
from app.web.form_values import given, shown
from app.web.visit_fields import (
    MAX_PROGRESS_ROWS,
    PLAN_FIELDS,
    PROGRESS_FIELDS,
    VISIT_SCALARS,
    medicine_number,
    visit_answers,
    visit_values,
)

__all__ = [
    "ATTEMPT_FIELDS",
    "COMMON_SYMPTOMS",
    "DOSE_TIMES",
    "LANGUAGE",
    "MAX_ROWS",
    "MED_FIELDS",
    "FormState",
    "Submission",
    "apply_action",
    "empty_state",
    "parse_fields",
    "story_to_state",
    "to_submission",
]

MAX_ROWS = 10
LANGUAGE = "options-language"
"""The language the form speaks: kept in the answers so a reopened draft, and the packet it makes, speak it too."""
DOSE_TIMES: dict[str, str] = {str(time): label for time, label in TIME_WORDS.items()}
"""Every time of day the contract knows, in the day's order, with its label; the form asks `meds-i-dose_<time>`."""
_SPLIT = "split"
"""The row field of "I take different amounts at different times of day": doses per time instead of one dose."""
_ONE_DOSE = ("dose_mg", "times_per_day")
_PER_TIME = tuple(f"dose_{time}" for time in DOSE_TIMES)
MED_FIELDS = (
    "name",
    _SPLIT,
    *_ONE_DOSE,
    *_PER_TIME,
    "as_needed",
    "days_per_week",
    "taking_since",
    "prescribed_for",
    "keep_name",
)
_SWITCHES = (_SPLIT, "as_needed")
ATTEMPT_FIELDS = ("when", "method", "description", "outcome")
DATE_PARTS = ("appointment-date-day", "appointment-date-month", "appointment-date-year")
SCALARS = (
    "prepared_by",
    "caregiver-name",
    "caregiver-relationship",
    "caregiver-phone",
    "caregiver-patient_knows",
    "caregiver-coming_together",
    "patient-name",
    "patient-age",
    "patient-pronouns",
    "appointment-prescriber_name",
    "appointment-clinic",
    *DATE_PARTS,
    "appointment-date-text",
    "reason_prescribed",
    "experience",
    "symptoms_other",
    "why_now",
    "goals-outcome",
    "goals-pace",
    "goals-requests",
    "goals-notes",
    "goals-target_daily_mg",
    "resources-mode",
    "options-paper",
    "options-large_print",
    "options-include_taper_draft",
    "options-taper_medication",
    "options-country",
    LANGUAGE,
    "goals-values",
    *VISIT_SCALARS,
)
LISTS = ("symptoms", "options-sections", "resources")
COMMON_SYMPTOMS = (
    N_("trouble sleeping"),
    N_("anxiety"),
    N_("panic attacks"),
    N_("low mood"),
    N_("poor memory or concentration"),
    N_("feeling foggy or slowed down"),
    N_("daytime sleepiness"),
    N_("dizziness or unsteadiness"),
    N_("falls"),
    N_("confusion"),
    N_("muscle tension or pain"),
    N_("headaches"),
    N_("sensitivity to light or sound"),
    N_("tingling or burning skin"),
    N_("shaking or tremor"),
    N_("stomach problems"),
    N_("racing heart"),
)
"""Ticked in English (the form's values); the Story gets them in the words of the language the form speaks."""
_ROW = re.compile(r"^(meds|attempts|plan|progress)-(\d{1,3})-([a-z_]+)$")
_ROW_FIELDS = {"meds": MED_FIELDS, "attempts": ATTEMPT_FIELDS, "plan": PLAN_FIELDS, "progress": PROGRESS_FIELDS}
_ROW_LIMITS = {"meds": MAX_ROWS, "attempts": MAX_ROWS, "plan": MAX_ROWS, "progress": MAX_PROGRESS_ROWS}
_SPLIT_LINES = re.compile(r"[\r\n]+")
_SPLIT_SYMPTOMS = re.compile(r"[\r\n,;]+")


@dataclass(frozen=True)
class FormState:
    """Everything the form shows, exactly as typed: the server keeps nothing, so this is the whole draft."""

    values: dict[str, str] = field(default_factory=dict)
    lists: dict[str, list[str]] = field(default_factory=lambda: {name: [] for name in LISTS})
    meds: list[dict[str, str]] = field(default_factory=lambda: [{}])
    attempts: list[dict[str, str]] = field(default_factory=list)
    plan: list[dict[str, str]] = field(default_factory=list)
    progress: list[dict[str, str]] = field(default_factory=list)

    def value(self, name: str) -> str:
        return self.values.get(name, "")

    def chosen(self, name: str) -> list[str]:
        return self.lists.get(name, [])


@dataclass(frozen=True)
class Submission:
    """The Story dict built from a form, and which form row each medicine and attempt came from."""

    data: dict[str, Any]
    med_rows: list[int]
    attempt_rows: list[int]
    plan_rows: list[int] = field(default_factory=list)
    progress_rows: list[int] = field(default_factory=list)


def empty_state(caregiver: bool = False) -> FormState:
    """A new form: who is preparing it comes from the start page's link; the rest are the Story's defaults."""
    return _with_defaults(FormState(values={"prepared_by": "caregiver" if caregiver else "patient"}))


def _with_defaults(state: FormState) -> FormState:
    values = {
        "goals-outcome": "undecided",
        "goals-pace": "undecided",
        "resources-mode": "auto",
        "options-paper": "letter",
        **state.values,
    }
    lists = {**state.lists, "options-sections": [s.value for s in Section]}
    return replace(state, values=values, lists=lists)


def parse_fields(items: Iterable[tuple[str, str]]) -> FormState:
    """Posted (name, value) pairs → FormState; unknown names are ignored, rows keep their order."""
    values: dict[str, str] = {}
    lists: dict[str, list[str]] = {name: [] for name in LISTS}
    rows: dict[str, dict[int, dict[str, str]]] = {kind: {} for kind in _ROW_FIELDS}
    for name, value in items:
        if name in lists:
            lists[name].append(value)
        elif name in SCALARS:
            values[name] = value
        elif (match := _ROW.match(name)) and match[3] in _ROW_FIELDS[match[1]]:
            rows[match[1]].setdefault(int(match[2]), {})[match[3]] = value
    kept = {kind: [found[i] for i in sorted(found)][: _ROW_LIMITS[kind]] for kind, found in rows.items()}
    return FormState(values, lists, kept["meds"] or [{}], kept["attempts"], kept["plan"], kept["progress"])


_ACTION_ROWS = {"medication": "meds", "attempt": "attempts", "plan-step": "plan", "progress-step": "progress"}
"""The row word in a button's action ("add-plan-step", "remove-attempt-1") → the FormState rows it changes."""


def apply_action(state: FormState, action: str) -> FormState:
    """ "add-medication", "remove-medication-2", "add-plan-step", "remove-progress-step-1" (1-based); else unchanged."""
    verb, _, rest = action.partition("-")
    word, _, number = rest.rpartition("-") if verb == "remove" else (rest, "", "")
    kind = _ACTION_ROWS.get(word)
    if kind is None:
        return state
    rows: list[dict[str, str]] = getattr(state, kind)
    if verb == "add" and len(rows) < _ROW_LIMITS[kind]:
        return _with_rows(state, kind, [*rows, {}])
    if verb == "remove" and number.isdigit():
        return _with_rows(state, kind, [row for i, row in enumerate(rows, start=1) if i != int(number)])
    return state


def _with_rows(state: FormState, kind: str, rows: list[dict[str, str]]) -> FormState:
    """The state with one kind of rows replaced; the medicines always keep one row to fill in."""
    new = {"meds": state.meds, "attempts": state.attempts, "plan": state.plan, "progress": state.progress, kind: rows}
    return FormState(state.values, state.lists, new["meds"] or [{}], new["attempts"], new["plan"], new["progress"])


def _group(state: FormState, prefix: str, names: tuple[str, ...]) -> dict[str, str]:
    return {name: state.value(f"{prefix}-{name}") for name in names if given(state.value(f"{prefix}-{name}"))}


def _lines(text: str, pattern: re.Pattern[str] = _SPLIT_LINES) -> list[str]:
    return [line for line in pattern.split(text) if line.strip()]


def _answers(row: dict[str, str]) -> tuple[str, ...]:
    """The row fields that count as answers: the dose form switched on, and days a week only when as needed;
    what is hidden by a switch stays in the form (nothing typed is lost) but does not reach the Story."""
    hidden = (*_SWITCHES, *(_ONE_DOSE if row.get(_SPLIT) else _PER_TIME))
    hidden += () if row.get("as_needed") else ("days_per_week",)
    return tuple(name for name in MED_FIELDS if name not in hidden)


def _medication(row: dict[str, str]) -> dict[str, Any]:
    """One medicine row → the Story's medicine: `doses` (the times filled in) or `dose_mg` × `times_per_day`."""
    med: dict[str, Any] = {k: row[k] for k in _answers(row) if k not in _PER_TIME and given(row.get(k))}
    if row.get(_SPLIT):
        med["doses"] = [
            {"time": time, "mg": row[f"dose_{time}"]} for time in DOSE_TIMES if given(row.get(f"dose_{time}"))
        ]
    med["as_needed"] = bool(row.get("as_needed"))
    return med


def _symptom_words(state: FormState) -> list[str]:
    """The ticked symptoms as the person read them: in the language the form speaks."""
    with speaking(state.value(LANGUAGE) or language()):
        return [_(symptom) for symptom in state.chosen("symptoms")]


def to_submission(state: FormState) -> Submission:
    """FormState → the dict Story.model_validate checks. Empty answers are left out so the Story decides
    whether they are optional; a medicine or attempt row left wholly blank is not an answer."""
    data: dict[str, Any] = {}
    if given(state.value("prepared_by")):
        data["prepared_by"] = state.value("prepared_by")
    if state.value("prepared_by") == "caregiver":
        data["caregiver"] = _group(
            state, "caregiver", ("name", "relationship", "phone", "patient_knows", "coming_together")
        )
    data["patient"] = _group(state, "patient", ("name", "age", "pronouns"))
    data["appointment"] = _group(state, "appointment", ("prescriber_name", "clinic"))
    day, month, year = (state.value(part).strip() for part in DATE_PARTS)
    if day or month or year:
        data["appointment"]["date"] = f"{year}-{month.zfill(2)}-{day.zfill(2)}"
    med_rows = [i for i, row in enumerate(state.meds) if any(given(row.get(k)) for k in _answers(row))]
    data["medications"] = [_medication(state.meds[i]) for i in med_rows]
    attempt_rows = [i for i, row in enumerate(state.attempts) if any(given(v) for v in row.values())]
    data["past_attempts"] = [{k: v for k, v in state.attempts[i].items() if given(v)} for i in attempt_rows]
    for name in ("reason_prescribed", "experience", "why_now"):
        if given(state.value(name)):
            data[name] = state.value(name)
    data["symptoms"] = [*_symptom_words(state), *_lines(state.value("symptoms_other"), _SPLIT_SYMPTOMS)]
    goals: dict[str, Any] = _group(state, "goals", ("outcome", "pace", "notes", "target_daily_mg"))
    goals["requests"] = _lines(state.value("goals-requests"))
    data["goals"] = goals
    if state.value("resources-mode") == "choose":
        data["resources"] = state.chosen("resources")
    options: dict[str, Any] = _group(state, "options", ("paper", "country", "language"))
    options["large_print"] = given(state.value("options-large_print"))
    options["include_taper_draft"] = given(state.value("options-include_taper_draft"))
    options["sections"] = state.chosen("options-sections")
    if given(number := state.value("options-taper_medication")):
        options["taper_medication"] = medicine_number(number, med_rows)
    data["options"] = options
    goals["values"] = _lines(state.value("goals-values"))
    visit = visit_answers(state.values, state.plan, state.progress, med_rows)
    return Submission({**data, **visit.data}, med_rows, attempt_rows, visit.plan_rows, visit.progress_rows)


def _med_row(med: dict[str, Any]) -> dict[str, str]:
    """A Story medicine (JSON) → its form row; doses at one time twice (the API allows it) are added together."""
    row = {k: shown(v) for k, v in med.items() if k != "doses" and shown(v)}
    if med.get("doses") is not None:
        row[_SPLIT] = "yes"
        for time in DOSE_TIMES:
            amounts = [dose["mg"] for dose in med["doses"] if dose["time"] == time]
            if amounts:
                row[f"dose_{time}"] = shown(round(float(sum(amounts)), 6))
    return row


def story_to_state(story: Story) -> FormState:
    """A saved Story → the filled form, so export → import gives back the same form."""
    data = story.model_dump(mode="json")
    values = {"prepared_by": data["prepared_by"]}
    for group in ("caregiver", "patient", "appointment", "goals", "options"):
        for key, value in (data.get(group) or {}).items():
            if f"{group}-{key}" in SCALARS:
                values[f"{group}-{key}"] = "no" if value is False and group == "caregiver" else shown(value)
    for name in ("reason_prescribed", "experience", "why_now"):
        values[name] = shown(data.get(name))
    if story.appointment.date is not None:
        date = story.appointment.date
        values.update(zip(DATE_PARTS, (str(date.day), str(date.month), str(date.year)), strict=True))
    with speaking(story.options.language):
        ticked = {_(symptom): symptom for symptom in COMMON_SYMPTOMS}
    common = [ticked[s] for s in data["symptoms"] if s in ticked]
    values["symptoms_other"] = "\n".join(s for s in data["symptoms"] if s not in ticked)
    values["goals-requests"] = "\n".join(data["goals"]["requests"])
    values["resources-mode"] = "auto" if data.get("resources") is None else "choose"
    lists = {
        "symptoms": common,
        "options-sections": list(data["options"]["sections"]),
        "resources": list(data.get("resources") or []),
    }
    values["goals-values"] = "\n".join(data["goals"]["values"])
    meds = [_med_row(med) for med in data["medications"]]
    attempts = [{k: shown(v) for k, v in attempt.items()} for attempt in data["past_attempts"]]
    visit, plan, progress = visit_values(data)
    return FormState({**values, **visit}, lists, meds, attempts, plan, progress)
