"""app/web/pages.py via the real app: pages, errors keeping every value, preview, PDF/JSON out, saved answers in."""

from __future__ import annotations

import datetime as dt
import html
import io
import json
import logging
import re
import time
import uuid
from typing import Any

import httpx2
import pytest
from fastapi.testclient import TestClient
from pypdf import PdfReader

from app.story import Story
from app.web.api import packet_filename
from app.web.form import FormState, story_to_state
from app.web.form_steps import CHECK, STEPS
from tests.helpers import STORY_NAMES, LiveServer, assert_no_trace, load_story, pdf_pages, same_story

NO_FILE = {"saved_file": ("", b"", "application/octet-stream")}
STEP_SLUGS = [*(step.slug for step in STEPS), CHECK]


def state_items(state: FormState) -> list[tuple[str, str]]:
    """What a browser posts for a filled form (checked boxes only, rows by index)."""
    items = [("form", "story"), *state.values.items()]
    items += [(name, value) for name, chosen in state.lists.items() for value in chosen]
    rows_of = {"meds": state.meds, "attempts": state.attempts, "plan": state.plan, "progress": state.progress}
    for kind, rows in rows_of.items():
        items += [(f"{kind}-{i}-{k}", v) for i, row in enumerate(rows) for k, v in row.items()]
    return items


def post_form(
    client: TestClient,
    items: list[tuple[str, str]],
    action: str = "check",
    files: dict[str, Any] | None = None,
    step: str = "about",
) -> httpx2.Response:
    """Multipart, like the real form (it carries the "Open saved answers" file box); redirects are followed."""
    body: dict[str, list[str]] = {}
    for name, value in [*items, ("action", action), ("step", step)]:
        body.setdefault(name, []).append(value)
    return client.post("/prepare", data=body, files=files or NO_FILE)


def hidden_story(page: str) -> str:
    match = re.search(r'name="story" value="([^"]*)"', page)
    assert match, "the preview carries the story in a hidden field"
    return html.unescape(match[1])


def story_items(name: str) -> list[tuple[str, str]]:
    return state_items(story_to_state(Story.model_validate(load_story(name))))


