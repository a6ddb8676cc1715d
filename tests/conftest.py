"""Shared test fixtures: example stories, the real app (through its lifespan), a live uvicorn, PDF reading."""

from __future__ import annotations

import datetime as dt
import io
import json
import logging
import os
import socket
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from fastapi.testclient import TestClient
from pypdf import PdfReader

from app.main import create_app
from app.settings import Settings

FIXTURES = Path(__file__).parent / "fixtures"
STORY_NAMES = sorted(p.stem for p in FIXTURES.glob("*.json"))


def load_story(name: str) -> dict[str, Any]:
    """A fixture story; "@this-month" stands for the current month, so "just started" stays true."""
    text = (FIXTURES / f"{name}.json").read_text(encoding="utf-8")
    return json.loads(text.replace("@this-month", dt.date.today().strftime("%Y-%m")))


def pdf_pages(pdf: bytes) -> list[str]:
    """Each page's text, with layout whitespace folded so phrases can be matched across line breaks."""
    reader = PdfReader(io.BytesIO(pdf))
    return [" ".join(page.extract_text().split()) for page in reader.pages]


@pytest.fixture(autouse=True)
def clean_environ(monkeypatch: pytest.MonkeyPatch) -> None:
    """Settings come only from what a test sets."""
    import os

    for key in list(os.environ):
        if key.startswith("TAPERPREP_"):
            monkeypatch.delenv(key)


class _Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture(autouse=True)
def assert_no_weasyprint_logs() -> Iterator[_Records]:
    """A refused fetch, a missing glyph or a figure without alt text fails the test that caused it.

    A test that provokes a log on purpose asserts on `.records` and then clears them."""
    logger = logging.getLogger("weasyprint")
    handler = _Records()
    logger.addHandler(handler)
    previous = logger.level
    logger.setLevel(logging.WARNING)
    yield handler
    logger.removeHandler(handler)
    logger.setLevel(previous)
    if handler.records:
        pytest.fail("WeasyPrint logged: " + " | ".join(r.getMessage() for r in handler.records))


@pytest.fixture(scope="session")
def app_settings() -> Settings:
    return Settings()


@pytest.fixture(scope="session")
def client(app_settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(app_settings)) as test_client:
        yield test_client


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class LiveServer:
    """A real uvicorn on 127.0.0.1 in a thread, for tests where the HTTP layer itself matters."""

    def __init__(self, settings: Settings) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(create_app(settings), host="127.0.0.1", port=self.port, log_level="warning",
                                access_log=False, lifespan="on")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> LiveServer:
        self.thread.start()
        deadline = time.monotonic() + 60
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.05)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


@pytest.fixture(scope="session")
def live_server(app_settings: Settings) -> Iterator[LiveServer]:
    with LiveServer(app_settings) as server:
        yield server


def assert_no_trace(marker: str, records: list[logging.LogRecord], since: float) -> None:
    """The marker is in no log record and in no file written since `since` (temp dir and the project tree)."""
    for record in records:
        assert marker not in record.getMessage() and marker not in str(record.args)
    from app.settings import ROOT

    for root in (Path(tempfile.gettempdir()), ROOT):
        for dirpath, dirnames, filenames in os.walk(root):
            dirnames[:] = [d for d in dirnames if d not in {".venv", ".git"}]
            for name in filenames:
                path = Path(dirpath, name)
                try:
                    if path.stat().st_mtime >= since:
                        assert marker.encode() not in path.read_bytes(), path
                except OSError:
                    continue
