"""app/web/form_reading.py: doses, days a week, months and dates as people type them."""

from __future__ import annotations

import datetime as dt

import pytest

from app.web.form import FormState
from app.web.form_reading import read_date, read_days, read_dose, read_month, read_state


@pytest.mark.parametrize(
    ("typed", "mg"),
    [
        ("0.5 mg", 0.5),
        ("0.5mg", 0.5),
        ("0,5", 0.5),
        ("½", 0.5),
        ("1/2", 0.5),
        ("500 mcg", 0.5),
        ("500 µg", 0.5),
        (".5", 0.5),
        ("1 ½", 1.5),
        ("2 milligrams", 2),
        ("10", 10),
        ("0.25 MG", 0.25),
        ("250 micrograms", 0.25),
    ],
)
def test_doses_people_type_are_read(typed: str, mg: float) -> None:
    assert read_dose(typed) == pytest.approx(mg)


@pytest.mark.parametrize("typed", ["half a milligram", "three", "1/0", "0.5 g", "", "mg", "1..5", "2 tablets"])
def test_doses_that_cannot_be_read_are_none(typed: str) -> None:
    assert read_dose(typed) is None


@pytest.mark.parametrize(
    ("typed", "month"),
    [
        ("April 2019", "2019-04"),
        ("Apr 2019", "2019-04"),
        ("apr. 2019", "2019-04"),
        ("04/2019", "2019-04"),
        ("4/2019", "2019-04"),
        ("2019-04", "2019-04"),
        ("2019", "2019"),
        ("SEPT 2020", "2020-09"),
        ("2019 April", "2019-04"),
    ],
)
def test_months_people_type_are_read(typed: str, month: str) -> None:
    assert read_month(typed) == month


@pytest.mark.parametrize("typed", ["about 2019", "13/2019", "Ap 2019", "spring 2020", "19", "6 years ago", ""])
def test_months_that_cannot_be_read_are_none(typed: str) -> None:
    assert read_month(typed) is None


@pytest.mark.parametrize(
    ("typed", "day_first", "date"),
    [
        ("14 Jan 2027", True, dt.date(2027, 1, 14)),
        ("14 Jan 2027", False, dt.date(2027, 1, 14)),
        ("Jan 14 2027", False, dt.date(2027, 1, 14)),
        ("14/1/2027", True, dt.date(2027, 1, 14)),
        ("1/14/2027", False, dt.date(2027, 1, 14)),
        ("3/4/2027", True, dt.date(2027, 4, 3)),
        ("3/4/2027", False, dt.date(2027, 3, 4)),
        ("2027-01-14", False, dt.date(2027, 1, 14)),
        ("14 January 27", True, dt.date(2027, 1, 14)),
    ],
)
def test_dates_follow_the_countrys_order(typed: str, day_first: bool, date: dt.date) -> None:
    assert read_date(typed, day_first) == date


@pytest.mark.parametrize("typed", ["14/1/2027", "31 Feb 2027", "next Tuesday", "14 1", ""])
def test_dates_that_cannot_be_read_are_none(typed: str) -> None:
    assert read_date(typed, day_first=False) is None  # 14/1 month-first has no month 14


def test_read_state_keeps_what_it_cannot_read() -> None:
    state = FormState(
        values={"appointment-date-text": "soon", "goals-target_daily_mg": "½"},
        meds=[{"dose_mg": "half", "taking_since": "Apr 2019"}],
    )
    read = read_state(state)
    assert read.meds == [{"dose_mg": "half", "taking_since": "2019-04"}]
    assert read.value("goals-target_daily_mg") == "0.5"
    assert read.value("appointment-date-year") == "soon" and "appointment-date-text" not in read.values


@pytest.mark.parametrize(
    ("typed", "days"),
    [
        ("3", 3),
        ("about 3", 3),
        ("3 days", 3),
        ("3 days a week", 3),
        ("around 2 per week", 2),
        ("2,5", 2.5),
        ("2-3", 2.5),
        ("1 or 2", 1.5),
        ("0", 0),
        ("½", 0.5),
    ],
)
def test_days_a_week_people_type_are_read(typed: str, days: float) -> None:
    assert read_days(typed) == days


@pytest.mark.parametrize("typed", ["most days", "three", "3 a month", ""])
def test_days_a_week_that_cannot_be_read_are_none(typed: str) -> None:
    assert read_days(typed) is None


def test_read_state_reads_each_time_of_day_and_the_days_a_week() -> None:
    row = {"dose_morning": "½", "dose_bedtime": "500 mcg", "dose_other": "some", "days_per_week": "about 3"}
    assert read_state(FormState(meds=[row])).meds == [
        {"dose_morning": "0.5", "dose_bedtime": "0.5", "dose_other": "some", "days_per_week": "3"}
    ]
