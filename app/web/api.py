"""HTTP JSON → Story → a PDF or HTML packet; also lists the resource packs."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated, Any

from fastapi import APIRouter, Body, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError

from app.examples import EXAMPLE_STORY
from app.packet.copies import Copy
from app.packet.medicines import identify_medicines
from app.story import Language, Story
from app.web.render_queue import RenderQueue

__all__ = ["packet_filename", "router"]

router = APIRouter(prefix="/api/v1", tags=["packets"])


class Format(StrEnum):
    pdf = "pdf"
    html = "html"


FILE_STEMS = {
    Language.en: {
        Copy.both: "taperprep-packet",
        Copy.prescriber: "taperprep-for-the-prescriber",
        Copy.personal: "taperprep-for-me",
    },
    Language.es: {
        Copy.both: "taperprep-documentos",
        Copy.prescriber: "taperprep-para-el-profesional",
        Copy.personal: "taperprep-para-mi",
    },
}
"""Named in the packet's language, in plain ASCII so every system saves them as named."""


def packet_filename(today: dt.date | None = None, copy: Copy = Copy.both, lang: Language = Language.en) -> str:
    return f"{FILE_STEMS[lang][copy]}-{(today or dt.date.today()).isoformat()}.pdf"


def _service(request: Request) -> RenderQueue:
    service: RenderQueue = request.app.state.service
    return service


@router.post(
    "/packets",
    summary="Turn a story into a packet",
    response_class=Response,
    responses={
        200: {"content": {"application/pdf": {}, "text/html": {}}, "description": "The packet (PDF, or HTML preview)."},
        422: {"description": "The story breaks the contract; `detail` lists each problem with its field (`loc`)."},
    },
)
async def create_packet(
    request: Request,
    story: Annotated[Story, Body(openapi_examples={"patient": {"summary": "A typical story", "value": EXAMPLE_STORY}})],
    format: Annotated[Format, Query(description="pdf (default) or html for a preview")] = Format.pdf,
    copy: Annotated[
        Copy,
        Query(
            description=(
                "prescriber: the copy to hand over; personal: the booklet to keep; both (default): one PDF, "
                "the prescriber copy first, each with its own page numbers"
            )
        ),
    ] = Copy.both,
) -> Response:
    try:
        identify_medicines(story)
    except ValidationError as exc:  # answered like the contract's own errors: 422, loc from "body"
        raise RequestValidationError(
            [{**e, "loc": ("body", *e["loc"])} for e in exc.errors(include_url=False)]
        ) from None
    service = _service(request)
    if format is Format.html:
        return HTMLResponse(await service.html(story, copy))
    pdf = await service.pdf(story, copy)
    return Response(
        pdf,
        media_type="application/pdf",
        headers={
            "Content-Disposition": f'attachment; filename="{packet_filename(copy=copy, lang=story.options.language)}"'
        },
    )


@router.get("/packs", summary="The resource packs: sources, licence analysis and excerpts")
async def list_packs(request: Request) -> list[dict[str, Any]]:
    """The licence analysis lives here and in resource_packs/README.md, not in the printed copies."""
    return [
        {
            "id": pack.id,
            "title": pack.title,
            "short": pack.short,
            "kind": pack.kind,
            "publisher": pack.publisher,
            "date": pack.date,
            "url": pack.url,
            "accessed": pack.accessed.isoformat(),
            "reference": pack.reference,
            "licence": pack.licence,
            "licence_kind": pack.licence_kind.value,
            "attribution": pack.attribution,
            "credit": pack.credit,
            "excerpts": [
                {
                    "id": e.id,
                    "title": e.title,
                    "tags": e.tags,
                    "locator": e.locator,
                    "kind": e.kind,
                    "audience": e.audience,
                    "seen": e.seen,
                }
                for e in pack.excerpts
            ],
        }
        for pack in _service(request).library.packs
    ]