def test_start_page_explains_and_starts(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200
    text = page.text
    for words in (
        "Nothing you type is stored on our server",
        "not medical advice",
        'href="/prepare"',
        'href="/prepare?for=caregiver"',
        "about 15 minutes",
        "Open saved answers",
    ):
        assert words in text
    assert "default-src 'self'" in page.headers["content-security-policy"]
    assert "<script>" not in text and "style=" not in text


def test_static_files_are_served(client: TestClient) -> None:
    assert "contentWindow.print()" in client.get("/static/web.js").text
    assert "@media print" in client.get("/static/web.css").text


def test_empty_form_for_a_caregiver(client: TestClient) -> None:
    page = client.get("/prepare?for=caregiver").text
    assert re.search(r'value="caregiver"\s+checked', page)
    assert 'class="story-form voice-caregiver"' in page
    assert 'data-revision="0"' in page
    assert "Who is the person you help, to you?" in page


@pytest.mark.parametrize("name", STORY_NAMES)
def test_every_example_story_goes_through_the_form_to_a_preview(client: TestClient, name: str) -> None:
    page = post_form(client, story_items(name))
    assert page.status_code == 200, re.findall(r'<li><a href="#[^"]+">[^<]+', page.text)
    assert page.headers["cache-control"] == "no-store"
    story = json.loads(hidden_story(page.text))
    assert same_story(Story.model_validate(story), Story.model_validate(load_story(name)))
    assert "srcdoc=" in page.text


def test_preview_offers_the_pre_visit_message_as_copyable_text(client: TestClient) -> None:
    page = post_form(client, story_items("patient_one_drug")).text
    box = re.search(r'<textarea class="textarea" id="previsit-text"[^>]*readonly[^>]*>(.*?)</textarea>', page, re.S)
    assert box, "no copyable pre-visit message"
    message = html.unescape(box.group(1))
    assert message.startswith("Subject: ") and "Dr. Okafor" in message and "Xanax" in message
    assert 'data-copy="previsit-text"' in page


def test_errors_come_back_with_summary_messages_and_every_value(client: TestClient) -> None:
    typed = [
        ("form", "story"),
        ("prepared_by", "caregiver"),
        ("caregiver-name", "Ana <b>Ruiz</b>"),
        ("meds-0-name", "Xanax"),
        ("meds-0-dose_mg", "half a pill"),
        ("meds-0-times_per_day", "2"),
        ("meds-0-taking_since", "2019"),
        ("meds-1-name", "Ambien"),
        ("experience", "Foggy & tired\nmost days"),
        ("symptoms", "falls"),
        ("options-sections", "prescriber"),
        ("goals-outcome", "reduce"),
    ]
    page = post_form(client, typed, "next", step="medicines")
    assert page.status_code == 422 and page.url.path == "/prepare/medicines"
    text = page.text
    assert "<title>Error:" in text and "There is a problem" in text
    summary = re.findall(r'<li><a href="#([^"]+)">([^<]+)</a></li>', text)
    assert ("meds-0-dose_mg", "Enter the dose as a number, for example 0.5 mg, ½ or 500 mcg") in summary
    assert ("meds-1-dose_mg", "Enter the dose, for example 0.5 mg, ½ or 500 mcg") in summary
    assert not any(field.startswith("caregiver") for field, _ in summary), "only this step's questions"
    assert 'id="meds-0-dose_mg-error"' in text
    assert 'value="half a pill"' in text and 'value="Ambien"' in text
    assert 'value="Ana &lt;b&gt;Ruiz&lt;/b&gt;"' in text  # carried to the next step unseen
    assert 'name="experience" value="Foggy &amp; tired\nmost days"' in text
    assert 'name="symptoms" value="falls"' in text and 'name="goals-outcome" value="reduce"' in text
    first = post_form(client, typed)
    assert first.url.path == "/prepare/about" and first.status_code == 422
    assert ("caregiver-relationship", "Enter who the person you help is to you, for example mother") in re.findall(
        r'<li><a href="#([^"]+)">([^<]+)</a></li>', first.text
    )


def test_form_and_api_share_one_set_of_rules(client: TestClient) -> None:
    story = load_story("minimal")
    story["medications"][0]["dose_mg"] = 0
    api = client.post("/api/v1/packets", json=story)
    assert api.status_code == 422
    assert [e["loc"] for e in api.json()["detail"]] == [["body", "medications", 0, "dose_mg"]]
    items = [(k, "0" if k == "meds-0-dose_mg" else v) for k, v in story_items("minimal")]
    form = post_form(client, items, "next", step="medicines")
    assert form.status_code == 422
    assert re.findall(r'<li><a href="#([^"]+)">', form.text) == ["meds-0-dose_mg"]


def test_add_and_remove_rows_without_javascript_keep_values(client: TestClient) -> None:
    items = [*story_items("patient_one_drug"), ("why_now", "My new job")]
    added = post_form(client, items, "add-medication", step="medicines")
    assert added.status_code == 200
    assert added.text.count('data-row="meds"') == 3  # two rows and the script's template
    assert 'id="meds-1-name"' in added.text and 'name="why_now" value="My new job"' in added.text
    removed = post_form(client, [*items, ("meds-1-name", "Ativan")], "remove-medication-1", step="medicines")
    assert 'value="Ativan"' in removed.text and 'id="meds-1-name"' not in removed.text
    attempt = post_form(client, items, "add-attempt", step="attempts")
    assert 'id="attempts-0-when"' in attempt.text or 'id="attempts-1-when"' in attempt.text


def test_preview_actions_download_change_and_save(client: TestClient) -> None:
    preview = post_form(client, story_items("caregiver_older_adult"))
    story = hidden_story(preview.text)
    pdf = client.post("/packet", data={"story": story, "action": "download"})
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.headers["content-disposition"] == f'attachment; filename="{packet_filename()}"'
    assert pdf.headers["cache-control"] == "no-store"
    assert "My mother" in " ".join(pdf_pages(pdf.content))
    embedded = PdfReader(io.BytesIO(pdf.content)).attachments["story.json"][0]
    assert json.loads(embedded) == json.loads(story)
    change = client.post("/packet", data={"story": story, "action": "change"})
    assert change.status_code == 200 and change.url.path == "/prepare/check" and "Rosa Ruiz" in change.text
    saved = client.post("/packet", data={"story": story, "action": "save"})
    assert saved.headers["content-type"] == "application/json"
    assert re.fullmatch(
        r'attachment; filename="taperprep-answers-\d{4}-\d\d-\d\d\.json"', saved.headers["content-disposition"]
    )
    assert Story.model_validate_json(saved.content) == Story.model_validate_json(story)


def test_preview_offers_two_downloads_with_their_page_counts(client: TestClient) -> None:
    preview = post_form(client, story_items("caregiver_older_adult"))
    counts = dict(re.findall(r'value="download-(\w+)">[^<]*? — (\d+) pages', preview.text))
    assert set(counts) == {"prescriber", "personal"}
    assert "For my prescriber — " in preview.text and "For us — " in preview.text
    story = hidden_story(preview.text)
    for copy, stem in (("prescriber", "taperprep-for-the-prescriber"), ("personal", "taperprep-for-me")):
        pdf = client.post("/packet", data={"story": story, "action": f"download-{copy}"})
        assert pdf.headers["content-disposition"] == f'attachment; filename="{stem}-{dt.date.today().isoformat()}.pdf"'
        pages = pdf_pages(pdf.content)
        assert len(pages) == int(counts[copy])
        assert all(("not for handing over" in page) is (copy == "personal") for page in pages)
        assert "story.json" in PdfReader(io.BytesIO(pdf.content)).attachments


def test_save_from_the_form_gives_the_v1_json(client: TestClient) -> None:
    saved = post_form(client, story_items("cold_turkey_seizure"), "save")
    assert saved.status_code == 200 and saved.headers["cache-control"] == "no-store"
    assert Story.model_validate_json(saved.content) == Story.model_validate(load_story("cold_turkey_seizure"))


def test_tampered_story_from_the_preview_is_refused_kindly(client: TestClient) -> None:
    page = client.post("/packet", data={"story": '{"prepared_by": "nobody"}', "action": "download"})
    assert page.status_code == 422 and "We could not read your answers" in page.text


@pytest.mark.parametrize("kind", ["json", "pdf"])
def test_open_saved_answers_restores_the_form(client: TestClient, kind: str) -> None:
    story = load_story("caregiver_older_adult")
    body = json.dumps(story).encode() if kind == "json" else client.post("/api/v1/packets", json=story).content
    page = post_form(client, [], "open", files={"saved_file": (f"answers.{kind}", body, "application/octet-stream")})
    assert page.status_code == 200
    assert "We opened your saved answers" in page.text
    assert 'value="Rosa Ruiz"' in page.text and 'value="Ativan"' in page.text and 'value="Ambien"' in page.text


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"\x89PNG\r\n\x1a\nnot ours", "This file is not a taperprep answers file"),
        (b"%PDF-1.7\n%broken", "This file is not a taperprep answers file"),
        (b'{"prepared_by": "patient", "medications": []}', "could not be opened as taperprep answers"),
        (b"", "Choose a file to open"),
        (b"{" + b" " * (2 * 1024 * 1024) + b"}", "The file is bigger than 2 MB"),
    ],
)
def test_a_wrong_file_leaves_the_form_untouched(client: TestClient, body: bytes, message: str) -> None:
    current = [*story_items("minimal"), ("why_now", "Keep me")]
    page = post_form(client, current, "open", files={"saved_file": ("x.bin", body, "application/octet-stream")})
    assert page.status_code == 422
    assert message in page.text and 'href="#saved_file"' in page.text
    assert 'name="why_now" value="Keep me"' in page.text


