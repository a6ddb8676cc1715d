"""Medicines as people take them: each bad dose form is a 422 naming its field (API); the same generic twice is
refused by the API and the form alike; the form asks doses per time of day and as-needed days a week, and keeps them."""

from __future__ import annotations

import html
import json
import re
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from app.story import Dose, DoseTime, Story
from app.web.answer_rows import for_story
from app.web.form import DOSE_TIMES, parse_fields, story_to_state, to_submission
from app.web.form_errors import field_errors
from app.web.form_steps import CHECK, Answers, pack, unpack
from tests.helpers import load_story
from tests.web.test_form_steps import post, post_and_follow
from tests.web.test_pages import hidden_story, post_form, story_items

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


# ---- The form: doses at different times of day, and as-needed with days a week ----

ROW = [("meds-0-name", "alprazolam"), ("meds-0-taking_since", "Apr 2019")]
SPLIT = [("meds-0-split", "yes"), ("meds-0-dose_morning", "0.5 mg"), ("meds-0-dose_bedtime", "1")]
ONE_DOSE = [("meds-0-dose_mg", "½"), ("meds-0-times_per_day", "3")]
AS_NEEDED = [("meds-0-as_needed", "yes"), ("meds-0-days_per_week", "about 3")]
WHO = [("prepared_by", "patient"), ("options-sections", "prescriber")]


def _medication(items: list[tuple[str, str]]) -> dict[str, Any]:
    submission = to_submission(for_story(parse_fields([*WHO, *items])))
    (medication,) = submission.data["medications"]
    return medication


def _field_errors(items: list[tuple[str, str]]) -> list[tuple[str, str]]:
    submission = to_submission(for_story(parse_fields([*WHO, *items])))
    with pytest.raises(ValidationError) as caught:
        Story.model_validate(submission.data)
    return [(e.field, e.message) for e in field_errors(caught.value, submission)]


def test_the_form_asks_every_time_of_day_the_contract_knows() -> None:
    assert list(DOSE_TIMES) == list(DoseTime)


def test_ticked_the_story_gets_the_times_filled_in_and_not_one_dose() -> None:
    medication = _medication([*ROW, *ONE_DOSE, *SPLIT])
    assert medication["doses"] == [{"time": "morning", "mg": "0.5"}, {"time": "bedtime", "mg": "1"}]
    assert "dose_mg" not in medication and "times_per_day" not in medication
    story = Story.model_validate({**load_story("minimal"), "medications": [medication]})
    assert story.medications[0].daily_mg == 1.5


def test_unticked_the_story_gets_one_dose_and_the_times_stay_in_the_form() -> None:
    items = [*ROW, *ONE_DOSE, *SPLIT[1:]]
    medication = _medication(items)
    assert (medication["dose_mg"], medication["times_per_day"]) == ("0.5", "3") and "doses" not in medication
    assert parse_fields(items).meds[0]["dose_bedtime"] == "1", "kept for when the box is ticked again"


def test_days_a_week_only_with_as_needed_and_kept_without() -> None:
    assert _medication([*ROW, *ONE_DOSE, *AS_NEEDED])["days_per_week"] == "3"
    without = [*ROW, *ONE_DOSE, AS_NEEDED[1]]
    assert "days_per_week" not in _medication(without) and parse_fields(without).meds[0]["days_per_week"]


@pytest.mark.parametrize(
    ("typed", "read"),
    [("½", "0.5"), ("500 mcg", "0.5"), ("0,25", "0.25"), ("1/2", "0.5"), ("2mg", "2")],
)
def test_each_time_of_day_is_read_like_one_dose(typed: str, read: str) -> None:
    medication = _medication([*ROW, ("meds-0-split", "yes"), ("meds-0-dose_evening", typed)])
    assert medication["doses"] == [{"time": "evening", "mg": read}]


