"""Shared fixtures: clean settings, WeasyPrint logs asserted empty, the real app (with its lifespan), live uvicorn."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from app.library.check import load_checked
from app.library.packs import PackLibrary
from app.main import create_app
from app.settings import Settings
from tests.helpers import LiveServer


@pytest.fixture(autouse=True)
def clean_environ(monkeypatch: pytest.MonkeyPatch) -> None:
    """Settings come only from what a test sets."""
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
def library(app_settings: Settings) -> PackLibrary:
    """The shipped packs, loaded and checked once per session."""
    return load_checked(app_settings.pack_folders())


@pytest.fixture(scope="session")
def client(app_settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(app_settings)) as test_client:
        yield test_client


@pytest.fixture(scope="session")
def live_server(app_settings: Settings) -> Iterator[LiveServer]:
    with LiveServer(app_settings) as server:
        yield server
