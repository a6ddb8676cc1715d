"""User text stays text: escaped in HTML and PDF, and never makes the renderer fetch anything."""

from __future__ import annotations

import io
import shutil
import socket
import tempfile
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path

import pikepdf
import pytest
from fastapi.testclient import TestClient

from app.render.fetcher import AssetFetcher, RefusedURL
from app.settings import ROOT
from tests.helpers import every_text_field, load_story, pdf_pages


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


def test_markup_in_every_field_is_shown_as_text(client: TestClient) -> None:
    value = "<script>alert(1)</script><b>bold</b>"
    story = every_text_field(load_story("patient_one_drug"), value)
    html = client.post("/api/v1/packets?format=html", json=story).text
    assert "<script>" not in html and "<b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&lt;b&gt;bold&lt;/b&gt;" in html
    pdf = client.post("/api/v1/packets", json=story).content
    assert value in " ".join(pdf_pages(pdf))


ATTACKS = [
    "http://127.0.0.1:{port}/plain",
    '<img src="http://127.0.0.1:{port}/img" alt=x>',
    '<link rel="attachment" href="file:///etc/passwd">',
    '<a rel="attachment" href="file:///etc/hostname">x</a>',
    "<style>@import url(http://127.0.0.1:{port}/import.css);</style>",
    "<div style=\"background: url('http://127.0.0.1:{port}/bg')\">x</div>",
    "url(file:///etc/passwd) url(http://127.0.0.1:{port}/css)",
    '<svg><image href="http://127.0.0.1:{port}/svg"/></svg>',
    '<iframe src="data:text/html,<img src=http://127.0.0.1:{port}/data>"></iframe>',
    "javascript:fetch('http://127.0.0.1:{port}/js')",
    # ---- issue 8: more vectors; {secret} is a file holding a unique marker that must never reach the PDF ----
    'file://{secret} <link rel="attachment" href="file://{secret}"><a rel="attachment" href="{secret}">x</a>',
    "@import 'http://127.0.0.1:{port}/bare-import.css'; @import url(file://{secret}); "
    "<style>body{{background:url(http://127.0.0.1:{port}/style)}} @font-face{{src:url(file://{secret})}}</style>",
    '</p></div></section><img src="http://127.0.0.1:{port}/breakout"><p> "><img src=http://127.0.0.1:{port}/attr x=" '
    '<object data="http://127.0.0.1:{port}/object"></object><embed src="file://{secret}">',
    '<base href="http://127.0.0.1:{port}/"><img src="relative"><img srcset="http://127.0.0.1:{port}/srcset 1x"> '
    '<meta http-equiv="refresh" content="0;url=http://127.0.0.1:{port}/meta">//127.0.0.1:{port}/protocol-relative',
    "<img src=\"data:image/svg+xml,<svg xmlns='http://www.w3.org/2000/svg'>"
    "<image href='http://127.0.0.1:{port}/nested'/></svg>\"> "
    "data:text/html;base64,PGltZyBzcmM9aHR0cDovLzEyNy4wLjAuMTo5L3g+ javascript:alert(document.cookie)",
]


@pytest.fixture
def secret_file() -> Iterator[tuple[Path, bytes]]:
    """A short path, so the attack text stays on one line of the PDF and can be found in its text."""
    marker = f"secret-{uuid.uuid4().hex}".encode()
    folder = Path(tempfile.mkdtemp(prefix="tp"))
    path = folder / "s"
    path.write_bytes(marker)
    yield path, marker
    shutil.rmtree(folder)


def _text_streams(document: pikepdf.Pdf) -> bytes:
    """Every stream but the embedded font programs, whose binary data can hold any short byte string by chance."""
    fonts: set[tuple[int, int]] = set()
    for obj in document.objects:
        if isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == "/FontDescriptor":
            fonts |= {obj[key].objgen for key in ("/FontFile", "/FontFile2", "/FontFile3", "/CIDSet") if key in obj}
        if (
            isinstance(obj, pikepdf.Dictionary)
            and "/CIDToGIDMap" in obj
            and isinstance(obj.CIDToGIDMap, pikepdf.Stream)
        ):
            fonts.add(obj.CIDToGIDMap.objgen)
    return b"".join(
        obj.read_bytes() for obj in document.objects if isinstance(obj, pikepdf.Stream) and obj.objgen not in fonts
    )


