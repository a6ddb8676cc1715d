"""Nothing of a story reaches a log line or a file: rendered with a unique marker in every field, then searched for."""

from __future__ import annotations

import logging
import time
import uuid

import httpx2
import pytest

from app.settings import Settings
from tests.helpers import LiveServer, assert_no_trace, every_text_field, load_story


@pytest.mark.parametrize("fmt", ["pdf", "html"])
def test_marker_reaches_no_log_and_no_file(live_server: LiveServer, caplog: pytest.LogCaptureFixture, fmt: str) -> None:
    marker = f"zq{uuid.uuid4().hex[:12]}"
    story = every_text_field(load_story("patient_one_drug"), f"{marker} was here")
    started = time.time() - 1
    caplog.set_level(logging.DEBUG)
    response = httpx2.post(f"{live_server.url}/api/v1/packets?format={fmt}", json=story, timeout=60)
    assert response.status_code == 200
    bad = httpx2.post(f"{live_server.url}/api/v1/packets", json={**story, "prepared_by": marker}, timeout=60)
    assert bad.status_code == 422
    assert caplog.records, "the access log should have recorded the requests"
    assert_no_trace(marker, caplog.records, started)


def test_access_log_holds_method_path_status_and_time_only(
    live_server: LiveServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="taperprep.access")
    httpx2.post(f"{live_server.url}/api/v1/packets?format=html", json=load_story("minimal"), timeout=60)
    lines = [r.getMessage() for r in caplog.records if r.name == "taperprep.access"]
    assert any(line.startswith("POST /api/v1/packets 200 ") and line.endswith("ms") for line in lines), lines


# ---- issue 8: the refusals (413, 503 too slow, 503 busy) keep nothing of the story either ----
@pytest.mark.parametrize(
    "settings",
    [
        Settings(max_json_bytes=512, max_upload_bytes=512),
        Settings(render_timeout_seconds=0.001),
        Settings(render_queue=-1),
    ],
    ids=["too-large", "too-slow", "busy"],
)
def test_marker_reaches_no_log_and_no_file_when_refused(caplog: pytest.LogCaptureFixture, settings: Settings) -> None:
    marker = f"zq{uuid.uuid4().hex[:12]}"
    story = every_text_field(load_story("patient_one_drug"), f"{marker} was here")
    started = time.time() - 1
    caplog.set_level(logging.DEBUG)
    with LiveServer(settings) as server:
        response = httpx2.post(f"{server.url}/api/v1/packets", json=story, timeout=60)
        form = httpx2.post(
            f"{server.url}/prepare",
            data={"form": "story", "experience": marker * 200, "patient-name": marker},
            timeout=60,
        )
    assert response.status_code in {413, 503} and marker not in response.text
    assert form.status_code in {303, 413}  # 303: to the next step, whose address carries the answers back to them
    assert_no_trace(marker, caplog.records, started)