def test_a_split_story_comes_back_as_the_same_form() -> None:
    doses = [{"time": "morning", "mg": 0.5}, {"time": "bedtime", "mg": 1}]
    medication = {"name": "alprazolam", "doses": doses, "as_needed": True, "days_per_week": 3, **_SINCE}
    story = Story.model_validate(_story(medication, {"name": "Ambien", "dose_mg": 5, "times_per_day": 1, **_SINCE}))
    state = story_to_state(story)
    assert state.meds[0] == {
        "name": "alprazolam",
        "split": "yes",
        "dose_morning": "0.5",
        "dose_bedtime": "1",
        "as_needed": "yes",
        "days_per_week": "3",
        "taking_since": "2019",
    }
    assert Story.model_validate(to_submission(for_story(state)).data) == story
    carried = unpack(pack(Answers(state, 1)))  # the ?a= token of every page
    assert carried is not None and carried.state.meds == state.meds


def test_two_doses_at_one_time_come_back_added_together() -> None:
    doses = [{"time": "morning", "mg": 0.25}, {"time": "morning", "mg": 0.5}, {"time": "other", "mg": 1}]
    story = Story.model_validate(_story({"name": "alprazolam", "doses": doses, **_SINCE}))
    row = story_to_state(story).meds[0]
    assert (row["dose_morning"], row["dose_other"]) == ("0.75", "1")


@pytest.mark.parametrize(
    ("items", "expected"),
    [
        (
            [("meds-0-split", "yes")],
            [("meds-0-dose_morning", "Enter the amount for at least one time of day")],
        ),
        (
            [("meds-0-split", "yes"), ("meds-0-dose_midday", "half"), ("meds-0-dose_bedtime", "0")],
            [
                ("meds-0-dose_midday", "Enter the midday dose as a number, for example 0.5 mg, ½ or 500 mcg"),
                ("meds-0-dose_bedtime", "The bedtime dose must be more than 0 mg"),
            ],
        ),
        (
            [*ONE_DOSE, ("meds-0-as_needed", "yes"), ("meds-0-days_per_week", "9")],
            [("meds-0-days_per_week", "The number of days a week must be 7 or less")],
        ),
        (
            [*ONE_DOSE, ("meds-0-as_needed", "yes"), ("meds-0-days_per_week", "most")],
            [
                (
                    "meds-0-days_per_week",
                    "Enter how many days a week it is usually taken as a number, for example 3",
                )
            ],
        ),
        ([], [("meds-0-dose_mg", "Enter the dose, for example 0.5 mg, ½ or 500 mcg")]),
    ],
    ids=["empty-split", "bad-times", "8-days", "unreadable-days", "no-dose"],
)
def test_errors_land_beside_the_right_box(items: list[tuple[str, str]], expected: list[tuple[str, str]]) -> None:
    found = _field_errors([*ROW, *items])
    assert [e for e in found if e[0] != "meds-0-times_per_day"] == expected


def test_check_your_answers_reads_the_times_and_the_days_back(client: TestClient) -> None:
    items = [*WHO, *ROW, *SPLIT, *AS_NEEDED, ("meds-1-name", "Ambien"), *_row1(ONE_DOSE), *_row1(ROW[1:])]
    text = html.unescape(post_and_follow(client, items, "goto-check", "about"))
    assert "alprazolam: Morning 0.5 mg, bedtime 1 mg, as needed, about 3 days a week, since 2019-04" in text
    assert "Ambien: 0.5 mg, 3 times a day, since 2019-04" in text


