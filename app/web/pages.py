"""Browser form posts → pages: the start page, the form (works without JS), the packet preview, PDF/JSON downloads."""

from __future__ import annotations

import datetime as dt
import re
import sys
import time
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from pydantic import ValidationError
from starlette.formparsers import MultiPartParser

from app.errors import Busy, TooSlow, UnknownResources
from app.library.drugs import DRUGS
from app.library.translations import N_, _, install_words, language, ngettext, speaking
from app.packet.agreed_page import DECISION_WORDS
from app.packet.copies import Copy
from app.packet.medicines import identify_medicines
from app.render.calendar_ics import calendar_filename, calendar_ics
from app.settings import ROOT
from app.story import Decision, Language, Story, story_json
from app.web.answer_rows import COUNTRIES, METHODS, answer_rows
from app.web.api import packet_filename
from app.web.form import (
    COMMON_SYMPTOMS,
    DOSE_TIMES,
    LANGUAGE,
    MAX_ROWS,
    FormState,
    story_to_state,
    to_submission,
)
from app.web.form_errors import FieldError, field_errors, max_length
from app.web.form_steps import Answers, pack, state_items
from app.web.language import NAMES, Switch, answers_switch, request_language, start_switch
from app.web.render_queue import RenderQueue
from app.web.saved_answers import too_big_message
from app.web.visit_fields import MAX_PROGRESS_ROWS

__all__ = ["router"]

router = APIRouter(include_in_schema=False)
router.mount("/static", StaticFiles(directory=ROOT / "templates" / "static"), name="web-static")

PRIVATE = {"Cache-Control": "no-store"}
"""Said here as well as by SecurityHeaders: these pages carry a story, so they must never be cached."""
PAGE_HEADERS = {**PRIVATE, "Vary": "Accept-Language"}
"""A form page may speak the language the browser asks for (app/web/language.py): say so to any cache between."""
DOWNLOADS = {f"download-{c.value}" for c in (Copy.prescriber, Copy.personal)}
"""The preview's two download buttons; plain "download" keeps giving both copies in one PDF."""
SECTIONS = [
    ("prescriber", N_("Summary for the prescriber"), N_("One page they can read in two minutes.")),
    ("evidence", N_("The evidence"), N_("The guideline passages that fit, with their sources.")),
    (
        "for_me",
        N_("Notes for me, not for handing over"),
        N_("Ways to say things, questions to ask, and where to find support."),
    ),
]
"""The draft taper part is not here: the one switch for it is "Include a draft taper plan" in step 5."""
LIMITS = {
    "reason_prescribed": max_length("reason_prescribed"),
    "experience": max_length("experience"),
    "why_now": max_length("why_now"),
    "goals-notes": max_length("goals", "notes"),
    "attempts-description": max_length("past_attempts", "description"),
    "attempts-outcome": max_length("past_attempts", "outcome"),
    "agreed-check_in": max_length("agreed", "check_in"),
    "agreed-if_symptoms": max_length("agreed", "if_symptoms"),
    "progress-note": max_length("progress", "note"),
}
DRUG_NAMES = sorted({name for drug in DRUGS for name in (drug.generic, *drug.brands)}, key=str.casefold)
RENDER_BUSY = N_(
    "taperprep is making a lot of packets right now, so yours was not made. Your answers are all still "
    "here: wait a few seconds, then choose “Make the packet” again."
)
RENDER_TOO_SLOW = N_(
    "Making your packet took too long, so taperprep stopped. Your answers are all still here: try again "
    "in a minute. If it happens again, shorter answers will make it faster."
)
OPENED = N_("We opened your saved answers. Check each step, or go straight to “Check your answers”.")
SOURCES_LISTED = N_("Choose from the sources listed")
PRONOUNS = {
    "she": N_("She (for example “tired” in the feminine)"),
    "he": N_("He (for example “tired” in the masculine)"),
    "they": N_("Another way: words that do not change"),
}
"""Asked in Spanish instead of typed pronouns: `patient.pronouns` as the documents read it ("she", "he", "they")."""


