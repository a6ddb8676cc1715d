"""A taperprep PDF whose "What we agreed" fields were filled in → its Story's `agreed`, through the API and the form."""

from __future__ import annotations

import io
import json
from html.parser import HTMLParser
from typing import Any

import pikepdf
import pytest
from fastapi.testclient import TestClient

from app.packet.agreed_page import AGREED_FIELDS
from app.web.agreed_fields import filled_fields, with_filled_agreed
from tests.helpers import load_story, pdf_pages

FILLED = {
    "agreed_date": "2026-12-20",
    "agreed_decision": "Reduce slowly",
    "agreed_medicine": "Xanax",
    "agreed_daily_mg": "1.25 mg",
    "agreed_from": "3 January 2027",
    "agreed_check_in": "phone call two weeks after each change",
    "agreed_if_symptoms": "hold at the current dose and call",
    "agreed_contact": "clinic nurse line 555-0100",
    "agreed_next_review": "2027-02-14",
}
AGREED = {
    "date": "2026-12-20",
    "decision": "reduce",
    "steps": [{"medication": 1, "daily_mg": 1.25, "from": "2027-01-03"}],
    "check_in": "phone call two weeks after each change",
    "if_symptoms": "hold at the current dose and call",
    "contact": "clinic nurse line 555-0100",
    "next_review": "2027-02-14",
}


def fill(pdf: bytes, values: dict[str, str]) -> bytes:
    """What a PDF reader does when someone types into the fields and saves."""
    with pikepdf.open(io.BytesIO(pdf)) as document:
        for field in document.Root.AcroForm.Fields:
            if str(field.T) in values:
                field.V = pikepdf.String(values[str(field.T)])
        out = io.BytesIO()
        document.save(out)
    return out.getvalue()


@pytest.fixture(scope="module")
def blank_pdf(client: TestClient) -> bytes:
    """A first-visit packet: the fields are there, empty."""
    return client.post("/api/v1/packets", json=load_story("patient_one_drug")).content


def test_the_packet_has_one_empty_fillable_field_per_agreed_item(blank_pdf: bytes) -> None:
    with pikepdf.open(io.BytesIO(blank_pdf)) as document:
        fields = {str(f.T): f for f in document.Root.AcroForm.Fields}
        assert list(fields) == [f.name for f in AGREED_FIELDS]
        assert all(str(f.FT) == "/Tx" and str(f.V) == "" for f in fields.values())
    page = next(p for p in pdf_pages(blank_pdf) if "What we agreed" in p)
    for field in AGREED_FIELDS:
        assert field.label in page
    assert filled_fields(blank_pdf) == {}


def test_a_packet_made_with_agreed_is_prefilled(client: TestClient) -> None:
    pdf = client.post("/api/v1/packets", json=load_story("patient_one_drug") | {"agreed": AGREED}).content
    assert filled_fields(pdf) == FILLED | {
        "agreed_decision": "reduce",
        "agreed_daily_mg": "1.25",
        "agreed_from": "2027-01-03",
    }


def test_filled_fields_reopen_through_the_api(client: TestClient, blank_pdf: bytes) -> None:
    response = client.post(
        "/api/v1/answers", content=fill(blank_pdf, FILLED), headers={"content-type": "application/pdf"}
    )
    assert response.status_code == 200 and response.headers["cache-control"] == "no-store"
    story = response.json()
    assert story["agreed"] == AGREED
    assert story["patient"]["name"] == "Jordan Avery" and story["medications"][0]["name"] == "Xanax"  # story.json kept


