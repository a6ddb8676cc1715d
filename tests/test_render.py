"""User text stays text: escaped in HTML and PDF, and never makes the renderer fetch anything."""

from __future__ import annotations

import copy
import io
import socket
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pikepdf
import pytest
from fastapi.testclient import TestClient

from app.fetcher import AssetFetcher, RefusedURL
from app.settings import ROOT
from conftest import load_story, pdf_pages


class Listener:
    """A real socket on 127.0.0.1 that counts every connection made to it."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except TimeoutError:
                continue
            self.connections += 1
            conn.close()

    def close(self) -> None:
        self._stop.set()
        self._thread.join()
        self.sock.close()


@pytest.fixture
def listener() -> Iterator[Listener]:
    server = Listener()
    yield server
    server.close()


def _every_text_field(story: dict[str, Any], value: str) -> dict[str, Any]:
    story = copy.deepcopy(story)
    story["patient"]["name"] = value[:100]
    story["reason_prescribed"] = value
    story["experience"] = value
    story["why_now"] = value
    story["symptoms"] = [value[:80]]
    story["medications"][0]["prescribed_for"] = value[:200]
    story["medications"].append({"name": value[:80], "dose_mg": 1, "times_per_day": 1, "taking_since": "2020"})
    story["past_attempts"][0].update(description=value, outcome=value, when=value[:60])
    story["goals"]["requests"] = [value[:300]]
    story["goals"]["notes"] = value
    story["appointment"] = {"prescriber_name": value[:100], "clinic": value[:120]}
    return story


def test_markup_in_every_field_is_shown_as_text(client: TestClient) -> None:
    value = "<script>alert(1)</script><b>bold</b>"
    story = _every_text_field(load_story("patient_one_drug"), value)
    html = client.post("/api/v1/packets?format=html", json=story).text
    assert "<script>" not in html and "<b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&lt;b&gt;bold&lt;/b&gt;" in html
    pdf = client.post("/api/v1/packets", json=story).content
    assert value in " ".join(pdf_pages(pdf))


ATTACKS = [
    "http://127.0.0.1:{port}/plain",
    "<img src=\"http://127.0.0.1:{port}/img\" alt=x>",
    "<link rel=\"attachment\" href=\"file:///etc/passwd\">",
    "<a rel=\"attachment\" href=\"file:///etc/hostname\">x</a>",
    "<style>@import url(http://127.0.0.1:{port}/import.css);</style>",
    "<div style=\"background: url('http://127.0.0.1:{port}/bg')\">x</div>",
    "url(file:///etc/passwd) url(http://127.0.0.1:{port}/css)",
    "<svg><image href=\"http://127.0.0.1:{port}/svg\"/></svg>",
    "<iframe src=\"data:text/html,<img src=http://127.0.0.1:{port}/data>\"></iframe>",
    "javascript:fetch('http://127.0.0.1:{port}/js')",
]


@pytest.mark.parametrize("attack", ATTACKS)
def test_no_fetch_and_no_file_content_from_user_text(client: TestClient, listener: Listener, attack: str) -> None:
    value = attack.format(port=listener.port)
    pdf = client.post("/api/v1/packets", json=_every_text_field(load_story("patient_one_drug"), value)).content
    assert listener.connections == 0
    with pikepdf.open(io.BytesIO(pdf)) as document:
        assert set(document.attachments) == {"story.json"}
        streams = b"".join(obj.read_bytes() for obj in document.objects if isinstance(obj, pikepdf.Stream))
    hostname = Path("/etc/hostname").read_bytes().strip()
    assert b"root:x:0:0" not in streams and (not hostname or hostname not in streams.replace(b"\\", b""))
    assert value in " ".join(pdf_pages(pdf))


@pytest.mark.parametrize("url", [
    "http://127.0.0.1:1/x",
    "https://example.org/font.ttf",
    "data:text/css,body{}",
    "file:///etc/passwd",
    (ROOT / "templates/assets/fonts/../../../pyproject.toml").as_uri(),
    (ROOT / "templates/assets/missing.ttf").as_uri(),
])
def test_fetcher_refuses_everything_but_the_assets(url: str) -> None:
    with pytest.raises(RefusedURL):
        AssetFetcher(ROOT / "templates/assets").fetch(url)


def test_fetcher_serves_a_bundled_font() -> None:
    response = AssetFetcher(ROOT / "templates/assets").fetch((ROOT / "templates/assets/fonts/NotoSans-Regular.ttf").as_uri())
    assert response is not None


def test_every_font_in_the_pdf_is_bundled(client: TestClient) -> None:
    pdf = client.post("/api/v1/packets", json=load_story("caregiver_older_adult")).content
    with pikepdf.open(io.BytesIO(pdf)) as document:
        fonts = {str(font.get("/BaseFont")) for page in document.pages
                 for font in page.Resources.get("/Font", {}).values()}
    assert fonts and all(f.split("+")[-1].startswith("Noto-Sans") for f in fonts), fonts


def test_packet_is_a_tagged_pdf_with_language_and_title(client: TestClient) -> None:
    pdf = client.post("/api/v1/packets", json=load_story("patient_one_drug")).content
    with pikepdf.open(io.BytesIO(pdf)) as document:
        assert "/StructTreeRoot" in document.Root
        assert bool(document.Root.MarkInfo.Marked)
        assert str(document.Root.Lang) == "en"
        assert str(document.docinfo["/Title"]) == "Tapering conversation — Jordan Avery"