class _InMemoryParser(MultiPartParser):
    """Uploads stay in memory, so no story ever reaches a temporary file; BodyLimit (app/web/middleware/body_limit.py)
    has already capped the whole body far below any size that matters."""

    spool_max_size = sys.maxsize


@cache
def _env(templates_dir: Path) -> Environment:
    """Our own environment: autoescape on for .j2 files, which starlette's select_autoescape would leave raw."""
    env = Environment(
        loader=FileSystemLoader(templates_dir / "web"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        extensions=["jinja2.ext.i18n"],
    )
    install_words(env)
    return env


def _page(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    """A page in the language being spoken (the route says which, with `speaking`)."""
    settings = request.app.state.settings
    upload = {"limit": settings.max_upload_bytes, "too_big": too_big_message(settings.max_upload_bytes)}
    words = {"errors": (), "upload": upload, "lang": language().value, "switch": start_switch(), **context}
    html = _env(settings.templates_dir).get_template(template).render(words)
    return HTMLResponse(html, status_code=status, headers=PAGE_HEADERS)


def pronoun_choices(typed: str) -> tuple[list[tuple[str, str, None]], str]:
    """The plain gender question's choices and the one chosen; pronouns typed in English ("she/her") choose theirs,
    and anything else typed stays a choice of its own, so switching language loses nothing."""
    first = re.split(r"[/ ,]+", typed.strip().casefold())[0]
    choices: list[tuple[str, str, None]] = [(value, _(label), None) for value, label in PRONOUNS.items()]
    if first in PRONOUNS:
        return choices, first
    return ([*choices, (typed, typed, None)], typed) if typed.strip() else (choices, "")


def _form_page(
    request: Request,
    state: FormState,
    errors: list[FieldError] | None = None,
    *,
    notice: str | None = None,
    fresh: bool = False,
    status: int = 200,
    **step: Any,
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
        languages=[(lang.value, NAMES[lang]) for lang in Language],
        language_field=LANGUAGE,
        caregiver=state.value("prepared_by") == "caregiver",
        limits=LIMITS,
        max_rows=MAX_ROWS,
        dose_times={time: _(label) for time, label in DOSE_TIMES.items()},
        max_progress_rows=MAX_PROGRESS_ROWS,
        decisions=[(d.value, _(DECISION_WORDS[d]).capitalize(), None) for d in Decision],
        drug_names=DRUG_NAMES,
        methods=[(m.value, _(label)) for m, label in METHODS.items()],
        symptoms=[(s, _(s)[:1].upper() + _(s)[1:], None) for s in COMMON_SYMPTOMS],
        packs=packs,
        sections=[(value, _(title), _(hint)) for value, title, hint in SECTIONS],
        countries=[(code, _(name)) for code, name in COUNTRIES],
        pronouns=pronoun_choices(state.value("patient-pronouns")),
        **step,
    )


def _validate(state: FormState) -> tuple[Story | None, list[FieldError]]:
    """The same Story.model_validate as the JSON API: the form has no rules of its own."""
    submission = to_submission(state)
    try:
        story = Story.model_validate(submission.data)
        identify_medicines(story)
        return story, []
    except ValidationError as exc:
        return None, field_errors(exc, submission)


def _download(body: bytes, media_type: str, filename: str) -> Response:
    return Response(
        body, media_type=media_type, headers={**PRIVATE, "Content-Disposition": f'attachment; filename="{filename}"'}
    )


ANSWERS_STEMS = {Language.en: "taperprep-answers", Language.es: "taperprep-respuestas"}


def _answers_file(story: Story) -> Response:
    stem = ANSWERS_STEMS[story.options.language]
    return _download(story_json(story), "application/json", f"{stem}-{dt.date.today().isoformat()}.json")


async def _preview(request: Request, story: Story, state: FormState, change_url: str, switch: Switch) -> Response:
    service: RenderQueue = request.app.state.service
    try:
        packet = service.build(story)
    except UnknownResources:
        return _form_page(request, state, [FieldError("resources", _(SOURCES_LISTED))], status=422)
    try:
        counts = await service.page_counts(packet)
    except (Busy, TooSlow):
        counts = {}
    downloads = [
        (copy.value, label, _pages(counts.get(copy)))
        for copy, label in ((Copy.prescriber, _("For my prescriber")), (Copy.personal, packet.booklet.label))
    ]
    return _page(
        request,
        "preview.html.j2",
        packet_html=service.preview(packet),
        story_json=story_json(story).decode(),
        change_url=change_url,
        previsit=packet.guidance.previsit_message,
        downloads=downloads,
        has_agreed=story.agreed is not None,  # offers the calendar download
        switch=switch,
    )


def _pages(count: int | None) -> str:
    return "" if count is None else ngettext(" — {count} page", " — {count} pages", count).format(count=count)


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
    """`?lang=es` is the switch's choice; without it the browser's languages decide."""
    lang = request_language(request)
    chosen = {"lang": lang.value} if request.query_params.get("lang") == lang.value else {}
    with speaking(lang):
        return _page(
            request,
            "start.html.j2",
            start="/prepare" + (f"?{urlencode(chosen)}" if chosen else ""),
            start_caregiver=f"/prepare?{urlencode({'for': 'caregiver', **chosen})}",
        )


def _changing(story: Story) -> Answers:
    """A story from the preview → answers to change, newer than any draft the browser holds of them."""
    return Answers(story_to_state(story), int(time.time() * 1000))


def check_page(request: Request, answers: Answers, *, notice: str | None = None, status: int = 200) -> HTMLResponse:
    """Check your answers: every answer as read, a Change link each, and the answers carried for "Make the packet"."""
    return _page(
        request,
        "check.html.j2",
        status,
        sections=answer_rows(answers.state),
        token=pack(answers),
        revision=answers.revision,
        carried=state_items(answers.state),
        notice=notice,
        switch=answers_switch("check", answers),
    )


@router.post("/packet")
async def packet_action(request: Request) -> Response:
    """From the preview: the story travels in one hidden field, so the server keeps nothing between pages."""
    form = await request.form()
    raw, action = form.get("story"), form.get("action")
    try:
        story = Story.model_validate_json(raw if isinstance(raw, str) else "")
    except ValidationError:
        with speaking(request_language(request)):
            return _page(
                request,
                "problem.html.j2",
                422,
                heading=_("We could not read your answers"),
                message=_("The answers sent from the preview page could not be read, so nothing was made."),
            )
    with speaking(story.options.language):
        return await _packet_answer(request, story, action if isinstance(action, str) else "")


async def _packet_answer(request: Request, story: Story, action: str) -> Response:
    if action == "change":
        return RedirectResponse(f"/prepare/check?a={pack(_changing(story))}", status_code=303, headers=PRIVATE)
    if action == "save":
        return _answers_file(story)
    if action == "calendar" and story.agreed is not None:
        return _download(calendar_ics(story, story.agreed), "text/calendar", calendar_filename())
    copy = Copy(action.removeprefix("download-")) if action in DOWNLOADS else Copy.both
    try:
        pdf = await request.app.state.service.pdf(story, copy)
    except UnknownResources:
        return _form_page(request, story_to_state(story), [FieldError("resources", _(SOURCES_LISTED))], status=422)
    # ---- issue 8: the renderer is busy or too slow → the form again, every answer kept, with a plain notice ----
    except Busy as exc:
        busy = check_page(request, _changing(story), notice=_(RENDER_BUSY), status=503)
        busy.headers["Retry-After"] = str(exc.retry_after_seconds)
        return busy
    except TooSlow:
        return check_page(request, _changing(story), notice=_(RENDER_TOO_SLOW), status=503)
    # ---- end of issue 8 ----
    return _download(pdf, "application/pdf", packet_filename(copy=copy, lang=story.options.language))
