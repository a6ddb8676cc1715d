"""An agreed plan → text/calendar: only the datable agreed check-ins and the review, read back by icalendar."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from fastapi.testclient import TestClient
from icalendar import Calendar

from app.render.calendar_ics import check_in_dates
from app.story import Agreed
from tests.helpers import load_story


def _events(body: bytes) -> list[tuple[str, dt.date]]:
    calendar = Calendar.from_ical(body)
    return [(str(e["SUMMARY"]), e.decoded("DTSTART")) for e in calendar.walk("VEVENT")]


def test_calendar_holds_the_agreed_check_ins_and_the_review_only(client: TestClient) -> None:
    story = load_story("follow_up")
    story["options"]["include_taper_draft"] = True  # a draft exists, and still none of its steps is an event
    response = client.post("/api/v1/calendar", json=story)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/calendar")
    assert response.headers["cache-control"] == "no-store"
    assert _events(response.content) == [
        ("Taper check-in", dt.date(2026, 10, 29)),  # two weeks after the step of 15 Oct
        ("Taper check-in", dt.date(2026, 11, 26)),  # two weeks after the step of 12 Nov
        ("Taper review with Dr. Lindqvist", dt.date(2027, 1, 14)),
    ]
    calendar = Calendar.from_ical(response.content)
    assert all(e.decoded("DTSTART") + dt.timedelta(days=1) == e.decoded("DTEND") for e in calendar.walk("VEVENT"))
    assert len({str(e["UID"]) for e in calendar.walk("VEVENT")}) == 3


def test_a_check_in_that_cannot_be_dated_is_left_out(client: TestClient) -> None:
    story = load_story("follow_up")
    story["agreed"]["check_in"] = "when I feel I need to"
    assert [s for s, _ in _events(client.post("/api/v1/calendar", json=story).content)] == [
        "Taper review with Dr. Lindqvist"
    ]


def test_no_calendar_without_an_agreed_plan(client: TestClient) -> None:
    story = load_story("follow_up")
    del story["agreed"]
    response = client.post("/api/v1/calendar", json=story)
    assert response.status_code == 422
    assert [e["loc"] for e in response.json()["detail"]] == [["body", "agreed"]]


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("phone call two weeks after each change", [dt.date(2027, 1, 17), dt.date(2027, 2, 14)]),
        ("a visit 10 days after every cut", [dt.date(2027, 1, 13), dt.date(2027, 2, 10)]),
        ("call on 2027-01-20", [dt.date(2027, 1, 20)]),
        ("call me when needed", []),
    ],
)
def test_check_in_words_give_dates(words: str, expected: list[dt.date]) -> None:
    agreed = Agreed.model_validate(
        {
            "check_in": words,
            "steps": [
                {"medication": 1, "daily_mg": 1.5, "from": "2027-01-03"},
                {"medication": 1, "daily_mg": 1, "from": "2027-01-31"},
            ],
        }
    )
    assert check_in_dates(agreed) == expected


_ROW: dict[str, Any] = {"date": "2026-10-15", "medication": 1, "daily_mg": 1.75, "how_it_went": 6}


@pytest.mark.parametrize(
    ("change", "loc"),
    [
        ({"date": (dt.date.today() + dt.timedelta(days=1)).isoformat()}, ["body", "progress", 0, "date"]),
        ({"daily_mg": 0}, ["body", "progress", 0, "daily_mg"]),
        ({"daily_mg": -1}, ["body", "progress", 0, "daily_mg"]),
        ({"medication": 2}, ["body", "progress", 0, "medication"]),
        ({"how_it_went": 11}, ["body", "progress", 0, "how_it_went"]),
    ],
    ids=["future date", "zero dose", "negative dose", "medicine not listed", "how it went 11"],
)
def test_bad_progress_gets_422_naming_the_field(client: TestClient, change: dict[str, Any], loc: list[Any]) -> None:
    story = load_story("follow_up") | {"progress": [_ROW | change]}
    for path in ("/api/v1/calendar", "/api/v1/packets"):
        response = client.post(path, json=story)
        assert response.status_code == 422
        assert loc in [e["loc"] for e in response.json()["detail"]]


def test_more_than_200_progress_rows_get_422(client: TestClient) -> None:
    story = load_story("follow_up") | {"progress": [_ROW] * 201}
    response = client.post("/api/v1/calendar", json=story)
    assert response.status_code == 422 and ["body", "progress"] in [e["loc"] for e in response.json()["detail"]]


def test_an_agreed_step_for_a_medicine_not_listed_gets_422(client: TestClient) -> None:
    story = load_story("follow_up")
    story["agreed"]["steps"][0]["medication"] = 4
    response = client.post("/api/v1/calendar", json=story)
    assert response.status_code == 422
    assert ["body", "agreed", "steps", 0, "medication"] in [e["loc"] for e in response.json()["detail"]]


def test_the_preview_offers_the_calendar_only_with_an_agreed_plan(client: TestClient) -> None:
    story = load_story("follow_up")
    carried = client.post("/packet", data={"story": json.dumps(story), "action": "calendar"})
    assert carried.status_code == 200 and carried.headers["content-type"].startswith("text/calendar")
    assert carried.headers["cache-control"] == "no-store"
    assert [s for s, _ in _events(carried.content)][-1] == "Taper review with Dr. Lindqvist"


def test_dates_at_the_end_of_the_calendar_are_left_out_not_a_500(client: TestClient) -> None:
    story = load_story("follow_up")
    story["agreed"].update(next_review="9999-12-31", steps=[{"medication": 1, "daily_mg": 1.5, "from": "9999-12-30"}])
    response = client.post("/api/v1/calendar", json=story)
    assert response.status_code == 200 and _events(response.content) == []


def test_a_spanish_story_gets_a_spanish_calendar_and_its_check_ins_are_dated(client: TestClient) -> None:
    story = load_story("follow_up")
    story["options"]["language"] = "es"
    story["agreed"]["check_in"] = "una llamada dos semanas después de cada cambio"
    body = client.post("/api/v1/calendar", json=story).content
    assert _events(body) == [
        ("Consulta de seguimiento de la reducción gradual", dt.date(2026, 10, 29)),
        ("Consulta de seguimiento de la reducción gradual", dt.date(2026, 11, 26)),
        ("Revisión de la reducción gradual con Dr. Lindqvist", dt.date(2027, 1, 14)),
    ]
    descriptions = [str(e["DESCRIPTION"]) for e in Calendar.from_ical(body).walk("VEVENT")]
    assert all("Hecho con taperprep. Esto no es consejo médico." in d for d in descriptions)
