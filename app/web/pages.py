"""Browser form posts → pages: the start page, the form (works without JS), the packet preview, PDF/JSON downloads."""

from __future__ import annotations

import datetime as dt
import sys
from functools import cache
from pathlib import Path
from typing import Any

import anyio.to_thread
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from pydantic import ValidationError
from starlette.formparsers import MultiPartException, MultiPartParser

from app.errors import Busy, TooSlow, UnknownResources
from app.library.drugs import DRUGS
from app.packet.copies import Copy
from app.settings import ROOT
from app.story import Method, Story, story_json
from app.web.api import packet_filename
from app.web.form import (
    COMMON_SYMPTOMS,
    MAX_ROWS,
    FormState,
    apply_action,
    empty_state,
    parse_fields,
    story_to_state,
    to_submission,
)
from app.web.form_errors import FieldError, field_errors, max_length
from app.web.render_queue import RenderQueue
from app.web.saved_answers import open_saved_answers, too_big_message

__all__ = ["router"]

router = APIRouter(include_in_schema=False)
router.mount("/static", StaticFiles(directory=ROOT / "templates" / "static"), name="web-static")

PRIVATE = {"Cache-Control": "no-store"}
DOWNLOADS = {f"download-{c.value}" for c in (Copy.prescriber, Copy.personal)}
"""The preview's two download buttons; plain "download" keeps giving both copies in one PDF."""
"""Said here as well as by SecurityHeaders: these pages carry a story, so they must never be cached."""
METHODS = {
    Method.cold_turkey: "Stopped all at once (“cold turkey”)",
    Method.fast_taper: "Cut down quickly, over days or a few weeks",
    Method.slow_taper: "Cut down slowly, over months",
    Method.switch: "Switched to another medicine first, such as diazepam",
    Method.detox: "In a detox program",
    Method.hospital_stay: "Stopped or changed during a hospital stay for something else",
    Method.other: "Something else",
}
SECTIONS = [
    ("prescriber", "Summary for the prescriber", "One page they can read in two minutes."),
    ("evidence", "The evidence", "The guideline passages that fit, with their sources."),
    ("taper", "The draft taper plan", "Only if you ask for one under Goals."),
    (
        "for_me",
        "Notes for me, not for handing over",
        "Ways to say things, questions to ask, and where to find support.",
    ),
]
LIMITS = {
    "reason_prescribed": max_length("reason_prescribed"),
    "experience": max_length("experience"),
    "why_now": max_length("why_now"),
    "goals-notes": max_length("goals", "notes"),
    "attempts-description": max_length("past_attempts", "description"),
    "attempts-outcome": max_length("past_attempts", "outcome"),
}
DRUG_NAMES = sorted({name for drug in DRUGS for name in (drug.generic, *drug.brands)}, key=str.casefold)
RENDER_BUSY = (
    "taperprep is making a lot of packets right now, so yours was not made. Your answers are all still "
    "here: wait a few seconds, then choose “Continue to check the packet” again."
)
RENDER_TOO_SLOW = (
    "Making your packet took too long, so taperprep stopped. Your answers are all still here: try again "
    "in a minute. If it happens again, shorter answers will make it faster."
)
OPENED = "We opened your saved answers. Check them, then choose “Continue to check the packet”."


class _InMemoryParser(MultiPartParser):
    """Uploads stay in memory, so no story ever reaches a temporary file; BodyLimit (app/web/middleware/body_limit.py)
    has already capped the whole body far below any size that matters."""

    spool_max_size = sys.maxsize


