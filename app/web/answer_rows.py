"""The answers as typed → the answers Story reads (one switch per choice), and the check-your-answers rows."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from app.library.translations import N_, _
from app.packet.agreed_page import DECISION_WORDS
from app.story import Decision, Method
from app.web.form import DOSE_TIMES, FormState, to_submission
from app.web.form_reading import DAY_FIRST, read_state
from app.web.form_steps import STEPS, Step
from app.web.medicine_names import KEEP

__all__ = ["COUNTRIES", "METHODS", "OUTCOMES", "PACES", "AnswerRow", "StepAnswers", "answer_rows", "for_story"]

COUNTRIES = [
    ("US", N_("United States")),
    ("GB", N_("United Kingdom")),
    ("CA", N_("Canada")),
    ("AU", N_("Australia")),
    ("IE", N_("Ireland")),
    ("NZ", N_("New Zealand")),
]
METHODS = {
    Method.cold_turkey: N_("Stopped all at once (“cold turkey”)"),
    Method.fast_taper: N_("Cut down quickly, over days or a few weeks"),
    Method.slow_taper: N_("Cut down slowly, over months"),
    Method.switch: N_("Switched to another medicine first, such as diazepam"),
    Method.detox: N_("In a detox program"),
    Method.hospital_stay: N_("Stopped or changed during a hospital stay for something else"),
    Method.other: N_("Something else"),
}
OUTCOMES = {"stop": N_("To stop completely"), "reduce": N_("To take less"), "undecided": N_("Not sure yet")}
PACES = {
    "slow": N_("Slowly, at a pace that can be adjusted"),
    "as_guidelines": N_("At the pace the guidelines suggest"),
    "undecided": N_("Not sure yet"),
}
"""The form's words for each choice, read back on the check page as they were offered."""


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


_YES_NO = {True: N_("Yes"), False: N_("No")}
_WHO = {"patient": N_("I take the medicine"), "caregiver": N_("I’m helping someone who takes it")}
_PARTS = {
    "prescriber": N_("Summary for the prescriber"),
    "evidence": N_("The evidence"),
    "taper": N_("The draft taper plan"),
    "for_me": N_("Notes for me"),
}


def _text(value: object) -> str:
    if value is None or value == "" or value == []:
        return _("Not given")
    if isinstance(value, bool):
        return _(_YES_NO[value])
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    return str(value)


def _chosen(value: object, words: dict[Any, str]) -> str:
    """A choice in the words it was offered in; a value the form never offered as it was given."""
    return _(words[value]) if value in words else _text(value)


def _doses(med: dict[str, Any]) -> str:
    """ "0.5 mg, 3 times a day", or per time of day as read: "Morning 0.5 mg, bedtime 1 mg"."""
    if "doses" not in med:
        return _("{mg} mg, {times} times a day").format(mg=med.get("dose_mg", "?"), times=med.get("times_per_day", "?"))
    said = ", ".join(
        _("{time} {mg} mg").format(time=_(DOSE_TIMES[dose["time"]]).lower(), mg=dose["mg"]) for dose in med["doses"]
    )
    return said[:1].upper() + said[1:] if said else _("No amount at any time of day yet")


def _medicine(med: dict[str, Any]) -> str:
    parts = [_doses(med)]
    if med.get("as_needed"):
        days = med.get("days_per_week")
        parts.append(_("as needed, about {days} days a week").format(days=days) if days is not None else _("as needed"))
    if med.get("taking_since"):
        parts.append(_("since {when}").format(when=med["taking_since"]))
    return _("{name}: {how}").format(name=med.get("name", _("No name")), how=", ".join(parts))


def _visit(data: dict[str, Any]) -> list[AnswerRow]:
    """The agreed plan and each step taken, as read ("3 January 2027" shows as 2027-01-03)."""
    if "agreed" not in data and not data.get("progress"):
        return [AnswerRow(_("Since your last visit"), _("This is a first visit"), "visit-follow_up")]
    agreed = data.get("agreed", {})
    decisions = {d.value: _(DECISION_WORDS[d]) for d in Decision}
    rows = [
        AnswerRow(_("Last visit"), _text(agreed.get("date")), "agreed-date"),
        AnswerRow(_("Decided"), _chosen(agreed.get("decision"), decisions), "agreed-decision"),
        AnswerRow(_("Check-in"), _text(agreed.get("check_in")), "agreed-check_in"),
    ]
    rows += [
        AnswerRow(_("Agreed step {n}").format(n=n), _step(s, "from"), f"plan-{n - 1}-daily_mg")
        for n, s in enumerate(agreed.get("steps", []), start=1)
    ]
    rows += [AnswerRow(_("Next review"), _text(agreed.get("next_review")), "agreed-next_review")]
    return rows + [
        AnswerRow(_("Step taken {n}").format(n=n), _step(r, "date"), f"progress-{n - 1}-date")
        for n, r in enumerate(data.get("progress", []), start=1)
    ]


