"""Test helpers → example stories, PDF text, a live uvicorn, privacy checks; imported by tests, not through conftest."""

from __future__ import annotations

import copy
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
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path
from typing import Any

import uvicorn
from pypdf import PdfReader

from app.library.check import load_checked
from app.library.packs import PackLibrary
from app.main import create_app
from app.packet.build import Packet, build_packet
from app.packet.copies import Copy
from app.render.renderer import Renderer
from app.settings import ROOT, Settings
from app.story import Story

__all__ = [
    "FIXTURES",
    "STORY_NAMES",
    "LaidCopy",
    "LiveServer",
    "assert_no_trace",
    "every_text_field",
    "free_port",
    "laid_copy",
    "load_story",
    "pdf_pages",
    "same_story",
    "shared_library",
    "shared_renderer",
    "story_with",
]

FIXTURES = Path(__file__).parent / "fixtures"
STORY_NAMES = sorted(p.stem for p in FIXTURES.glob("*.json"))
UNICODE_STORIES = sorted(f"unicode/{p.stem}" for p in (FIXTURES / "unicode").glob("*.json"))
ALL_STORIES = [*STORY_NAMES, *UNICODE_STORIES]
"""The example stories and the unicode ones (scripts, marks and emoji in every text field)."""


def load_story(name: str) -> dict[str, Any]:
    """A fixture story; "@this-month" stands for the current month, so "just started" stays true."""
    text = (FIXTURES / f"{name}.json").read_text(encoding="utf-8")
    return json.loads(text.replace("@this-month", dt.date.today().strftime("%Y-%m")))


def pdf_pages(pdf: bytes) -> list[str]:
    """Each page's text, with layout whitespace folded so phrases can be matched across line breaks."""
    reader = PdfReader(io.BytesIO(pdf))
    return [" ".join(page.extract_text().split()) for page in reader.pages]


@cache
def shared_library() -> PackLibrary:
    """The shipped packs, loaded once per test session."""
    return load_checked(Settings().pack_folders())


@cache
def shared_renderer() -> Renderer:
    """One renderer per test session (fonts and CSS built once), as a worker process has."""
    return Renderer(Settings().templates_dir)


def strings_in(value: object) -> Iterator[str]:
    """Every string inside parsed JSON (mapping values and list items, depth first): what a person typed."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from strings_in(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings_in(item)


def story_with(name: str, paper: str = "letter", large_print: bool = False, **options: Any) -> Story:
    """A fixture story (unicode/… too) with its print options set."""
    raw = load_story(name)
    raw.setdefault("options", {}).update(paper=paper, large_print=large_print, **options)
    return Story.model_validate(raw)


@dataclass(frozen=True)
class LaidCopy:
    """One copy of one fixture's packet, laid out for real (page 1 fitted), and its text read back with pypdf."""

    packet: Packet
    document: Any  # weasyprint.document.Document

    @cached_property
    def pdf(self) -> bytes:
        data: bytes = self.document.write_pdf()
        return data

    @cached_property
    def texts(self) -> tuple[str, ...]:
        return tuple(pdf_pages(self.pdf))


@cache
def laid_copy(
    name: str, copy: Copy, paper: str = "letter", large_print: bool = False, language: str = "en"
) -> LaidCopy:
    """Each (fixture, copy, paper, print size, language) laid out once per test session, however many tests read
    it."""
    renderer = shared_renderer()
    packet = renderer.fitted(build_packet(story_with(name, paper, large_print, language=language), shared_library()))
    return LaidCopy(packet, renderer.documents(packet, copy)[copy])


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class LiveServer:
    """A real uvicorn on 127.0.0.1 in a thread, for tests where the HTTP layer itself matters."""

    def __init__(self, settings: Settings) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(
            create_app(settings),
            host="127.0.0.1",
            port=self.port,
            log_level="warning",
            access_log=False,
            lifespan="on",
        )
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


def assert_no_trace(marker: str, records: list[logging.LogRecord], since: float) -> None:
    """The marker is in no log record and in no file written since `since` (temp dir and the project tree)."""
    for record in records:
        assert marker not in record.getMessage() and marker not in str(record.args)
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


def every_text_field(story: dict[str, Any], value: str) -> dict[str, Any]:
    """A copy of the story with `value` (cut to each field's limit) in every free-text field."""
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


def same_story(a: Story, b: Story) -> bool:
    """Equal as the packet reads them: the form lists ticked symptoms before typed ones, so order may differ."""

    def comparable(story: Story) -> dict[str, Any]:
        data = story.model_dump(mode="json")
        data["symptoms"] = sorted(data["symptoms"])
        return data

    return comparable(a) == comparable(b)
