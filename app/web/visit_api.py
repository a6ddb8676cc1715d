"""HTTP for the visit cycle: a Story with `agreed` → text/calendar; a saved PDF or JSON file → its Story."""

from __future__ import annotations

from typing import Annotated

import anyio.to_thread
from fastapi import APIRouter, Body, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response

from app.examples import EXAMPLE_STORY
from app.render.calendar_ics import calendar_filename, calendar_ics
from app.story import Story
from app.web.saved_answers import open_saved_answers

__all__ = ["AGREED_REQUIRED", "router"]

router = APIRouter(prefix="/api/v1", tags=["visit cycle"])

AGREED_REQUIRED = {
    "type": "missing",
    "loc": ("body", "agreed"),
    "msg": "Field required: a calendar needs the agreed plan",
    "input": None,
}
_AGREED_EXAMPLE = {
    **EXAMPLE_STORY,
    "agreed": {
        "date": "2026-12-20",
        "decision": "reduce",
        "steps": [{"medication": 1, "daily_mg": 1.25, "from": "2027-01-03"}],
        "check_in": "phone call two weeks after each change",
        "next_review": "2027-02-14",
    },
}


@router.post(
    "/calendar",
    summary="The agreed check-ins and review as a calendar file",
    response_class=Response,
    responses={
        200: {"content": {"text/calendar": {}}, "description": "An iCalendar file with all-day events."},
        422: {"description": "The story breaks the contract, or has no `agreed` plan (`loc` names `agreed`)."},
    },
)
async def create_calendar(
    story: Annotated[
        Story, Body(openapi_examples={"agreed": {"summary": "A plan agreed at a visit", "value": _AGREED_EXAMPLE}})
    ],
) -> Response:
    if story.agreed is None:
        raise RequestValidationError([AGREED_REQUIRED])
    return Response(
        calendar_ics(story, story.agreed),
        media_type="text/calendar",
        headers={"Content-Disposition": f'attachment; filename="{calendar_filename()}"'},
    )


@router.post(
    "/answers",
    summary="Open a saved taperprep file (PDF or JSON) as a Story",
    response_model=Story,
    response_model_exclude_none=True,
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "application/pdf": {"schema": {"type": "string", "format": "binary"}},
                "application/json": {"schema": {"type": "string", "format": "binary"}},
            },
        }
    },
    responses={422: {"description": "Not a taperprep answers file, or one that cannot be read (`loc`: body)."}},
)
async def open_answers(request: Request) -> Story:
    """A PDF's story.json with its filled "What we agreed" fields read into `agreed`; nothing is kept."""
    data = await request.body()
    limit = request.app.state.settings.max_upload_bytes
    opened = await anyio.to_thread.run_sync(open_saved_answers, data, limit)  # pypdf parses untrusted bytes
    if opened.story is None:
        raise RequestValidationError(
            [{"type": "not_taperprep_answers", "loc": ("body",), "msg": opened.problem, "input": None}]
        )
    return opened.story