class _FormFields(HTMLParser):
    """What a browser would post from the page's form: inputs with their values, checked boxes, selected options,
    textareas; not the blank row templates (`__i__`), which a browser never posts."""

    def __init__(self) -> None:
        super().__init__()
        self.items: list[tuple[str, str]] = []
        self._textarea: str | None = None
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if "__i__" in a.get("name", ""):
            return
        if tag == "select" and "name" in a:
            self._select = a["name"]
        elif tag == "option" and self._select and "selected" in a:
            self.items.append((self._select, a.get("value", "")))
        elif tag == "input" and "name" in a and a.get("type") not in {"file", "submit"}:
            if a.get("type") in {"checkbox", "radio"} and "checked" not in a:
                return
            self.items.append((a["name"], a.get("value", "")))
        elif tag == "textarea" and "name" in a:
            self._textarea = a["name"]
            self.items.append((a["name"], ""))

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self.items[-1] = (self._textarea, self.items[-1][1] + data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None


def _post(client: TestClient, items: list[tuple[str, str]], action: str, files: dict[str, Any]) -> Any:
    body: dict[str, list[str]] = {}
    for name, value in [*items, ("action", action)]:
        body.setdefault(name, []).append(value)
    return client.post("/prepare", data=body, files=files)


def test_filled_fields_reopen_through_the_form_and_survive_saving(client: TestClient, blank_pdf: bytes) -> None:
    filled = fill(blank_pdf, FILLED)
    page = _post(client, [], "open", {"saved_file": ("packet.pdf", filled, "application/pdf")})
    assert page.status_code == 200 and "We opened your saved answers" in page.text
    form = _FormFields()
    form.feed(page.text)
    saved = _post(client, form.items, "save", {"saved_file": ("", b"", "application/octet-stream")})
    assert saved.status_code == 200 and saved.headers["content-type"] == "application/json"
    assert json.loads(saved.content)["agreed"] == AGREED


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"agreed_decision": "not decided yet"}, {"decision": "undecided"}),
        ({"agreed_decision": "stop, with a slow taper"}, {"decision": "stop"}),
        ({"agreed_decision": "keep the same dose"}, {"decision": "stay"}),
        ({"agreed_decision": "we talked a lot"}, {}),
        ({"agreed_next_review": "Feb 14, 2027"}, {"next_review": "2027-02-14"}),
        ({"agreed_next_review": "soon"}, {}),
        ({"agreed_medicine": "1", "agreed_daily_mg": "1,5"}, {"steps": [{"medication": 1, "daily_mg": 1.5}]}),
        ({"agreed_daily_mg": "about half"}, {}),
        ({"agreed_daily_mg": "1.25 mg a day"}, {"steps": [{"medication": 1, "daily_mg": 1.25}]}),
    ],
)
def test_hand_typed_values_are_read_when_clear_and_left_out_when_not(
    fields: dict[str, str], expected: dict[str, Any], blank_pdf: bytes
) -> None:
    story = with_filled_agreed({"medications": [{"name": "Xanax"}]}, fill(blank_pdf, fields))
    assert story.get("agreed", {}) == expected


def test_filled_values_replace_the_first_step_and_keep_later_ones(blank_pdf: bytes) -> None:
    story = {
        "medications": [{"name": "Xanax"}, {"name": "Ambien"}],
        "agreed": {"steps": [{"medication": 1, "daily_mg": 1.25}, {"medication": 1, "daily_mg": 1}]},
    }
    read = with_filled_agreed(story, fill(blank_pdf, {"agreed_medicine": "ambien", "agreed_daily_mg": "5"}))
    assert read["agreed"]["steps"] == [{"medication": 2, "daily_mg": 5.0}, {"medication": 1, "daily_mg": 1}]


def test_unreadable_bytes_have_no_fields() -> None:
    assert filled_fields(b"%PDF-1.7\n%broken") == {}


@pytest.mark.parametrize("decision", ["undecided", "stop", "reduce", "stay"])
def test_a_spanish_packet_prefilled_with_a_decision_reads_it_back(client: TestClient, decision: str) -> None:
    """The field offers the decision in the packet's words ("seguir con la dosis actual"); read back, it is the same
    decision whichever language printed it."""
    story = load_story("patient_one_drug")
    options = story.get("options", {}) | {"language": "es"}
    story = story | {"agreed": AGREED | {"decision": decision}, "options": options}
    pdf = client.post("/api/v1/packets", json=story).content
    assert filled_fields(pdf)["agreed_decision"] != decision  # printed in Spanish
    assert with_filled_agreed({"medications": [{"name": "Xanax"}]}, pdf)["agreed"]["decision"] == decision