def _step(row: dict[str, Any], when: str) -> str:
    said = {"mg": row.get("daily_mg", "?"), "medicine": row.get("medication", "?"), "when": row.get(when, "?")}
    if row.get("how_it_went"):
        return _("{mg} mg a day of medicine {medicine} from {when}, went {went} of 10").format(
            **said, went=row["how_it_went"]
        )
    return _("{mg} mg a day of medicine {medicine} from {when}").format(**said)


def answer_rows(state: FormState) -> list[StepAnswers]:
    """Each step's answers as taperprep read them ("½" shows as 0.5 mg), each with the field its Change link opens."""
    data = to_submission(for_story(state)).data
    who, goals, options = data.get("prepared_by", ""), data.get("goals", {}), data.get("options", {})
    appointment = data.get("appointment", {})
    about = [AnswerRow(_("Who is filling this in"), _(_WHO.get(who, N_("Not given"))), "prepared_by")]
    if who == "caregiver":
        carer = data.get("caregiver", {})
        about += [
            AnswerRow(_("Your name"), _text(carer.get("name")), "caregiver-name"),
            AnswerRow(_("Who they are to you"), _text(carer.get("relationship")), "caregiver-relationship"),
            AnswerRow(_("They know and agree"), _text(carer.get("patient_knows")), "caregiver-patient_knows"),
            AnswerRow(_("Coming together"), _text(carer.get("coming_together")), "caregiver-coming_together"),
        ]
    about += [
        AnswerRow(_("Name"), _text(data["patient"].get("name")), "patient-name"),
        AnswerRow(_("Age"), _text(data["patient"].get("age")), "patient-age"),
        AnswerRow(
            _("Country"), _(dict(COUNTRIES).get(str(options.get("country")), N_("United States"))), "options-country"
        ),
    ]
    medicines = [
        AnswerRow(_("Medicine {n}").format(n=n), _medicine(med), f"meds-{row}-name")
        for n, (row, med) in enumerate(
            zip(to_submission(for_story(state)).med_rows, data["medications"], strict=True), start=1
        )
    ]
    medicines = medicines or [AnswerRow(_("Medicines"), _("None listed yet"), "meds-0-name")]
    attempts = [
        AnswerRow(
            _("Attempt {n}").format(n=n),
            _("{when}: {how}").format(when=a.get("when", "?"), how=_chosen(a.get("method", "?"), METHODS)),
            f"attempts-{n - 1}-when",
        )
        for n, a in enumerate(data["past_attempts"], start=1)
    ] or [AnswerRow(_("Past attempts"), _("None"), "attempts")]
    now = [
        AnswerRow(_("Symptoms"), _text(data["symptoms"]), "symptoms"),
        AnswerRow(_("How things are"), _text(data.get("experience")), "experience"),
    ]
    target = goals.get("target_daily_mg")
    hopes = [
        AnswerRow(_("Why now"), _text(data.get("why_now")), "why_now"),
        AnswerRow(_("What you hope for"), _chosen(goals.get("outcome"), OUTCOMES), "goals-outcome"),
        AnswerRow(_("Pace"), _chosen(goals.get("pace"), PACES), "goals-pace"),
        AnswerRow(_("What matters most"), _text(goals.get("values")), "goals-values"),
        AnswerRow(
            _("Daily total to aim for"),
            _("{mg} mg").format(mg=target) if target else _("Not given"),
            "goals-target_daily_mg",
        ),
        AnswerRow(_("A draft taper plan"), _text(options.get("include_taper_draft")), "options-include_taper_draft"),
    ]
    chosen_parts = [_(_PARTS[str(p)]) if str(p) in _PARTS else str(p) for p in options.get("sections", [])]
    printing = [
        AnswerRow(_("Prescriber"), _text(appointment.get("prescriber_name")), "appointment-prescriber_name"),
        AnswerRow(_("Appointment date"), _text(appointment.get("date")), "appointment-date"),
        AnswerRow(_("Clinic"), _text(appointment.get("clinic")), "appointment-clinic"),
        AnswerRow(
            _("Evidence"),
            _("Chosen for me") if "resources" not in data else _text(data["resources"]),
            "resources-mode",
        ),
        AnswerRow(_("Paper"), "A4" if options.get("paper") == "a4" else _("US Letter"), "options-paper"),
        AnswerRow(_("Large print"), _text(options.get("large_print")), "options-large_print"),
        AnswerRow(_("Parts"), _text(chosen_parts), "options-sections"),
    ]
    return [
        StepAnswers(step, rows)
        for step, rows in zip(STEPS, (about, medicines, attempts, now, hopes, _visit(data), printing), strict=True)
    ]
