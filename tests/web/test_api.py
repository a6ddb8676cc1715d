"""Stories → PDFs through the real HTTP API on a live uvicorn, read back page by page."""

from __future__ import annotations

import datetime as dt
import io
import json
import re

import httpx2
import pytest
from pypdf import PdfReader

from app.packet.tags import story_tags
from app.story import Story
from tests.helpers import STORY_NAMES, LiveServer, load_story, pdf_pages

FDA_QUOTES = (
    "Physical dependence can occur when benzodiazepines are taken steadily for several days to weeks, "
    "even as prescribed.",
    "Stopping them abruptly or reducing the dosage too quickly can result in withdrawal reactions, including seizures, "
    "which can be life-threatening.",
)


@pytest.fixture(scope="module")
def packets(live_server: LiveServer) -> dict[str, bytes]:
    rendered = {}
    for name in STORY_NAMES:
        response = httpx2.post(f"{live_server.url}/api/v1/packets", json=load_story(name), timeout=60)
        assert response.status_code == 200, response.text
        rendered[name] = response.content
    return rendered


def test_the_four_required_example_stories_exist() -> None:
    assert {"patient_one_drug", "caregiver_older_adult", "cold_turkey_seizure", "minimal"} <= set(STORY_NAMES)


def test_pdf_response_headers(live_server: LiveServer) -> None:
    response = httpx2.post(f"{live_server.url}/api/v1/packets", json=load_story("minimal"), timeout=60)
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"] == (
        f'attachment; filename="taperprep-packet-{dt.date.today().isoformat()}.pdf"'
    )
    assert response.headers["cache-control"] == "no-store"
    assert response.content.startswith(b"%PDF-")


@pytest.mark.parametrize("name", STORY_NAMES)
def test_every_packet_carries_the_essentials(packets: dict[str, bytes], name: str) -> None:
    pages = pdf_pages(packets[name])
    text = " ".join(pages)
    story = load_story(name)
    for med in story["medications"]:
        assert med["name"] in pages[0]
        assert f"{med['dose_mg'] * med['times_per_day']:g} mg a day" in pages[0]
    assert "asking for" in pages[0]
    for quote in FDA_QUOTES:
        assert quote in text
    assert re.search(r"Rec\. 6\b.*5–10%.*2–4 weeks|5–10%, usually every 2–4 weeks.{0,80}Rec\. 6\b", text)
    assert "25% every 2 weeks" in text
    anxiety = "anxiety_or_panic" in story_tags(Story.model_validate(story))
    # WHO's anxiety excerpt (booklet only) only when anxiety or panic is the reason (M5)
    assert ("We have not checked this in the WHO guideline" in text) is anxiety
    assert "not medical advice" in text
    booklet = next(i for i, page in enumerate(pages) if "not for handing over" in page)
    for copy in (pages[:booklet], pages[booklet:]):  # each document has its own page numbers
        for number, page in enumerate(copy, start=1):
            assert f"Page {number} of {len(copy)}" in page


def test_patient_voice(packets: dict[str, bytes]) -> None:
    text = " ".join(pdf_pages(packets["patient_one_drug"]))
    assert "What I'm asking for" in text
    assert "In 2022, I came off quickly" in text
    assert "My " not in text.split("For me — not for handing over")[-1][:40]


def test_caregiver_speaks_as_the_caregiver(packets: dict[str, bytes]) -> None:
    text = " ".join(pdf_pages(packets["caregiver_older_adult"]))
    assert "What we're asking for" in text
    assert "Ana Ruiz, caregiver — the patient is their mother" in text
    assert "I'm here to help her talk about Ativan (lorazepam) and Ambien (zolpidem)" in text
    assert "What I'm asking for" not in text


def test_typical_patient_summary_fits_on_page_one(packets: dict[str, bytes]) -> None:
    pages = pdf_pages(packets["patient_one_drug"])
    assert "Why now" in pages[0] and "I want to plan a safe taper while life is calm." in pages[0]
    assert "What the guidelines say" not in pages[0] and "Page 1 of" in pages[0]


def test_story_is_embedded_as_an_attachment(packets: dict[str, bytes]) -> None:
    reader = PdfReader(io.BytesIO(packets["patient_one_drug"]))
    embedded = json.loads(reader.attachments["story.json"][0])
    assert embedded["patient"]["name"] == "Jordan Avery"
    assert embedded["medications"][0]["name"] == "Xanax"


def test_html_preview(live_server: LiveServer) -> None:
    response = httpx2.post(
        f"{live_server.url}/api/v1/packets?format=html", json=load_story("patient_one_drug"), timeout=60
    )
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert response.headers["cache-control"] == "no-store"
    assert "Jordan Avery" in response.text and "/assets/packet.css" in response.text


def test_packs_listing(live_server: LiveServer) -> None:
    packs = httpx2.get(f"{live_server.url}/api/v1/packs", timeout=10).json()
    ids = {p["id"] for p in packs}
    assert {"fda-2020", "asam-2025", "who-2023"} <= ids
    excerpt = packs[0]["excerpts"][0]
    assert {"id", "title", "tags", "locator", "audience", "seen"} <= excerpt.keys()
    who = next(p for p in packs if p["id"] == "who-2023")  # the licence analysis lives here, not in the documents
    assert who["licence_kind"] == "open" and "CC BY-NC-SA 3.0 IGO" in who["licence"] and who["accessed"]


@pytest.mark.parametrize("copy", ["prescriber", "personal"])
def test_copy_query_gives_one_document(live_server: LiveServer, copy: str) -> None:
    response = httpx2.post(f"{live_server.url}/api/v1/packets?copy={copy}", json=load_story("minimal"), timeout=60)
    assert response.status_code == 200 and response.headers["cache-control"] == "no-store"
    stem = {"prescriber": "taperprep-for-the-prescriber", "personal": "taperprep-for-me"}[copy]
    assert response.headers["content-disposition"] == f'attachment; filename="{stem}-{dt.date.today().isoformat()}.pdf"'
    pages = pdf_pages(response.content)
    assert all(("not for handing over" in page) is (copy == "personal") for page in pages)
    assert "story.json" in PdfReader(io.BytesIO(response.content)).attachments


def test_an_unknown_copy_is_a_422_naming_the_parameter(live_server: LiveServer) -> None:
    response = httpx2.post(f"{live_server.url}/api/v1/packets?copy=mine", json=load_story("minimal"), timeout=60)
    assert response.status_code == 422 and response.json()["detail"][0]["loc"] == ["query", "copy"]


def test_openapi_has_a_complete_example(live_server: LiveServer) -> None:
    schema = httpx2.get(f"{live_server.url}/openapi.json", timeout=10).json()
    body = schema["paths"]["/api/v1/packets"]["post"]["requestBody"]["content"]["application/json"]
    example = body["examples"]["patient"]["value"]
    response = httpx2.post(f"{live_server.url}/api/v1/packets", json=example, timeout=60)
    assert response.status_code == 200


def test_healthz(live_server: LiveServer) -> None:
    assert httpx2.get(f"{live_server.url}/healthz", timeout=10).json() == {"status": "ok"}
