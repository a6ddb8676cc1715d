"""Protective headers on every kind of answer, no cookies, /docs without third parties, failures that leak nothing."""

from __future__ import annotations

import logging
import re
import shutil
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from app.main import create_app
from app.settings import Settings
from app.web.middleware.security_headers import CSP
from tests.helpers import LiveServer, load_story

STRICT = {
    "content-security-policy": CSP,
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
}


def test_the_policy_is_the_strict_one() -> None:
    assert CSP == "default-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"


@pytest.mark.parametrize(
    ("method", "path", "body", "status"),
    [
        ("GET", "/healthz", None, 200),
        ("POST", "/api/v1/packets", "patient_one_drug", 200),
        ("POST", "/api/v1/packets?format=html", "minimal", 200),
        ("POST", "/api/v1/packets", "{}", 422),
        ("GET", "/api/v1/packs", None, 200),
        ("GET", "/docs", None, 200),
        ("GET", "/openapi.json", None, 200),
        ("GET", "/nowhere", None, 404),
        ("GET", "/", None, 200),
    ],
)
def test_every_answer_carries_the_headers_and_no_cookie(
    client: TestClient, method: str, path: str, body: str | None, status: int
) -> None:
    json_body = {} if body == "{}" else load_story(body) if body else None
    response = client.request(method, path, json=json_body)
    assert response.status_code == status
    for name, value in STRICT.items():
        assert response.headers[name] == value
    assert response.headers["cache-control"] == "no-store"
    assert "set-cookie" not in response.headers


def test_our_own_static_files_may_be_cached(client: TestClient) -> None:
    response = client.get("/assets/packet.css")
    assert response.status_code == 200 and "cache-control" not in response.headers
    assert response.headers["x-content-type-options"] == "nosniff"


def test_docs_load_nothing_from_elsewhere_and_run_no_inline_script(client: TestClient) -> None:
    page = client.get("/docs").text
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page)
    assert not re.search(r"<script>(?!</script>)", page) and "<script>" not in page
    for asset in re.findall(r"""(?:src|href)="([^"]+)\"""", page):
        assert client.get(asset).status_code == 200, asset
    assert client.get("/redoc").status_code == 404


@pytest.fixture
def failing_client() -> Iterator[TestClient]:
    """The real app with one extra route that fails the way a bug would, quoting user text in its message."""
    app: FastAPI = create_app(Settings())

    @app.post("/api/v1/explode")
    @app.post("/explode")
    async def explode(story: dict[str, str]) -> None:
        raise RuntimeError(f"could not handle {story['secret']}")

    with TestClient(app) as client:
        yield client


@pytest.mark.parametrize("path", ["/api/v1/explode", "/explode"])
def test_an_unexpected_error_is_generic_with_a_reference_and_logs_nothing_of_the_request(
    failing_client: TestClient, caplog: pytest.LogCaptureFixture, path: str
) -> None:
    caplog.set_level(logging.DEBUG)
    marker = "zq-unexpected-marker"
    response = failing_client.post(path, json={"secret": marker})
    assert response.status_code == 500
    assert marker not in response.text and "Traceback" not in response.text and "RuntimeError" not in response.text
    if path.startswith("/api/"):
        body = response.json()
        assert body["detail"] == "Something went wrong on our side" and set(body) == {"detail", "reference"}
        reference = body["reference"]
    else:
        assert response.headers["content-type"].startswith("text/html")
        reference = re.search(r"Reference: ([0-9a-f]{12})", response.text)[1]
    for name, value in STRICT.items():
        assert response.headers[name] == value
    lines = [r.getMessage() for r in caplog.records]
    assert f"unexpected error reference={reference} POST {path} RuntimeError" in lines
    assert all(marker not in line for line in lines)
    assert all(r.exc_info is None and r.exc_text is None for r in caplog.records)


@pytest.mark.browser
def test_docs_work_in_chromium_under_the_strict_policy(live_server: LiveServer) -> None:
    """Swagger UI draws the API from our own files, with no console error (a CSP refusal is one) and no request
    leaving 127.0.0.1."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=shutil.which("chromium"), args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page()
        problems: list[str] = []
        hosts: set[str] = set()
        page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: problems.append(str(e)))
        page.on("request", lambda r: hosts.add(urlsplit(r.url).netloc))
        page.goto(f"{live_server.url}/docs")
        page.wait_for_selector(".opblock-summary-path", timeout=20_000)
        paths = page.locator(".opblock-summary-path").all_inner_texts()
        browser.close()
    assert any("/api/v1/packets" in path for path in paths), paths
    assert problems == []
    assert hosts <= {f"127.0.0.1:{live_server.port}", ""}, hosts