def _row1(items: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return [(name.replace("meds-0-", "meds-1-"), value) for name, value in items]


def test_an_error_page_keeps_every_box_and_links_each_error_to_its_box(client: TestClient) -> None:
    items = [*WHO, *ROW, *ONE_DOSE, ("meds-0-split", "yes"), ("meds-0-dose_bedtime", "lots"), AS_NEEDED[1]]
    status, location = post(client, items, "next", "medicines")
    assert status == 303 and "check=1" in location
    for _ in range(2):  # and again, as on Reload
        page = client.get(location)
        assert page.status_code == 422
        text = page.text
        assert re.findall(r'<li><a href="#([^"]+)">', text) == ["meds-0-dose_bedtime"]
        assert 'id="meds-0-dose_bedtime-error"' in text and 'value="lots"' in text
        assert re.search(
            r'id="meds-0-split" name="meds-0-split" type="checkbox" value="yes" data-split-doses checked', text
        )
        for hidden in (
            'name="meds-0-dose_mg" type="text" value="½"',
            'name="meds-0-days_per_week" type="text" value="about 3"',
        ):
            assert hidden in text, "a box hidden by a switch keeps what was typed"


def test_a_half_done_save_reopens_with_the_hidden_boxes_too(client: TestClient) -> None:
    items = [*WHO, ROW[0], *ONE_DOSE, *SPLIT[:2], AS_NEEDED[1]]  # no start date yet
    saved = post_form(client, items, "save", step="medicines")
    assert json.loads(saved.content)["format"] == "taperprep-unfinished-answers"
    opened = client.post("/prepare", data={"action": "open"}, files={"saved_file": ("a.json", saved.content, "x")})
    assert opened.url.path == "/prepare/about"
    page = client.get(str(opened.url).replace("/prepare/about", "/prepare/medicines")).text
    for name, value in [*ONE_DOSE, *SPLIT[:2], AS_NEEDED[1]]:
        assert (
            f'name="{name}" type="{"checkbox" if value == "yes" else "text"}" value="{html.escape(value)}"' in page
        ), name


def test_a_split_story_makes_a_taper_that_names_the_times(client: TestClient) -> None:
    choices = [("options-country", "GB"), ("goals-outcome", "stop"), ("goals-pace", "as_guidelines")]
    items = [*WHO, *ROW, *SPLIT, *choices, ("options-include_taper_draft", "yes")]  # UK tablets make the steps
    preview = post_form(client, items, "check", step=CHECK)
    assert preview.url.path == "/prepare/preview", re.findall(r'<li><a href="#[^"]+">[^<]+', preview.text)
    story = Story.model_validate_json(hidden_story(preview.text))
    assert story.medications[0].doses == [Dose(time=DoseTime.morning, mg=0.5), Dose(time=DoseTime.bedtime, mg=1)]
    packet = html.unescape(preview.text)
    assert "Morning:" in packet and "Bedtime:" in packet


def test_a_finished_answers_file_reopens_to_the_same_medicine_boxes(client: TestClient) -> None:
    items = [*WHO, *ROW, *SPLIT, ("meds-0-as_needed", "yes"), ("meds-0-days_per_week", "5")]
    saved = post_form(client, items, "save", step="medicines")
    medication = json.loads(saved.content)["medications"][0]
    assert medication["doses"] == [{"time": "morning", "mg": 0.5}, {"time": "bedtime", "mg": 1.0}]
    assert medication["days_per_week"] == 5 and "dose_mg" not in medication
    opened = client.post("/prepare", data={"action": "open"}, files={"saved_file": ("a.json", saved.content, "x")})
    page = client.get(str(opened.url).replace("/prepare/about", "/prepare/medicines")).text
    for name, value in (("dose_morning", "0.5"), ("dose_bedtime", "1"), ("days_per_week", "5")):
        assert f'name="meds-0-{name}" type="text" value="{value}"' in page, name
    for switch in ("split", "as_needed"):
        assert re.search(rf'name="meds-0-{switch}" type="checkbox" value="yes" data-[a-z-]+ checked', page), switch


_MG = st.integers(min_value=1, max_value=10_000_000).map(lambda n: n / 10_000)  # to 0.0001 mg


@st.composite
def _medications(draw: st.DrawFn) -> dict[str, Any]:
    """Any medicine the contract takes, with each time of day at most once, in the day's order."""
    medication: dict[str, Any] = {"name": "alprazolam", **_SINCE}
    if draw(st.booleans()):
        times = draw(st.lists(st.sampled_from(list(DoseTime)), min_size=1, unique=True))
        medication["doses"] = [{"time": t, "mg": draw(_MG)} for t in DoseTime if t in times]
    else:
        medication["dose_mg"] = draw(_MG)
        medication["times_per_day"] = draw(st.integers(min_value=1, max_value=1200)) / 100
    if draw(st.booleans()):
        medication["as_needed"] = True
        medication["days_per_week"] = draw(st.none() | st.integers(min_value=0, max_value=700).map(lambda n: n / 100))
    return medication


@settings(max_examples=200, deadline=None, database=None, derandomize=True)
@given(_medications())
def test_any_medicine_the_contract_takes_comes_back_from_the_form_unchanged(medication: dict[str, Any]) -> None:
    story = Story.model_validate(_story(medication))
    state = story_to_state(story)
    carried = unpack(pack(Answers(state, 1)))
    assert carried is not None
    assert Story.model_validate(to_submission(for_story(carried.state)).data) == story
