"""Form steps over HTTP: every POST answers 303 to a GET page whose URL carries the answers (Post/Redirect/Get)."""

from __future__ import annotations

import json
import time
from typing import Any
from urllib.parse import urlencode

import anyio.to_thread
from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from starlette.formparsers import MultiPartException

from app.library.translations import N_, _, speaking
from app.story import Language, Section
from app.web.answer_rows import for_story
from app.web.form import LANGUAGE, FormState, apply_action, parse_fields, story_to_state
from app.web.form_errors import FieldError
from app.web.form_reading import DAY_FIRST
from app.web.form_steps import CHECK, STEPS, TOKEN_LIMIT, Answers, Step, pack, state_items, step_named, step_of, unpack
from app.web.language import answers_switch, request_language, with_language
from app.web.medicine_names import name_questions
from app.web.pages import (
    OPENED,
    PRIVATE,
    _answers_file,
    _download,
    _form_page,
    _page,
    _preview,
    _read_form,
    _validate,
    check_page,
)
from app.web.saved_answers import open_saved_answers

__all__ = ["router"]

router = APIRouter(include_in_schema=False)

DRAFT_FORMAT = "taperprep-unfinished-answers"
"""The "format" of an answers file saved from a half-done form: the fields as typed, not a Story."""
NOTICES = {
    "opened": OPENED,
    "damaged": N_("We could not read the answers in this page's address, so the form starts empty."),
}
UNFINISHED_STEMS = {Language.en: "taperprep-unfinished-answers", Language.es: "taperprep-respuestas-sin-terminar"}
SWITCH = "language-"
"""The switch's buttons on a form page ("language-es"): the same step again, in that language, nothing typed lost."""


def _now() -> int:
    return int(time.time() * 1000)


def _url(slug: str, answers: Answers, **query: str) -> str:
    return f"/prepare/{slug}?" + urlencode({"a": pack(answers), **{k: v for k, v in query.items() if v}})


def _see(slug: str, answers: Answers, fragment: str = "", **query: str) -> Response:
    """303 to the GET page for `slug`: Back, Forward and Reload then never repeat a POST."""
    return RedirectResponse(_url(slug, answers, **query) + fragment, status_code=303, headers=PRIVATE)


def _answers(request: Request) -> tuple[Answers, str | None]:
    """The answers in the address, always with the language they are given in (a first visit: the browser's)."""
    token = request.query_params.get("a", "")
    if not token:
        answers, problem = Answers(new_answers(request.query_params.get("for") == "caregiver"), 0), None
    else:
        unpacked = unpack(token)
        answers, problem = (unpacked, None) if unpacked is not None else (Answers(FormState(), 0), "damaged")
    return with_language(answers, request_language(request, answers.state.value(LANGUAGE))), problem


def new_answers(caregiver: bool) -> FormState:
    """A new form: who is preparing it comes from the start page's link; nothing else is answered for the person."""
    who = "caregiver" if caregiver else "patient"
    parts = [part.value for part in Section if part is not Section.taper]
    return FormState(values={"prepared_by": who}, lists={**FormState().lists, "options-sections": parts})


def _step_errors(state: FormState, step: Step) -> list[FieldError]:
    _, errors = _validate(for_story(state))
    errors += name_questions(state)
    return [e for e in errors if _owner(e.field, step) is step]


def _owner(field: str, fallback: Step) -> Step:
    try:
        return step_of(field)
    except KeyError:
        return fallback


def _first_problem(state: FormState) -> Step | None:
    _, errors = _validate(for_story(state))
    errors += name_questions(state)
    steps = {_owner(e.field, STEPS[0]).slug for e in errors}
    return next((step for step in STEPS if step.slug in steps), None)


def _step_page(
    request: Request,
    step: Step,
    answers: Answers,
    errors: list[FieldError],
    notice: str | None,
    back_to: str,
    status: int = 200,
) -> Response:
    carried = [
        (name, value)
        for name, value in state_items(answers.state)
        if _owner(name, step) is not step and name != LANGUAGE  # the page itself says its language
    ]
    index = STEPS.index(step)
    response = _form_page(
        request,
        answers.state,
        errors,
        notice=notice,
        status=status,
        fresh=answers.revision == 0,
        step=step,
        steps=STEPS,
        step_number=index + 1,
        carried=carried,
        revision=answers.revision,
        back_to=back_to,
        previous=STEPS[index - 1] if index else None,
        token=pack(answers),
        day_first=answers.state.value("options-country") in DAY_FIRST,
    )
    return response


def _spoken(state: FormState) -> Language:
    """The answers' language; `_answers` and `submit_step` always set it."""
    return Language(state.value(LANGUAGE))


@router.get("/prepare")
async def new_form(request: Request) -> Response:
    """`?for=caregiver` comes from the start page's "I'm helping someone else" link, `?lang=es` from its switch."""
    answers, _problem = _answers(request)
    with speaking(_spoken(answers.state)):
        return _step_page(request, STEPS[0], answers, [], None, "")


@router.get("/prepare/{slug}")
async def step_page(request: Request, slug: str) -> Response:
    answers, problem = _answers(request)
    with speaking(_spoken(answers.state)):
        return await _step_answer(request, slug, answers, problem)


