"""app/web/form.py and form_errors.py: flat form fields ⇄ Story dict, and Story's errors in plain words per field."""

from __future__ import annotations

import datetime as dt

import pytest
from pydantic import ValidationError

from app.story import Story
from app.web.form import (
    MAX_ROWS,
    FormState,
    apply_action,
    empty_state,
    parse_fields,
    story_to_state,
    to_submission,
)
from app.web.form_errors import FieldError, field_errors, max_length
from tests.helpers import STORY_NAMES, load_story, same_story

MED = [
    ("meds-0-name", "Xanax"),
    ("meds-0-dose_mg", "0.5"),
    ("meds-0-times_per_day", "2"),
    ("meds-0-taking_since", "2019"),
]
BASE = [("prepared_by", "patient"), *MED, ("options-sections", "prescriber")]


def _errors(items: list[tuple[str, str]]) -> list[FieldError]:
    submission = to_submission(parse_fields(items))
    with pytest.raises(ValidationError) as caught:
        Story.model_validate(submission.data)
    return field_errors(caught.value, submission)


@pytest.mark.parametrize("name", STORY_NAMES)
def test_story_to_form_and_back_gives_the_same_story(name: str) -> None:
    story = Story.model_validate(load_story(name))
    again = Story.model_validate(to_submission(story_to_state(story)).data)
    assert same_story(again, story)


def test_parse_keeps_rows_in_order_and_ignores_unknown_names() -> None:
    state = parse_fields(
        [
            ("meds-3-name", "Ativan"),
            ("meds-1-name", "Xanax"),
            ("meds-1-shoe_size", "9"),
            ("evil", "x"),
            ("symptoms", "falls"),
            ("symptoms", "confusion"),
        ]
    )
    assert state.meds == [{"name": "Xanax"}, {"name": "Ativan"}]
    assert state.chosen("symptoms") == ["falls", "confusion"]
    assert "evil" not in state.values


def test_empty_form_has_one_blank_medicine_and_the_contract_defaults() -> None:
    state = empty_state(caregiver=True)
    assert state.meds == [{}] and state.attempts == []
    assert state.value("prepared_by") == "caregiver"
    assert state.chosen("options-sections") == ["prescriber", "evidence", "taper", "for_me"]


def test_blank_rows_are_not_answers_and_errors_point_at_the_form_row() -> None:
    items = [*BASE, ("meds-1-name", ""), ("meds-2-name", "Ativan"), ("meds-2-dose_mg", "abc")]
    submission = to_submission(parse_fields(items))
    assert submission.med_rows == [0, 2]
    messages = {e.field: e.message for e in _errors(items)}
    assert messages["meds-2-dose_mg"] == "Enter the dose as a number, for example 0.5 mg, ½ or 500 mcg"
    assert "meds-1-name" not in messages


def test_missing_dose_reads_as_plain_words() -> None:
    items = [("prepared_by", "patient"), ("meds-0-name", "Xanax"), ("options-sections", "prescriber")]
    messages = {e.field: e.message for e in _errors(items)}
    assert messages["meds-0-dose_mg"] == "Enter the dose, for example 0.5 mg, ½ or 500 mcg"
    assert messages["meds-0-times_per_day"] == "Enter how many times a day, for example 2"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("meds-0-dose_mg", "0", "The dose must be more than 0 mg"),
        ("meds-0-dose_mg", "5000", "The dose must be 1000 mg or less"),
        ("meds-0-taking_since", "2999", "The date cannot be in the future"),
        ("patient-age", "old", "Enter the age in years as a whole number, for example 67"),
        ("patient-age", "130", "The age must be 120 or less"),
        ("meds-0-name", "x" * 81, "The name of the medicine must be 80 characters or fewer"),
    ],
)
def test_bad_values_get_a_message_beside_their_field(field: str, value: str, message: str) -> None:
    items = [(k, v) for k, v in BASE if k != field] + [(field, value)]
    assert FieldError(field, message) in _errors(items)


def test_no_medicine_points_at_the_first_name_box() -> None:
    errors = _errors([("prepared_by", "patient"), ("options-sections", "prescriber")])
    assert errors == [FieldError("meds-0-name", "Enter the name of the medicine, for example Xanax or alprazolam")]


