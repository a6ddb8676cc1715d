"""app/web/form_steps.py and app/web/steps.py: six short steps, every POST answered by a redirect to a GET page."""

from __future__ import annotations

import html
import json
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from fastapi.testclient import TestClient

from app.story import Story
from app.web.form import LISTS, MED_FIELDS, SCALARS, parse_fields, story_to_state
from app.web.form_steps import CHECK, STEPS, Answers, pack, state_items, step_of, unpack
from tests.helpers import STORY_NAMES, load_story
from tests.web.test_pages import NO_FILE, story_items

STEP_SLUGS = [step.slug for step in STEPS]


def post(client: TestClient, items: list[tuple[str, str]], action: str, step: str) -> tuple[int, str]:
    """One form POST, not followed: (status, Location)."""
    body: dict[str, list[str]] = {}
    for name, value in [("form", "story"), *items, ("action", action), ("step", step)]:
        body.setdefault(name, []).append(value)
    answer = client.post("/prepare", data=body, files=NO_FILE, follow_redirects=False)
    return answer.status_code, answer.headers.get("location", "")


def test_every_form_field_belongs_to_one_step() -> None:
    for name in (*SCALARS, *LISTS, *(f"meds-0-{f}" for f in MED_FIELDS), "attempts-3-when", "appointment-date-text"):
        assert step_of(name) in STEPS


@pytest.mark.parametrize("name", STORY_NAMES)
def test_the_token_carries_every_answer(name: str) -> None:
    state = story_to_state(Story.model_validate(load_story(name)))
    answers = unpack(pack(Answers(state, 1234)))
    assert answers is not None and answers.revision == 1234
    assert sorted(state_items(answers.state)) == sorted(state_items(state))
    assert parse_fields(state_items(state)) == parse_fields(state_items(answers.state))


@pytest.mark.parametrize("token", ["", "!!", "abc", "eJzLSM3JyVcozy_KSQEAGgQEXQ", "A" * 30_000])
def test_a_damaged_token_is_none(token: str) -> None:
    assert unpack(token) is None


@pytest.mark.parametrize(
    "action",
    [
        "next",
        "back",
        "add-medication",
        "remove-medication-1",
        "add-attempt",
        "goto-goals",
        "goto-check",
        "check",
        "open",
    ],
)
def test_every_button_answers_with_a_redirect_to_a_get_page(client: TestClient, action: str) -> None:
    status, location = post(client, story_items("patient_one_drug"), action, "medicines")
    assert status == 303 and location.startswith("/prepare/")
    page = client.get(location)
    assert page.status_code in {200, 422} and page.headers["cache-control"] == "no-store"


def test_continue_walks_the_steps_then_check_then_preview(client: TestClient) -> None:
    items = story_items("caregiver_older_adult")
    seen = []
    for slug in STEP_SLUGS:
        status, location = post(client, items, "next", slug)
        assert status == 303
        seen.append(urlsplit(location).path)
    assert seen == [*(f"/prepare/{s}" for s in STEP_SLUGS[1:]), "/prepare/check"]
    answers = unpack(parse_qs(urlsplit(location).query)["a"][0])
    assert answers is not None and sorted(state_items(answers.state)) == sorted(
        (k, v) for k, v in items if v and k != "form"
    )
    check = client.get(location)
    assert "Rosa Ruiz" in check.text and check.text.count(">Change<") >= 20
    status, preview = post(client, items, "check", CHECK)
    assert urlsplit(preview).path == "/prepare/preview"
    assert "srcdoc=" in client.get(preview).text


def test_an_error_is_a_get_page_that_can_be_reloaded(client: TestClient) -> None:
    items = [
        ("meds-0-name", "Xanax"),
        ("meds-0-dose_mg", "half a milligram"),
        ("meds-0-times_per_day", "3"),
        ("meds-0-taking_since", "2020"),
    ]
    status, location = post(client, items, "next", "medicines")
    assert status == 303 and "check=1" in location
    for _ in range(2):
        page = client.get(location)
        assert page.status_code == 422 and 'value="half a milligram"' in page.text and "There is a problem" in page.text


