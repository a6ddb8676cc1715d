"""Body caps answered 413 before parsing (declared or streamed), slow bodies 408, field caps 422, over a real socket."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator

import httpx2
import pytest
import uvicorn
from starlette.types import Receive, Scope, Send

from app.settings import Settings
from app.web.middleware.body_limit import BodyLimit, body_limit, size_words
from app.web.middleware.refusals import GO_BACK
from tests.helpers import LiveServer, free_port, load_story

SMALL = Settings(max_json_bytes=8 * 1024, max_upload_bytes=16 * 1024)


@pytest.fixture(scope="module")
def small_server() -> Iterator[LiveServer]:
    with LiveServer(SMALL) as server:
        yield server


def test_caps_by_content_type() -> None:
    assert body_limit("application/json", 10, 100) == 10
    assert body_limit("text/plain", 10, 100) == 10
    assert body_limit("", 10, 100) == 10
    assert body_limit("multipart/form-data; boundary=x", 10, 100) == 110
    assert body_limit("Application/X-WWW-Form-Urlencoded", 10, 100) == 110
    assert size_words(256 * 1024) == "256 KB" and size_words(2 * 1024 * 1024) == "2 MB"


def _big_story(size: int) -> bytes:
    story = load_story("minimal")
    story["experience"] = "x" * 100
    body = json.dumps(story).encode()
    return body[:-1] + b" " * (size - len(body)) + b"}"


def test_json_over_the_cap_with_content_length_gets_413(small_server: LiveServer) -> None:
    response = httpx2.post(
        f"{small_server.url}/api/v1/packets",
        content=_big_story(9 * 1024),
        headers={"content-type": "application/json"},
        timeout=30,
    )
    assert response.status_code == 413
    assert response.json() == {
        "detail": "What you sent is larger than taperprep accepts (8 KB). "
        "Shorten the longest answers, or attach a smaller file, and send it again."
    }


def test_chunked_json_without_content_length_is_counted_and_refused(small_server: LiveServer) -> None:
    body = _big_story(64 * 1024)

    def chunks() -> Iterator[bytes]:
        for start in range(0, len(body), 1000):
            yield body[start : start + 1000]

    response = httpx2.post(
        f"{small_server.url}/api/v1/packets", content=chunks(), headers={"content-type": "application/json"}, timeout=30
    )
    assert "content-length" not in response.request.headers
    assert response.status_code == 413
    assert "larger than taperprep accepts (8 KB)" in response.json()["detail"]


def test_a_story_under_the_cap_still_passes(small_server: LiveServer) -> None:
    response = httpx2.post(
        f"{small_server.url}/api/v1/packets?format=html",
        content=_big_story(7 * 1024),
        headers={"content-type": "application/json"},
        timeout=60,
    )
    assert response.status_code == 200, response.text


def test_a_form_over_the_cap_gets_a_page_saying_the_answers_are_still_in_the_form(small_server: LiveServer) -> None:
    response = httpx2.post(
        f"{small_server.url}/prepare",
        data={"form": "story", "experience": "x" * 30_000},
        headers={"accept": "text/html"},
        timeout=30,
    )
    assert response.status_code == 413
    assert response.headers["content-type"].startswith("text/html")
    assert "Your answers are too long to send" in response.text
    assert "(24 KB)" in response.text and GO_BACK in response.text.replace("&#x27;", "'")
    assert "x" * 100 not in response.text


def test_the_refusal_page_speaks_the_language_the_browser_asks_for(small_server: LiveServer) -> None:
    """The body (where the form says its language) is never read, so the browser's Accept-Language decides."""
    response = httpx2.post(
        f"{small_server.url}/prepare",
        data={"form": "story", "options-language": "es", "experience": "x" * 30_000},
        headers={"accept": "text/html", "accept-language": "es-MX,es;q=0.9"},
        timeout=30,
    )
    assert response.status_code == 413 and '<html lang="es">' in response.text
    assert "Sus respuestas son demasiado largas para enviarlas" in response.text and "(24 KB)" in response.text
    assert "Sus respuestas siguen en el formulario" in response.text and "Ir a la página de inicio" in response.text
    api = httpx2.post(
        f"{small_server.url}/api/v1/packets",
        content=_big_story(30 * 1024),
        headers={"content-type": "application/json", "accept-language": "es"},
        timeout=30,
    )
    assert api.status_code == 413 and api.json()["detail"].startswith("What you sent is larger than taperprep")


def test_a_field_over_its_own_cap_gets_422_naming_the_field(small_server: LiveServer) -> None:
    story = load_story("minimal")
    story["experience"] = "x" * 4001
    response = httpx2.post(f"{small_server.url}/api/v1/packets", json=story, timeout=30)
    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert error["loc"] == ["body", "experience"] and error["type"] == "string_too_long"


async def _echo(_: Scope, receive: Receive, send: Send) -> None:
    """A stand-in downstream app: the middleware, not this, is under test."""
    body = (await receive())["body"]
    await send({"type": "http.response.start", "status": 200, "headers": [(b"content-length", b"6")]})
    await send({"type": "http.response.body", "body": f"got {len(body)}".encode()})


@pytest.fixture(scope="module")
def impatient() -> Iterator[int]:
    """uvicorn serving BodyLimit with a short body deadline."""
    port = free_port()
    app = BodyLimit(_echo, max_json_bytes=1000, max_upload_bytes=1000, body_timeout_seconds=0.5)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        thread.join(0.05)
    yield port
    server.should_exit = True
    thread.join(10)


def _raw(port: int, request: bytes) -> bytes:
    """Sends raw bytes and reads until the server closes (requests ask it to)."""
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        sock.sendall(request)
        reply = b""
        while chunk := sock.recv(65536):
            reply += chunk
        return reply


def test_a_body_that_trickles_in_too_slowly_gets_408_and_the_connection_closed(impatient: int) -> None:
    reply = _raw(
        impatient,
        b'POST /api/v1/x HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"a":',
    )
    assert reply.startswith(b"HTTP/1.1 408 ")
    assert b"connection: close" in reply.lower()
    assert b"took too long to arrive" in reply


def test_the_whole_body_reaches_the_app_once(impatient: int) -> None:
    reply = _raw(
        impatient, b"POST /api/v1/x HTTP/1.1\r\nHost: t\r\nConnection: close\r\nContent-Length: 10\r\n\r\n0123456789"
    )
    assert reply.startswith(b"HTTP/1.1 200 ") and reply.endswith(b"\r\n\r\ngot 10")


def test_a_declared_length_over_the_cap_is_refused_unread(impatient: int) -> None:
    reply = _raw(impatient, b"POST /api/v1/x HTTP/1.1\r\nHost: t\r\nContent-Length: 999999\r\n\r\n")
    assert reply.startswith(b"HTTP/1.1 413 ")