@pytest.mark.parametrize("attack", ATTACKS)
def test_no_fetch_and_no_file_content_from_user_text(
    client: TestClient, listener: Listener, attack: str, secret_file: tuple[Path, bytes]
) -> None:
    value = attack.format(port=listener.port, secret=secret_file[0])
    pdf = client.post("/api/v1/packets", json=every_text_field(load_story("patient_one_drug"), value)).content
    assert listener.connections == 0
    with pikepdf.open(io.BytesIO(pdf)) as document:
        assert set(document.attachments) == {"story.json"}
        streams = _text_streams(document)
    # A short hostname ("vm") turns up in compressed bytes by chance; the unique secret file covers any file read.
    hostname = Path("/etc/hostname").read_bytes().strip()
    assert b"root:x:0:0" not in streams and (len(hostname) < 8 or hostname not in streams.replace(b"\\", b""))
    assert secret_file[1] not in pdf and secret_file[1] not in streams
    assert "".join(value.split()) in "".join("".join(pdf_pages(pdf)).split())  # shown as text, wherever lines wrap


@pytest.mark.parametrize(
    "value",
    [
        "http://127.0.0.1:{port}/" + "w" * 960,
        "url(http://127.0.0.1:{port}/) " + "long-line " * 96,
        "\u0627" * 330 + "e\u0301" * 160 + "\U0001f600" * 330,
    ],
)
def test_very_long_words_and_lines_render_without_fetching(client: TestClient, listener: Listener, value: str) -> None:
    """A 1000-character word (the longest most fields take) breaks anywhere instead of running off the page."""
    story = every_text_field(load_story("patient_one_drug"), value.format(port=listener.port))
    response = client.post("/api/v1/packets", json=story)
    assert response.status_code == 200
    assert listener.connections == 0
    with pikepdf.open(io.BytesIO(response.content)) as document:
        assert len(document.pages) < 60


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:1/x",
        "https://example.org/font.ttf",
        "data:text/css,body{}",
        "file:///etc/passwd",
        (ROOT / "templates/assets/fonts/../../../pyproject.toml").as_uri(),
        (ROOT / "templates/assets/missing.ttf").as_uri(),
    ],
)
def test_fetcher_refuses_everything_but_the_assets(url: str) -> None:
    with pytest.raises(RefusedURL):
        AssetFetcher(ROOT / "templates/assets").fetch(url)


def test_fetcher_serves_a_bundled_font() -> None:
    response = AssetFetcher(ROOT / "templates/assets").fetch(
        (ROOT / "templates/assets/fonts/NotoSans-Regular.ttf").as_uri()
    )
    assert response is not None


def test_every_font_in_the_pdf_is_bundled(client: TestClient) -> None:
    pdf = client.post("/api/v1/packets", json=load_story("caregiver_older_adult")).content
    with pikepdf.open(io.BytesIO(pdf)) as document:
        fonts = {
            str(font.get("/BaseFont")) for page in document.pages for font in page.Resources.get("/Font", {}).values()
        }
    assert fonts and all(f.split("+")[-1].startswith("Noto-Sans") for f in fonts), fonts


def test_packet_is_a_tagged_pdf_with_language_and_title(client: TestClient) -> None:
    pdf = client.post("/api/v1/packets", json=load_story("patient_one_drug")).content
    with pikepdf.open(io.BytesIO(pdf)) as document:
        assert "/StructTreeRoot" in document.Root
        assert bool(document.Root.MarkInfo.Marked)
        assert str(document.Root.Lang) == "en"
        assert str(document.docinfo["/Title"]) == "Tapering conversation — Jordan Avery"
