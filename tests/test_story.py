"""Every rule of the v1 contract answers 422 through the API, naming the field in `loc`."""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.story import Story, months_taking
from tests.helpers import load_story

Story_ = dict[str, Any]


def _set(path: str, value: Any) -> Callable[[Story_], None]:
    def change(story: Story_) -> None:
        *parents, last = path.split(".")
        node: Any = story
        for part in parents:
            node = node[int(part)] if part.isdigit() else node.setdefault(part, {})
        if value is _DELETE:
            del node[last]
        else:
            node[last] = value

    return change


_DELETE = object()
NEXT_YEAR = dt.date.today().year + 1
THIS_MONTH = dt.date.today().strftime("%Y-%m")
LONG_AGO = (dt.date.today() - dt.timedelta(days=800)).isoformat()

RULES: list[tuple[str, Callable[[Story_], None], list[Any]]] = [
    ("prepared_by enum", _set("prepared_by", "friend"), ["prepared_by"]),
    ("prepared_by required", _set("prepared_by", _DELETE), ["prepared_by"]),
    ("caregiver required for caregivers", _set("prepared_by", "caregiver"), ["caregiver"]),
    (
        "caregiver name required",
        lambda s: s.update(prepared_by="caregiver", caregiver={"relationship": "son"}),
        ["caregiver", "name"],
    ),
    ("patient age range", _set("patient.age", 130), ["patient", "age"]),
    ("patient age negative", _set("patient.age", -1), ["patient", "age"]),
    ("appointment date real", _set("appointment.date", "2026-02-30"), ["appointment", "date"]),
    ("appointment date not years ago", _set("appointment.date", LONG_AGO), ["appointment", "date"]),
    ("at least one medication", _set("medications", []), ["medications"]),
    ("at most ten medications", lambda s: s.update(medications=s["medications"] * 11), ["medications"]),
    ("dose positive", _set("medications.0.dose_mg", 0), ["medications", 0, "dose_mg"]),
    ("dose upper bound", _set("medications.0.dose_mg", 5000), ["medications", 0, "dose_mg"]),
    ("dose not a number", _set("medications.0.dose_mg", "lots"), ["medications", 0, "dose_mg"]),
    ("times per day positive", _set("medications.0.times_per_day", 0), ["medications", 0, "times_per_day"]),
    ("taking_since format", _set("medications.0.taking_since", "last spring"), ["medications", 0, "taking_since"]),
    ("taking_since real month", _set("medications.0.taking_since", "2019-13"), ["medications", 0, "taking_since"]),
    (
        "taking_since not future",
        _set("medications.0.taking_since", f"{NEXT_YEAR}-01"),
        ["medications", 0, "taking_since"],
    ),
    ("medication name required", _set("medications.0.name", "   "), ["medications", 0, "name"]),
    ("medication name length", _set("medications.0.name", "x" * 81), ["medications", 0, "name"]),
    (
        "attempt method enum",
        lambda s: s.update(past_attempts=[{"when": "2020", "method": "hypnosis"}]),
        ["past_attempts", 0, "method"],
    ),
    ("experience length", _set("experience", "x" * 4001), ["experience"]),
    ("goals outcome enum", _set("goals.outcome", "quit"), ["goals", "outcome"]),
    ("goals pace enum", _set("goals.pace", "fast"), ["goals", "pace"]),
    ("paper enum", _set("options.paper", "legal"), ["options", "paper"]),
    ("sections enum", _set("options.sections", ["cover"]), ["options", "sections", 0]),
    ("taper medication exists", _set("options.taper_medication", 5), ["options"]),
    ("unknown field", _set("favourite_colour", "blue"), ["favourite_colour"]),
    ("unknown nested field", _set("patient.shoe_size", 9), ["patient", "shoe_size"]),
    ("unknown resource id", _set("resources", ["no-such-pack"]), ["resources", 0]),
    ("both dose forms", _set("medications.0.doses", [{"time": "morning", "mg": 1}]), ["medications", 0, "dose_mg"]),
    (
        "neither dose form",
        lambda s: [s["medications"][0].pop(k) for k in ("dose_mg", "times_per_day")],
        ["medications", 0, "dose_mg"],
    ),
    ("doses not empty", lambda s: _doses(s, []), ["medications", 0, "doses"]),
    (
        "dose at a time positive",
        lambda s: _doses(s, [{"time": "bedtime", "mg": 0}]),
        ["medications", 0, "doses", 0, "mg"],
    ),
    (
        "dose at a time not negative",
        lambda s: _doses(s, [{"time": "bedtime", "mg": -1}]),
        ["medications", 0, "doses", 0, "mg"],
    ),
    ("dose time enum", lambda s: _doses(s, [{"time": "noon", "mg": 1}]), ["medications", 0, "doses", 0, "time"]),
    ("at most eight doses", lambda s: _doses(s, [{"time": "other", "mg": 1}] * 9), ["medications", 0, "doses"]),
    (
        "days per week at most 7",
        lambda s: s["medications"][0].update(as_needed=True, days_per_week=8),
        ["medications", 0, "days_per_week"],
    ),
    ("days per week only as needed", _set("medications.0.days_per_week", 3), ["medications", 0, "days_per_week"]),
    ("country enum", _set("options.country", "FR"), ["options", "country"]),
    ("language enum", _set("options.language", "de"), ["options", "language"]),
    ("progress date not future", lambda s: _progress(s, date=f"{NEXT_YEAR}-01-01"), ["progress", 0, "date"]),
    ("progress dose positive", lambda s: _progress(s, daily_mg=0), ["progress", 0, "daily_mg"]),
    ("progress medicine listed", lambda s: _progress(s, medication=2), ["progress", 0, "medication"]),
    ("progress how it went at most 10", lambda s: _progress(s, how_it_went=11), ["progress", 0, "how_it_went"]),
    ("at most 200 progress rows", lambda s: s.update(progress=[_ROW] * 201), ["progress"]),
    (
        "agreed step medicine listed",
        _set("agreed", {"steps": [{"medication": 3, "daily_mg": 1}]}),
        ["agreed", "steps", 0, "medication"],
    ),
    ("agreed decision enum", _set("agreed", {"decision": "maybe"}), ["agreed", "decision"]),
]