@cache
def _env(templates_dir: Path) -> Environment:
    """Our own environment: autoescape on for .j2 files, which starlette's select_autoescape would leave raw."""
    return Environment(
        loader=FileSystemLoader(templates_dir / "web"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def _page(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    settings = request.app.state.settings
    upload = {"limit": settings.max_upload_bytes, "too_big": too_big_message(settings.max_upload_bytes)}
    html = _env(settings.templates_dir).get_template(template).render({"errors": (), "upload": upload, **context})
    return HTMLResponse(html, status_code=status, headers=PRIVATE)


def _form_page(
    request: Request,
    state: FormState,
    errors: list[FieldError] | None = None,
    *,
    notice: str | None = None,
    fresh: bool = False,
    status: int = 200,
) -> HTMLResponse:
    packs = [(p.id, p.title, f"{p.publisher}, {p.date}") for p in request.app.state.service.library.packs]
    return _page(
        request,
        "form.html.j2",
        status,
        state=state,
        errors=errors or [],
        err={e.field: e.message for e in errors or []},
        notice=notice,
        fresh=fresh,
        caregiver=state.value("prepared_by") == "caregiver",
        limits=LIMITS,
        max_rows=MAX_ROWS,
        drug_names=DRUG_NAMES,
        methods=[(m.value, label) for m, label in METHODS.items()],
        symptoms=[(s, s[0].upper() + s[1:], None) for s in COMMON_SYMPTOMS],
        packs=packs,
        sections=SECTIONS,
    )


def _validate(state: FormState) -> tuple[Story | None, list[FieldError]]:
    """The same Story.model_validate as the JSON API: the form has no rules of its own."""
    submission = to_submission(state)
    try:
        return Story.model_validate(submission.data), []
    except ValidationError as exc:
        return None, field_errors(exc, submission)


def _download(body: bytes, media_type: str, filename: str) -> Response:
    return Response(
        body, media_type=media_type, headers={**PRIVATE, "Content-Disposition": f'attachment; filename="{filename}"'}
    )


def _answers_file(story: Story) -> Response:
    return _download(story_json(story), "application/json", f"taperprep-answers-{dt.date.today().isoformat()}.json")


async def _preview(request: Request, story: Story, state: FormState) -> Response:
    service: RenderQueue = request.app.state.service
    try:
        packet = service.build(story)
    except UnknownResources:
        return _form_page(request, state, [FieldError("resources", "Choose from the sources listed")], status=422)
    try:
        counts = await service.page_counts(packet)
    except (Busy, TooSlow):
        counts = {}
    downloads = [
        (copy.value, label, _pages(counts.get(copy)))
        for copy, label in ((Copy.prescriber, "For my prescriber"), (Copy.personal, packet.booklet.label))
    ]
    return _page(
        request,
        "preview.html.j2",
        packet_html=service.preview(packet),
        story_json=story_json(story).decode(),
        previsit=packet.guidance.previsit_message,
        downloads=downloads,
    )


def _pages(count: int | None) -> str:
    return "" if count is None else f" — {count} page{'s' if count != 1 else ''}"


async def _read_form(request: Request) -> tuple[list[tuple[str, str]], bytes]:
    """The posted fields as (name, value) pairs, and the bytes of an uploaded "saved_file" (b"" when none)."""
    if request.headers.get("content-type", "").startswith("multipart/form-data"):
        parser = _InMemoryParser(request.headers, request.stream())
        form = await parser.parse()
    else:
        form = await request.form()
    items: list[tuple[str, str]] = []
    upload = b""
    for name, value in form.multi_items():
        if isinstance(value, str):
            items.append((name, value))
        elif name == "saved_file":
            upload = await value.read()
    await form.close()
    return items, upload


@router.get("/")
async def start(request: Request) -> HTMLResponse:
    return _page(request, "start.html.j2")


@router.get("/prepare")
async def new_form(request: Request) -> HTMLResponse:
    """`?for=caregiver` comes from the start page's "I'm helping someone else" link."""
    return _form_page(request, empty_state(caregiver=request.query_params.get("for") == "caregiver"), fresh=True)


@router.post("/prepare")
async def submit_form(request: Request) -> Response:
    """One endpoint for every button: add/remove rows, open a saved file, save, or continue to the preview."""
    try:
        items, upload = await _read_form(request)
    except MultiPartException:
        return _page(
            request,
            "problem.html.j2",
            400,
            heading="We could not read what was sent",
            message="Something went wrong while sending the form. Go back and try again.",
        )
    fields = dict(items)
    state = parse_fields(items) if fields.get("form") == "story" else empty_state()
    action = fields.get("action", "preview")
    if action == "open":
        # pypdf parses untrusted bytes: off the event loop, so one odd file cannot stall everyone else.
        opened = await anyio.to_thread.run_sync(open_saved_answers, upload, request.app.state.settings.max_upload_bytes)
        if opened.story is None:
            return _form_page(request, state, [FieldError("saved_file", opened.problem)], status=422)
        return _form_page(request, story_to_state(opened.story), notice=OPENED)
    if action.startswith(("add-", "remove-")):
        return _form_page(request, apply_action(state, action))
    story, errors = _validate(state)
    if story is None:
        return _form_page(request, state, errors, status=422)
    if action == "save":
        return _answers_file(story)
    return await _preview(request, story, state)


@router.post("/packet")
async def packet_action(request: Request) -> Response:
    """From the preview: the story travels in one hidden field, so the server keeps nothing between pages."""
    form = await request.form()
    raw, action = form.get("story"), form.get("action")
    try:
        story = Story.model_validate_json(raw if isinstance(raw, str) else "")
    except ValidationError:
        return _page(
            request,
            "problem.html.j2",
            422,
            heading="We could not read your answers",
            message="The answers sent from the preview page could not be read, so nothing was made.",
        )
    if action == "change":
        return _form_page(request, story_to_state(story))
    if action == "save":
        return _answers_file(story)
    copy = Copy(action.removeprefix("download-")) if isinstance(action, str) and action in DOWNLOADS else Copy.both
    try:
        pdf = await request.app.state.service.pdf(story, copy)
    except UnknownResources:
        return _form_page(
            request, story_to_state(story), [FieldError("resources", "Choose from the sources listed")], status=422
        )
    # ---- issue 8: the renderer is busy or too slow → the form again, every answer kept, with a plain notice ----
    except Busy as exc:
        busy = _form_page(request, story_to_state(story), notice=RENDER_BUSY, status=503)
        busy.headers["Retry-After"] = str(exc.retry_after_seconds)
        return busy
    except TooSlow:
        return _form_page(request, story_to_state(story), notice=RENDER_TOO_SLOW, status=503)
    # ---- end of issue 8 ----
    return _download(pdf, "application/pdf", packet_filename(copy=copy))
