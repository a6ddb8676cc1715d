"""Medicines as people take them, at the edges: each bad dose form is a 422 naming its field (API), and the same
generic twice is refused by the API and the form alike, naming medications[i].name."""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.helpers import load_story
from tests.web.test_pages import post_form, story_items

_SINCE = {"taking_since": "2019"}


def _story(*medications: dict[str, Any]) -> dict[str, Any]:
    return {**load_story("minimal"), "medications": list(medications)}


@pytest.mark.parametrize(
    ("medication", "loc"),
    [
        (
            {"name": "Xanax", "doses": [{"time": "morning", "mg": 0.5}], "dose_mg": 0.5, "times_per_day": 1},
            ["body", "medications", 0, "dose_mg"],
        ),
        ({"name": "Xanax"}, ["body", "medications", 0, "dose_mg"]),
        ({"name": "Xanax", "doses": []}, ["body", "medications", 0, "doses"]),
        ({"name": "Xanax", "doses": [{"time": "morning", "mg": -1}]}, ["body", "medications", 0, "doses", 0, "mg"]),
        ({"name": "Xanax", "doses": [{"time": "morning", "mg": 0}]}, ["body", "medications", 0, "doses", 0, "mg"]),
        ({"name": "Xanax", "dose_mg": 0, "times_per_day": 1}, ["body", "medications", 0, "dose_mg"]),
        ({"name": "Xanax", "doses": [{"time": "teatime", "mg": 1}]}, ["body", "medications", 0, "doses", 0, "time"]),
        (
            {"name": "Xanax", "dose_mg": 1, "times_per_day": 1, "as_needed": True, "days_per_week": 8},
            ["body", "medications", 0, "days_per_week"],
        ),
    ],
    ids=["both-forms", "neither", "empty-doses", "negative-mg", "zero-mg", "zero-dose_mg", "unknown-time", "8-days"],
)
def test_each_bad_dose_form_is_a_422_naming_the_field(
    client: TestClient, medication: dict[str, Any], loc: list[Any]
) -> None:
    answer = client.post("/api/v1/packets", json=_story({**medication, **_SINCE}))
    assert answer.status_code == 422
    assert loc in [e["loc"] for e in answer.json()["detail"]]


def test_the_same_generic_twice_is_a_422_on_the_second(client: TestClient) -> None:
    story = _story(
        {"name": "Xanax", "dose_mg": 0.5, "times_per_day": 1, **_SINCE},
        {"name": "Ambien", "dose_mg": 5, "times_per_day": 1, **_SINCE},
        {"name": "alprazolam 1mg", "dose_mg": 1, "times_per_day": 1, **_SINCE},
    )
    answer = client.post("/api/v1/packets", json=story)
    assert answer.status_code == 422
    (error,) = answer.json()["detail"]
    assert error["loc"] == ["body", "medications", 2, "name"] and error["type"] == "duplicate_generic"
    assert error["msg"].startswith("This is alprazolam again (medicine 1)")


def test_morning_and_bedtime_doses_make_one_daily_total(client: TestClient) -> None:
    doses = [{"time": "morning", "mg": 0.5}, {"time": "bedtime", "mg": 1}]
    answer = client.post("/api/v1/packets?format=html", json=_story({"name": "lorazepam", "doses": doses, **_SINCE}))
    assert answer.status_code == 200
    assert "1.5 mg a day" in answer.text


def test_the_form_answers_a_duplicate_like_any_other_error(client: TestClient) -> None:
    items = story_items("minimal")
    name = next(v for k, v in items if k == "meds-0-name")
    extra = [(k.replace("meds-0-", "meds-1-"), v) for k, v in items if k.startswith("meds-0-")]
    form = post_form(client, [*items, *extra])
    assert form.status_code == 422, name
    assert re.findall(r'<li><a href="#([^"]+)">', form.text) == ["meds-1-name"]
    assert "This medicine is already listed" in form.text
