"""The answers as typed → the answers Story reads (one switch per choice), and the check-your-answers rows."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from app.web.form import DOSE_TIMES, FormState, to_submission
from app.web.form_reading import DAY_FIRST, read_state
from app.web.form_steps import STEPS, Step
from app.web.medicine_names import KEEP

__all__ = ["COUNTRIES", "AnswerRow", "StepAnswers", "answer_rows", "for_story"]

COUNTRIES = [
    ("US", "United States"),
    ("GB", "United Kingdom"),
    ("CA", "Canada"),
    ("AU", "Australia"),
    ("IE", "Ireland"),
    ("NZ", "New Zealand"),
]


def for_story(state: FormState) -> FormState:
    """Doses and months as read; the draft taper is one switch (asking for it also picks the packet's taper part);
    paper follows the country unless chosen; "keep it as I typed it" is the form's business, not the Story's."""
    state = read_state(state)
    values = dict(state.values)
    if not values.get("options-paper"):
        values["options-paper"] = "a4" if values.get("options-country") in DAY_FIRST else "letter"
    parts = state.chosen("options-sections")
    if values.get("options-include_taper_draft") and "taper" not in parts:
        parts = [*parts, "taper"]
    meds = [{k: v for k, v in row.items() if k != KEEP} for row in state.meds]
    return replace(state, values=values, lists={**state.lists, "options-sections": parts}, meds=meds)


@dataclass(frozen=True)
class AnswerRow:
    label: str
    value: str
    field: str


@dataclass(frozen=True)
class StepAnswers:
    step: Step
    rows: list[AnswerRow]


_YES_NO = {True: "Yes", False: "No"}
_WHO = {"patient": "I take the medicine", "caregiver": "I’m helping someone who takes it"}
_PARTS = {
    "prescriber": "Summary for the prescriber",
    "evidence": "The evidence",
    "taper": "The draft taper plan",
    "for_me": "Notes for me",
}


def _text(value: object) -> str:
    if value is None or value == "" or value == []:
        return "Not given"
    if isinstance(value, bool):
        return _YES_NO[value]
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    return str(value)


def _doses(med: dict[str, Any]) -> str:
    """ "0.5 mg, 3 times a day", or per time of day as read: "Morning 0.5 mg, bedtime 1 mg"."""
    if "doses" not in med:
        return f"{med.get('dose_mg', '?')} mg, {med.get('times_per_day', '?')} times a day"
    said = ", ".join(f"{DOSE_TIMES[dose['time']].lower()} {dose['mg']} mg" for dose in med["doses"])
    return said[:1].upper() + said[1:] if said else "No amount at any time of day yet"


def _medicine(med: dict[str, Any]) -> str:
    dose = _doses(med)
    days = f", about {med['days_per_week']} days a week" if "days_per_week" in med else ""
    needed = f", as needed{days}" if med.get("as_needed") else ""
    since = f", since {med['taking_since']}" if med.get("taking_since") else ""
    return f"{med.get('name', 'No name')}: {dose}{needed}{since}"


def _visit(data: dict[str, Any]) -> list[AnswerRow]:
    """The agreed plan and each step taken, as read ("3 January 2027" shows as 2027-01-03)."""
    if "agreed" not in data and not data.get("progress"):
        return [AnswerRow("Since your last visit", "This is a first visit", "visit-follow_up")]
    agreed = data.get("agreed", {})
    rows = [
        AnswerRow(label, _text(agreed.get(key)), f"agreed-{key}")
        for label, key in (("Last visit", "date"), ("Decided", "decision"), ("Check-in", "check_in"))
    ]
    rows += [
        AnswerRow(f"Agreed step {n}", _step(s, "from"), f"plan-{n - 1}-daily_mg")
        for n, s in enumerate(agreed.get("steps", []), start=1)
    ]
    rows += [AnswerRow("Next review", _text(agreed.get("next_review")), "agreed-next_review")]
    return rows + [
        AnswerRow(f"Step taken {n}", _step(r, "date"), f"progress-{n - 1}-date")
        for n, r in enumerate(data.get("progress", []), start=1)
    ]


def _step(row: dict[str, Any], when: str) -> str:
    went = f", went {row['how_it_went']} of 10" if row.get("how_it_went") else ""
    return (
        f"{row.get('daily_mg', '?')} mg a day of medicine {row.get('medication', '?')} from {row.get(when, '?')}{went}"
    )


def answer_rows(state: FormState) -> list[StepAnswers]:
    """Each step's answers as taperprep read them ("½" shows as 0.5 mg), each with the field its Change link opens."""
    data = to_submission(for_story(state)).data
    who, goals, options = data.get("prepared_by", ""), data.get("goals", {}), data.get("options", {})
    appointment = data.get("appointment", {})
    about = [AnswerRow("Who is filling this in", _WHO.get(who, "Not given"), "prepared_by")]
    if who == "caregiver":
        carer = data.get("caregiver", {})
        about += [
            AnswerRow("Your name", _text(carer.get("name")), "caregiver-name"),
            AnswerRow("Who they are to you", _text(carer.get("relationship")), "caregiver-relationship"),
            AnswerRow("They know and agree", _text(carer.get("patient_knows")), "caregiver-patient_knows"),
            AnswerRow("Coming together", _text(carer.get("coming_together")), "caregiver-coming_together"),
        ]
    about += [
        AnswerRow("Name", _text(data["patient"].get("name")), "patient-name"),
        AnswerRow("Age", _text(data["patient"].get("age")), "patient-age"),
        AnswerRow("Country", dict(COUNTRIES).get(str(options.get("country")), "United States"), "options-country"),
    ]
    medicines = [
        AnswerRow(f"Medicine {n}", _medicine(med), f"meds-{row}-name")
        for n, (row, med) in enumerate(
            zip(to_submission(for_story(state)).med_rows, data["medications"], strict=True), start=1
        )
    ]
    medicines = medicines or [AnswerRow("Medicines", "None listed yet", "meds-0-name")]
    attempts = [
        AnswerRow(f"Attempt {n}", f"{a.get('when', '?')}: {a.get('method', '?')}", f"attempts-{n - 1}-when")
        for n, a in enumerate(data["past_attempts"], start=1)
    ] or [AnswerRow("Past attempts", "None", "attempts")]
    now = [
        AnswerRow("Symptoms", _text(data["symptoms"]), "symptoms"),
        AnswerRow("How things are", _text(data.get("experience")), "experience"),
    ]
    hopes = [
        AnswerRow("Why now", _text(data.get("why_now")), "why_now"),
        AnswerRow("What you hope for", _text(goals.get("outcome")), "goals-outcome"),
        AnswerRow("Pace", _text(goals.get("pace")), "goals-pace"),
        AnswerRow(
            "Daily total to aim for",
            f"{goals['target_daily_mg']} mg" if goals.get("target_daily_mg") else "Not given",
            "goals-target_daily_mg",
        ),
        AnswerRow("A draft taper plan", _text(options.get("include_taper_draft")), "options-include_taper_draft"),
    ]
    hopes.insert(4, AnswerRow("What matters most", _text(goals.get("values")), "goals-values"))
    printing = [
        AnswerRow("Prescriber", _text(appointment.get("prescriber_name")), "appointment-prescriber_name"),
        AnswerRow("Appointment date", _text(appointment.get("date")), "appointment-date"),
        AnswerRow("Clinic", _text(appointment.get("clinic")), "appointment-clinic"),
        AnswerRow(
            "Evidence", "Chosen for me" if "resources" not in data else _text(data["resources"]), "resources-mode"
        ),
        AnswerRow("Paper", "A4" if options.get("paper") == "a4" else "US Letter", "options-paper"),
        AnswerRow("Large print", _text(options.get("large_print")), "options-large_print"),
        AnswerRow(
            "Parts", _text([_PARTS.get(str(p), str(p)) for p in options.get("sections", [])]), "options-sections"
        ),
    ]
    return [
        StepAnswers(step, rows)
        for step, rows in zip(STEPS, (about, medicines, attempts, now, hopes, _visit(data), printing), strict=True)
    ]