def test_caregiver_without_details_is_asked_for_them_and_patient_drops_them() -> None:
    caregiver = [("prepared_by", "caregiver"), *MED, ("options-sections", "prescriber")]
    assert _errors(caregiver)[:2] == [
        FieldError("caregiver-name", "Enter your name"),
        FieldError("caregiver-relationship", "Enter who the person you help is to you, for example mother"),
    ]
    patient = [*BASE, ("caregiver-name", "Ana"), ("caregiver-relationship", "mother")]
    assert "caregiver" not in to_submission(parse_fields(patient)).data


def test_no_section_ticked_asks_for_one() -> None:
    items = [("prepared_by", "patient"), *MED]
    assert _errors(items) == [FieldError("options-sections", "Select at least one part of the packet")]


def test_appointment_date_from_three_boxes() -> None:
    soon = dt.date.today() + dt.timedelta(days=30)
    items = [
        *BASE,
        ("appointment-date-day", str(soon.day)),
        ("appointment-date-month", str(soon.month)),
        ("appointment-date-year", str(soon.year)),
    ]
    story = Story.model_validate(to_submission(parse_fields(items)).data)
    assert story.appointment.date == soon
    assert story_to_state(story).value("appointment-date-month") == str(soon.month)
    bad = [*BASE, ("appointment-date-day", "31"), ("appointment-date-month", "2"), ("appointment-date-year", "2027")]
    assert _errors(bad) == [
        FieldError("appointment-date", "Enter the date of the appointment as a real date, for example 14 March 2027")
    ]


def test_taper_medicine_number_follows_the_form_row_not_the_story_index() -> None:
    items = [
        *BASE,
        ("meds-1-name", ""),
        ("meds-2-name", "Ambien"),
        ("meds-2-dose_mg", "5"),
        ("meds-2-times_per_day", "1"),
        ("meds-2-taking_since", "2020"),
        ("options-taper_medication", "3"),
    ]
    assert to_submission(parse_fields(items)).data["options"]["taper_medication"] == 2


def test_symptoms_and_requests_split_into_lists() -> None:
    items = [
        *BASE,
        ("symptoms", "falls"),
        ("symptoms_other", "ringing ears, jaw pain\nnightmares"),
        ("goals-requests", "Smaller cuts\n\nA review in a month"),
    ]
    data = to_submission(parse_fields(items)).data
    assert data["symptoms"] == ["falls", "ringing ears", " jaw pain", "nightmares"]
    assert data["goals"]["requests"] == ["Smaller cuts", "A review in a month"]
    assert Story.model_validate(data).symptoms[2] == "jaw pain"


def test_evidence_choice_only_when_asked_for() -> None:
    auto = to_submission(parse_fields([*BASE, ("resources-mode", "auto"), ("resources", "fda-2020")])).data
    chosen = to_submission(parse_fields([*BASE, ("resources-mode", "choose"), ("resources", "fda-2020")])).data
    assert "resources" not in auto
    assert chosen["resources"] == ["fda-2020"]


def test_add_and_remove_rows_keep_every_other_value() -> None:
    state = parse_fields([*BASE, ("meds-1-name", "Ativan")])
    added = apply_action(state, "add-medication")
    assert added.meds == [*state.meds, {}]
    removed = apply_action(added, "remove-medication-1")
    assert removed.meds == [{"name": "Ativan"}, {}]
    assert removed.values == state.values
    assert apply_action(FormState(), "remove-medication-1").meds == [{}]
    with_attempt = apply_action(state, "add-attempt")
    assert with_attempt.attempts == [{}]
    assert apply_action(with_attempt, "remove-attempt-1").attempts == []
    assert apply_action(state, "remove-medication-x") == state


def test_rows_stop_at_the_contract_maximum() -> None:
    state = FormState(meds=[{} for _ in range(MAX_ROWS)])
    assert apply_action(state, "add-medication") == state


def test_limits_come_from_the_story_contract() -> None:
    assert max_length("experience") == 4000
    assert max_length("medications", "name") == 80
    assert max_length("past_attempts", "outcome") == 1000
    assert max_length("goals", "notes") == 1000