def test_a_change_link_comes_back_to_check_your_answers(client: TestClient) -> None:
    check = post_and_follow(client, story_items("patient_one_drug"), "goto-check", "about")
    link = re.search(r'href="(/prepare/medicines\?a=[^"]+&amp;return=check#meds-0-name)"', check)
    assert link, "a Change link to the medicine's name"
    page = client.get(link[1].replace("&amp;", "&").split("#")[0]).text
    assert 'name="return" value="check"' in page and "Back to check your answers" in page
    _, location = post(client, [*story_items("patient_one_drug"), ("return", "check")], "next", "medicines")
    assert urlsplit(location).path == "/prepare/check"


def post_and_follow(client: TestClient, items: list[tuple[str, str]], action: str, step: str) -> str:
    _, location = post(client, items, action, step)
    return client.get(location).text


def test_check_your_answers_shows_what_was_read(client: TestClient) -> None:
    items = [
        ("prepared_by", "patient"),
        ("options-country", "GB"),
        ("appointment-date-text", "14/1/2027"),
        ("meds-0-name", "Xanax"),
        ("meds-0-dose_mg", "½"),
        ("meds-0-times_per_day", "3"),
        ("meds-0-taking_since", "Apr 2019"),
    ]
    text = post_and_follow(client, items, "goto-check", "about")
    assert "Xanax: 0.5 mg, 3 times a day, since 2019-04" in text and "2027-01-14" in text


def test_save_works_on_a_half_done_form_and_reopens_to_it(client: TestClient) -> None:
    half = [("prepared_by", "patient"), ("meds-0-name", "Xanax"), ("why_now", "A fall")]
    body: dict[str, list[str]] = {"form": ["story"], "action": ["save"], "step": ["goals"]}
    for name, value in half:
        body[name] = [value]
    saved = client.post("/prepare", data=body, files=NO_FILE)
    assert saved.status_code == 200 and "attachment" in saved.headers["content-disposition"]
    assert json.loads(saved.content)["format"] == "taperprep-unfinished-answers"
    opened = client.post("/prepare", data={"action": "open"}, files={"saved_file": ("a.json", saved.content, "x")})
    assert opened.url.path == "/prepare/about" and "We opened your saved answers" in opened.text
    assert 'name="why_now" value="A fall"' in opened.text and 'name="meds-0-name" value="Xanax"' in opened.text


def test_medicine_names_are_questioned_on_their_step(client: TestClient) -> None:
    items = [
        ("meds-0-name", "alprazolm"),
        ("meds-0-dose_mg", "0.5 mg"),
        ("meds-0-times_per_day", "3"),
        ("meds-0-taking_since", "2020"),
        ("meds-1-name", "sertraline"),
        ("meds-1-dose_mg", "50"),
        ("meds-1-times_per_day", "1"),
        ("meds-1-taking_since", "2021"),
    ]
    text = html.unescape(post_and_follow(client, items, "next", "medicines"))
    assert "Did you mean alprazolam?" in text and "We don't know ‘sertraline’" in text
    assert 'id="meds-0-keep_name"' in text
    kept = [*items, ("meds-0-keep_name", "yes"), ("meds-1-keep_name", "yes")]
    _, location = post(client, kept, "next", "medicines")
    assert urlsplit(location).path == "/prepare/attempts"


@pytest.mark.parametrize("caregiver", [False, True])
def test_no_step_asks_many_questions_and_none_is_answered_for_you(client: TestClient, caregiver: bool) -> None:
    start = client.get("/prepare?for=caregiver" if caregiver else "/prepare")
    items = [("prepared_by", "caregiver" if caregiver else "patient")]
    for slug in STEP_SLUGS:
        page = start.text if slug == "about" else post_and_follow(client, items, f"goto-{slug}", "about")
        form = page.split("data-carried>")[1].split("</form>")[0]
        form = re.sub(r"<template.*?</template>", "", form, flags=re.S)
        questions = set(re.findall(r'<(?:input|select|textarea)\b(?![^>]*type="hidden")[^>]*\sname="([^"]+)"', form))
        assert len(questions - {"saved_file"}) <= 15, (slug, sorted(questions))
        checked = re.findall(r'<input[^>]*name="([^"]+)"[^>]*type="radio"[^>]*checked', form)
        assert checked == (["prepared_by"] if slug == "about" else []), slug