async def _step_answer(request: Request, slug: str, answers: Answers, problem: str | None) -> Response:
    notice_key = problem or request.query_params.get("notice", "")
    notice = _(NOTICES[notice_key]) if notice_key in NOTICES else None
    if slug == CHECK:
        return check_page(request, answers)
    if slug == "preview":
        story, _errors = _validate(for_story(answers.state))
        first = _first_problem(answers.state)
        if story is None or first is not None:
            return _see((first or STEPS[0]).slug, answers, check="1")
        change_url = _url(CHECK, answers)
        return await _preview(request, story, answers.state, change_url, answers_switch("preview", answers))
    step = step_named(slug)
    if step is None:
        return _page(
            request,
            "problem.html.j2",
            404,
            heading=_("Page not found"),
            message=_("There is no such step. Start again from the first step; your draft is kept in this browser."),
        )
    errors = _step_errors(answers.state, step) if request.query_params.get("check") else []
    file_problem = request.query_params.get("problem")
    if file_problem:
        errors = [FieldError("saved_file", file_problem[:300])]
    return _step_page(
        request, step, answers, errors, notice, request.query_params.get("return", ""), status=422 if errors else 200
    )


def _saved_draft(upload: bytes) -> FormState | None:
    """An answers file saved from a half-done form → its fields; None when the file is anything else."""
    try:
        data = json.loads(upload)
    except (ValueError, UnicodeDecodeError):
        return None
    if not isinstance(data, dict) or data.get("format") != DRAFT_FORMAT or not isinstance(data.get("fields"), list):
        return None
    pairs = [pair for pair in data["fields"] if isinstance(pair, list) and len(pair) == 2]
    return parse_fields((str(name), str(value)) for name, value in pairs)


def _draft_file(state: FormState) -> Response:
    body = json.dumps({"format": DRAFT_FORMAT, "fields": state_items(state)}, indent=1).encode()
    stem = UNFINISHED_STEMS[_spoken(state)]
    return _download(body, "application/json", f"{stem}-{time.strftime('%Y-%m-%d')}.json")


@router.post("/prepare")
async def submit_step(request: Request) -> Response:
    """Every button of every step: next, back, a task-list jump, add/remove rows, open or save a file, check."""
    try:
        items, upload = await _read_form(request)
    except MultiPartException:
        with speaking(request_language(request)):
            return _page(
                request,
                "problem.html.j2",
                400,
                heading=_("We could not read what was sent"),
                message=_("Something went wrong while sending the form. Go back and try again."),
            )
    fields = dict(items)
    posted = parse_fields(items)
    revision = int(fields["rev"]) if fields.get("rev", "").isdigit() else _now()
    answers = with_language(Answers(posted, revision), request_language(request, posted.value(LANGUAGE)))
    with speaking(_spoken(answers.state)):
        return await _submitted(request, fields, answers, upload)


async def _submitted(request: Request, fields: dict[str, str], answers: Answers, upload: bytes) -> Response:
    state, revision = answers.state, answers.revision
    step = step_named(fields.get("step", "")) or STEPS[0]
    back_to = fields.get("return", "")
    action = fields.get("action", "next")
    if len(pack(answers)) > TOKEN_LIMIT:
        return _too_long(request, step, answers, action)
    if action == "open":
        # pypdf parses untrusted bytes: off the event loop, so one odd file cannot stall everyone else.
        draft = _saved_draft(upload)
        if draft is not None:
            # A draft saved before drafts said their language speaks this page's.
            spoken = request_language(request, draft.value(LANGUAGE) or state.value(LANGUAGE))
            return _see(STEPS[0].slug, with_language(Answers(draft, _now()), spoken), notice="opened")
        opened = await anyio.to_thread.run_sync(open_saved_answers, upload, request.app.state.settings.max_upload_bytes)
        if opened.story is None:
            return _see(step.slug, answers, problem=str(opened.problem), **{"return": back_to})
        landing = step if step.slug == "visit" else STEPS[0]  # the plan read from a PDF is checked where it was asked
        return _see(landing.slug, Answers(story_to_state(opened.story), _now()), notice="opened")
    if action.startswith(SWITCH) and action.removeprefix(SWITCH) in Language.__members__:
        chosen = with_language(answers, Language(action.removeprefix(SWITCH)))
        return _see(step.slug, chosen, **{"return": back_to})
    if action.startswith(("add-", "remove-")):
        fragment = next((f"#{row}" for row in ("medicines", "attempts", "plan", "progress") if row[:4] in action), "")
        return _see(step.slug, Answers(apply_action(state, action), revision), fragment, **{"return": back_to})
    if action == "save":
        story, _errors = _validate(for_story(state))
        return _answers_file(story) if story is not None else _draft_file(state)
    if action.startswith("goto-"):
        return _see(action.removeprefix("goto-"), answers)
    if action == "back":
        index = STEPS.index(step)
        return _see(STEPS[index - 1].slug if index else step.slug, answers)
    if action == "check":
        first = _first_problem(state)
        return _see(first.slug, answers, check="1") if first else _see("preview", answers)
    if _step_errors(state, step):
        return _see(step.slug, answers, check="1", **{"return": back_to})
    index = STEPS.index(step)
    done = back_to == CHECK or index == len(STEPS) - 1
    return _see(CHECK if done else STEPS[index + 1].slug, answers)


def _too_long(request: Request, step: Step, answers: Answers, action: str) -> Response:
    """Answers too long for an address: the page is answered directly (Reload may then ask to resend)."""
    if action == "save":
        story, _errors = _validate(for_story(answers.state))
        return _answers_file(story) if story is not None else _draft_file(answers.state)
    errors = [
        FieldError(
            "experience",
            _(
                "Your answers are too long to carry between pages. Make the longest "
                "answers shorter, or save them as a file."
            ),
        )
    ]
    return _step_page(request, step, answers, errors, None, "", status=422)


def change_answers(story: Any) -> Response:
    """From the preview's "Change my answers": the check-your-answers page, with this story's answers."""
    return _see(CHECK, Answers(story_to_state(story), _now()))
