"""The form's "Since your last visit" step: the agreed plan typed in or read from a taperprep PDF, each step taken."""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from fastapi.testclient import TestClient

from app.story import Story
from app.web.answer_rows import for_story
from app.web.form import story_to_state, to_submission
from app.web.form_steps import unpack
from app.web.pages import _validate
from tests.helpers import load_story
from tests.web.test_agreed_fields import AGREED, FILLED, fill
from tests.web.test_form_steps import post, post_and_follow
from tests.web.test_pages import story_items


def _story_at(location: str) -> Story | None:
    """The Story the answers in a step page's address make (what the preview would show)."""
    answers = unpack(parse_qs(urlsplit(location).query)["a"][0])
    assert answers is not None
    story, errors = _validate(for_story(answers.state))
    assert not errors, errors
    return story


def _first_visit() -> list[tuple[str, str]]:
    return [(name, value) for name, value in story_items("patient_one_drug") if name != "form"]


@pytest.fixture(scope="module")
def blank_pdf(client: TestClient) -> bytes:
    return client.post("/api/v1/packets", json=load_story("patient_one_drug")).content


def test_a_filled_pdf_opened_on_this_step_becomes_the_agreed_plan(client: TestClient, blank_pdf: bytes) -> None:
    items = [("form", "story"), ("action", "open"), ("step", "visit")]
    body: dict[str, list[str]] = {}
    for name, value in items:
        body.setdefault(name, []).append(value)
    files = {"saved_file": ("packet.pdf", fill(blank_pdf, FILLED), "application/pdf")}
    answer = client.post("/prepare", data=body, files=files, follow_redirects=False)
    assert answer.status_code == 303
    location = answer.headers["location"]
    assert urlsplit(location).path == "/prepare/visit"
    story = _story_at(location)
    assert story is not None and story.agreed is not None
    assert story.agreed.model_dump(mode="json", exclude_none=True, by_alias=True) == AGREED
    page = client.get(location).text
    assert "We opened your saved answers" in page
    for shown in ("clinic nurse line 555-0100", 'value="1.25"', 'value="yes" checked'):
        assert shown in page


def test_typed_plan_and_steps_are_read_as_people_write_them(client: TestClient) -> None:
    items = [
        *_first_visit(),
        ("options-country", "GB"),
        ("visit-follow_up", "yes"),
        ("agreed-date", "3/10/2026"),
        ("agreed-decision", "reduce"),
        ("plan-0-daily_mg", "1.5 mg"),
        ("plan-0-from", "1 November 2026"),
        ("progress-0-date", "12/11/2026"),
        ("progress-0-daily_mg", "1¾"),
        ("progress-0-how_it_went", "4"),
        ("progress-0-note", "slept badly"),
    ]
    status, location = post(client, items, "next", "visit")
    assert status == 303 and urlsplit(location).path == "/prepare/print"
    story = _story_at(location)
    assert story is not None and story.agreed is not None
    assert story.agreed.date == dt.date(2026, 10, 3) and story.agreed.decision == "reduce"
    assert [(s.medication, s.daily_mg, s.from_) for s in story.agreed.steps] == [(1, 1.5, dt.date(2026, 11, 1))]
    assert [(r.date, r.daily_mg, r.how_it_went, r.note) for r in story.progress] == [
        (dt.date(2026, 11, 12), 1.75, 4, "slept badly")
    ]
    check = post_and_follow(client, items, "goto-check", "visit")
    assert "Since your last visit" in check and "Step taken 1" in check and "1.75 mg a day of medicine 1" in check


def test_a_first_visit_sends_no_plan_even_with_rows_typed(client: TestClient) -> None:
    items = [*_first_visit(), ("progress-0-date", "2026-11-12"), ("progress-0-daily_mg", "1")]
    _, location = post(client, items, "next", "visit")
    story = _story_at(location)
    assert story is not None and story.agreed is None and story.progress == []


def test_a_row_added_and_left_empty_is_not_an_answer(client: TestClient) -> None:
    items = [*_first_visit(), ("visit-follow_up", "yes"), ("progress-0-medication", "1"), ("plan-0-medication", "1")]
    status, location = post(client, items, "next", "visit")
    assert status == 303 and urlsplit(location).path == "/prepare/print"


def test_bad_steps_get_errors_beside_their_fields_and_every_value_is_kept(client: TestClient) -> None:
    tomorrow = (dt.date.today() + dt.timedelta(days=1)).isoformat()
    items = [
        *_first_visit(),
        ("visit-follow_up", "yes"),
        ("progress-0-date", tomorrow),
        ("progress-0-daily_mg", "0"),
        ("progress-0-how_it_went", "11"),
        ("progress-1-date", "2026-11-01"),
        ("progress-1-daily_mg", "1"),
        ("progress-1-note", "my own words"),
    ]
    status, location = post(client, items, "next", "visit")
    assert status == 303 and "check=1" in location and urlsplit(location).path == "/prepare/visit"
    page = client.get(location)
    assert page.status_code == 422 and "There is a problem" in page.text
    text = page.text
    for field, message in (
        ("progress-0-date", "The date cannot be in the future"),
        ("progress-0-daily_mg", "The daily dose taken must be more than 0 mg"),
        ("progress-0-how_it_went", "How it went must be 10 or less"),
    ):
        assert f'href="#{field}"' in text, field
        assert re.search(rf'id="{field}-error">.*?{re.escape(message)}', text, re.S), (field, message)
    for typed in (f'value="{tomorrow}"', 'value="11"', "my own words"):
        assert typed in text


def test_a_medicine_not_listed_is_named_on_its_row(client: TestClient) -> None:
    items = [
        *_first_visit(),
        ("visit-follow_up", "yes"),
        ("progress-0-date", "2026-11-01"),
        ("progress-0-daily_mg", "1"),
        ("progress-0-medication", "3"),
    ]
    _, location = post(client, items, "next", "visit")
    page = client.get(location).text
    assert 'href="#progress-0-medication"' in page and "Choose one of the medicines you listed" in page


def test_rows_are_added_and_removed_without_javascript(client: TestClient) -> None:
    items = [*_first_visit(), ("visit-follow_up", "yes"), ("progress-0-date", "2026-11-01")]
    added = post_and_follow(client, items, "add-progress-step", "visit")
    assert 'name="progress-1-date"' in added and 'value="2026-11-01"' in added
    assert 'name="plan-0-daily_mg"' not in added.split("<template")[0]
    plan = post_and_follow(client, items, "add-plan-step", "visit")
    assert 'name="plan-0-daily_mg"' in plan.split('id="plan-template"')[0]
    removed = post_and_follow(client, items, "remove-progress-step-1", "visit")
    assert 'value="2026-11-01"' not in removed


def test_a_saved_follow_up_story_reopens_into_the_step_and_back() -> None:
    story = Story.model_validate(load_story("follow_up"))
    state = story_to_state(story)
    assert state.value("visit-follow_up") == "yes" and len(state.progress) == len(story.progress)
    again = Story.model_validate(to_submission(for_story(state)).data)
    assert again.agreed == story.agreed and again.progress == story.progress
