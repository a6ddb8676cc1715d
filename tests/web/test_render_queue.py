"""The render limits, for real: a time limit answered 503, and a queue cap answered 503 with Retry-After."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import anyio
import httpx2
import pytest
from fastapi.testclient import TestClient
from markupsafe import escape

from app.errors import Busy
from app.main import create_app
from app.settings import Settings
from app.story import Story
from app.web.render_queue import RETRY_AFTER_SECONDS, build_service, must_refuse
from tests.helpers import LiveServer, load_story


@pytest.fixture(scope="module")
def impatient_client() -> Iterator[TestClient]:
    with TestClient(create_app(Settings(render_timeout_seconds=0.001))) as client:
        yield client


def test_a_render_past_the_time_limit_answers_503_in_plain_words(impatient_client: TestClient) -> None:
    response = impatient_client.post("/api/v1/packets", json=load_story("patient_one_drug"))
    assert response.status_code == 503
    assert response.json()["detail"].startswith("Making your packet took too long, so taperprep stopped.")
    assert "retry-after" not in response.headers


def test_the_html_preview_is_not_held_to_the_render_limit(impatient_client: TestClient) -> None:
    """Jinja alone is milliseconds; only WeasyPrint runs in the guarded slot."""
    assert impatient_client.post("/api/v1/packets?format=html", json=load_story("minimal")).status_code == 200


def test_beyond_the_queue_renders_are_refused_with_retry_after() -> None:
    """Deterministic: the first render takes the only place before the second one asks (queue 0)."""
    service = build_service(Settings(render_queue=0))
    story = Story.model_validate(load_story("minimal"))
    outcomes: list[object] = []

    async def one() -> None:
        try:
            outcomes.append(await service.pdf(story))
        except Busy as exc:
            outcomes.append(exc)

    async def burst() -> None:
        async with anyio.create_task_group() as group:
            for _ in range(3):
                group.start_soon(one)

    anyio.run(burst)
    pdfs = [o for o in outcomes if isinstance(o, bytes)]
    refusals = [o for o in outcomes if isinstance(o, Busy)]
    assert len(pdfs) == 1 and pdfs[0].startswith(b"%PDF-")
    assert len(refusals) == 2 and all(r.retry_after_seconds == RETRY_AFTER_SECONDS for r in refusals)
    assert service.admitted == 0


def test_a_burst_over_http_gets_only_200s_and_503s_with_retry_after() -> None:
    with LiveServer(Settings(render_queue=0)) as server:
        barrier = threading.Barrier(4)
        responses: list[httpx2.Response] = []

        def post() -> None:
            barrier.wait()
            responses.append(httpx2.post(f"{server.url}/api/v1/packets", json=load_story("minimal"), timeout=120))

        threads = [threading.Thread(target=post) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    statuses = sorted(r.status_code for r in responses)
    assert statuses[0] == 200 and set(statuses) <= {200, 503}, statuses
    for response in responses:
        if response.status_code == 503:
            assert response.headers["retry-after"] == str(RETRY_AFTER_SECONDS)
            assert response.json() == {
                "detail": "taperprep is making a lot of packets right now. Please try again in a few seconds."
            }


@pytest.mark.parametrize(
    ("admitted", "queue", "typical", "limit", "refused"),
    [
        (0, 0, 100.0, 30.0, False),  # first in line always gets its chance
        (1, 0, 0.1, 30.0, True),  # queue full
        (8, 8, 0.5, 30.0, False),
        (9, 8, 0.5, 30.0, True),
        (3, 8, 10.0, 30.0, True),  # three renders ahead at 10 s each: the wait alone is the whole limit
        (2, 8, 10.0, 30.0, False),
    ],
)
def test_refusal_rule(admitted: int, queue: int, typical: float, limit: float, refused: bool) -> None:
    assert must_refuse(admitted, queue, typical, limit) is refused


@pytest.mark.parametrize(
    ("settings", "retry_after"),
    [
        (Settings(render_timeout_seconds=0.001), None),
        (Settings(render_queue=-1), str(RETRY_AFTER_SECONDS)),  # -1: every render is refused as busy
    ],
)
def test_the_web_form_comes_back_with_every_answer_and_a_plain_notice(
    settings: Settings, retry_after: str | None
) -> None:
    from app.story import story_json
    from app.web.pages import RENDER_BUSY, RENDER_TOO_SLOW

    story = Story.model_validate(load_story("patient_one_drug"))
    with TestClient(create_app(settings)) as client:
        response = client.post("/packet", data={"story": story_json(story).decode(), "action": "download"})
    assert response.status_code == 503
    assert response.headers.get("retry-after") == retry_after
    notice = RENDER_BUSY if retry_after else RENDER_TOO_SLOW
    assert notice in response.text
    kept = [
        ('value="{}"', "Jordan Avery"),
        ('name="experience" value="{}"', story.experience),
        ('value="{}"', story.medications[0].name),
    ]
    for shape, typed in kept:
        assert shape.format(escape(typed)) in response.text, typed