_ROW = {"date": "2026-01-05", "medication": 1, "daily_mg": 1.25, "how_it_went": 3}


def _doses(story: Story_, doses: list[dict[str, Any]]) -> None:
    med = story["medications"][0]
    med.pop("dose_mg"), med.pop("times_per_day")
    med["doses"] = doses


def _progress(story: Story_, **row: Any) -> None:
    story["progress"] = [{**_ROW, **row}]


@pytest.mark.parametrize("change,loc", [(change, loc) for _, change, loc in RULES], ids=[r[0] for r in RULES])
def test_rule_answers_422_naming_the_field(
    client: TestClient, change: Callable[[Story_], None], loc: list[Any]
) -> None:
    story = copy.deepcopy(load_story("patient_one_drug"))
    change(story)
    response = client.post("/api/v1/packets", json=story)
    assert response.status_code == 422, response.text
    locs = [e["loc"] for e in response.json()["detail"]]
    assert ["body", *loc] in locs, locs


@pytest.mark.parametrize("raw", ["NaN", "Infinity", "-Infinity"])
def test_nan_and_infinity_are_refused(client: TestClient, raw: str) -> None:
    body = '{"prepared_by":"patient","medications":[{"name":"x","dose_mg":%s,"times_per_day":1,"taking_since":"2020"}]}'
    response = client.post("/api/v1/packets", content=body % raw, headers={"content-type": "application/json"})
    assert response.status_code == 422
    assert ["body", "medications", 0, "dose_mg"] in [e["loc"] for e in response.json()["detail"]]


def test_whitespace_trimmed_and_control_characters_removed() -> None:
    story = Story.model_validate(
        {
            "prepared_by": "patient",
            "patient": {"name": "  Jo\x00 Bloggs\x1b  "},
            "experience": "line one\r\nline\ttwo\x07",
            "medications": [{"name": " Xanax ", "dose_mg": 1, "times_per_day": 1, "taking_since": " 2020 "}],
        }
    )
    assert story.patient.name == "Jo Bloggs"
    assert story.experience == "line one\nline\ttwo"
    assert story.medications[0].name == "Xanax"
    assert story.medications[0].taking_since == "2020"


def test_blank_optional_answers_mean_not_given() -> None:
    story = Story.model_validate(
        {
            "prepared_by": "patient",
            "why_now": "   ",
            "patient": {"name": ""},
            "medications": [{"name": "Xanax", "dose_mg": 1, "times_per_day": 1, "taking_since": "2020-4"}],
        }
    )
    assert story.why_now is None and story.patient.name is None
    assert story.medications[0].taking_since == "2020-04"


def test_this_month_is_not_the_future() -> None:
    Story.model_validate(
        {
            "prepared_by": "patient",
            "medications": [{"name": "x", "dose_mg": 1, "times_per_day": 1, "taking_since": THIS_MONTH}],
        }
    )


def test_months_taking() -> None:
    assert months_taking("2020", dt.date(2021, 3, 5)) == 14
    assert months_taking("2021-03", dt.date(2021, 3, 5)) == 0


def test_doses_at_times_of_day_add_up_to_the_daily_total() -> None:
    med = {
        "name": "Ativan",
        "doses": [{"time": "morning", "mg": 0.5}, {"time": "bedtime", "mg": 1}],
        "taking_since": "2019-04",
    }
    story = Story.model_validate({"prepared_by": "patient", "medications": [med]})
    assert story.medications[0].daily_mg == 1.5


def test_agreed_plan_round_trips_through_json_with_its_from_key() -> None:
    body = {
        "prepared_by": "patient",
        "medications": [{"name": "Ativan", "dose_mg": 1, "times_per_day": 2, "taking_since": "2019"}],
        "agreed": {"decision": "reduce", "steps": [{"medication": 1, "daily_mg": 1.75, "from": "2027-01-03"}]},
        "progress": [_ROW],
    }
    dumped = Story.model_validate(body).model_dump(mode="json")
    assert dumped["agreed"]["steps"][0]["from"] == "2027-01-03"
    assert Story.model_validate(dumped) == Story.model_validate(body)