@pytest.mark.parametrize(
    "form",
    [
        {"data": {}},
        {"data": {"form": "story", "meds-99-name": "x", "meds-0-dose_mg": "1e309", "options-taper_medication": "x"}},
        {"data": {"form": "story", "action": "remove-medication-0"}},
        {"data": {"form": "story", "patient-age": "-1", "appointment-date-year": "banana"}},
        {"data": {"form": "story", "experience": "x" * (1024 * 1024 + 10)}, "files": NO_FILE},
    ],
)
def test_odd_posts_never_give_a_server_error(client: TestClient, form: dict[str, Any]) -> None:
    response = client.post("/prepare", **form)
    assert response.status_code < 500
    assert "text/html" in response.headers["content-type"]
    assert client.post("/packet", data={}).status_code == 422


def test_pages_have_no_inline_script_or_style(client: TestClient) -> None:
    filled = post_form(client, story_items("minimal"))
    steps = [client.get(filled.url.copy_with(path=f"/prepare/{slug}")).text for slug in STEP_SLUGS]
    pages = [
        client.get("/").text,
        client.get("/prepare").text,
        filled.text,
        *steps,
        post_form(client, [("form", "story")]).text,
    ]
    for page in pages:
        assert "style=" not in page.split("srcdoc=")[0]
        assert not re.search(r"<script(?![^>]*\bsrc=)", page)
        assert not re.search(r"\son[a-z]+=", page)


def test_markers_from_the_form_reach_no_log_and_no_file(
    live_server: LiveServer, caplog: pytest.LogCaptureFixture
) -> None:
    """The backbone's privacy check, over the form routes: a marker in every text box, then searched for."""
    marker = f"zq{uuid.uuid4().hex[:12]}"
    items = [
        (k, f"{marker} {v}" if k in {"experience", "why_now", "patient-name", "meds-0-prescribed_for"} else v)
        for k, v in story_items("patient_one_drug")
    ]
    started = time.time() - 1
    caplog.set_level(logging.DEBUG)
    with httpx2.Client(base_url=live_server.url, timeout=60, follow_redirects=True) as http:
        files = [(k, (None, v)) for k, v in items] + [("action", (None, "check"))]
        preview = http.post("/prepare", files=files)
        assert preview.status_code == 200 and marker in preview.text
        story = hidden_story(preview.text)
        assert http.post("/packet", data={"story": story, "action": "download"}).status_code == 200
        bad = [(k, (None, marker if k == "meds-0-dose_mg" else v)) for k, v in items] + [("action", (None, "check"))]
        assert http.post("/prepare", files=bad).status_code == 422
        opened = http.post("/prepare", files={"saved_file": ("a.json", story.encode()), "action": (None, "open")})
        assert marker in opened.text
    assert caplog.records
    assert_no_trace(marker, caplog.records, started)
