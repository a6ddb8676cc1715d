"""Settings → the ASGI app: packs validated and the renderer warmed at start-up, routes mounted, requests guarded."""

from __future__ import annotations

import gc
import math
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles

from app.errors import Busy, TooSlow, UnknownResources
from app.examples import EXAMPLE_STORY
from app.library.translations import N_
from app.settings import Settings, get_settings
from app.story import Story
from app.web import api, pages, steps, visit_api
from app.web.middleware.access_log import AccessLog
from app.web.middleware.body_limit import BodyLimit
from app.web.middleware.catch_all import CatchAll
from app.web.middleware.refusals import plain_answer
from app.web.middleware.security_headers import SecurityHeaders
from app.web.render_queue import build_service
from app.web.swagger import mount_docs

__all__ = ["app", "create_app"]


def _json_safe(value: object) -> object:
    """NaN and Infinity are not JSON: echo them back as text instead of failing to answer."""
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if isinstance(value, dict):
        return {k: _json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json_safe(v) for v in value]
    return value


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        service = build_service(settings)
        service.warm_up(Story.model_validate(EXAMPLE_STORY))
        app.state.settings = settings
        app.state.service = service
        yield
        # A worker that stops (SIGTERM, --max-requests) hands back its fonts' temporary folder: WeasyPrint removes it
        # when the FontConfiguration is collected, which an exiting interpreter does not promise to do.
        del app.state.service, service
        gc.collect()

    app = FastAPI(
        title="taperprep",
        version="1",
        summary="Your benzodiazepine story in; a cited, printable packet for your prescriber out. Not medical advice.",
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
    )
    mount_docs(app)

    # Outermost first: log what the client got; headers on every answer; nothing unexpected escapes; bodies capped.
    app.add_middleware(BodyLimit, max_json_bytes=settings.max_json_bytes, max_upload_bytes=settings.max_upload_bytes)
    app.add_middleware(CatchAll)
    app.add_middleware(SecurityHeaders)
    app.add_middleware(AccessLog)

    @app.exception_handler(Busy)
    async def busy(request: Request, exc: Busy) -> Response:
        body, media_type = plain_answer(
            request.scope,
            N_("taperprep is making a lot of packets right now. Please try again in a few seconds."),
            title=N_("Too busy right now"),
            go_back=True,
        )
        return Response(body, 503, media_type=media_type, headers={"Retry-After": str(exc.retry_after_seconds)})

    @app.exception_handler(TooSlow)
    async def too_slow(request: Request, exc: TooSlow) -> Response:
        body, media_type = plain_answer(
            request.scope,
            N_(
                "Making your packet took too long, so taperprep stopped. Please try again in a minute; "
                "if it happens again, shorter answers will make it faster."
            ),
            title=N_("That took too long"),
            go_back=True,
        )
        return Response(body, 503, media_type=media_type)

    @app.exception_handler(RequestValidationError)
    async def invalid_story(request: Request, exc: RequestValidationError) -> JSONResponse:
        return JSONResponse({"detail": _json_safe(jsonable_encoder(exc.errors()))}, status_code=422)

    @app.exception_handler(UnknownResources)
    async def unknown_resources(request: Request, exc: UnknownResources) -> JSONResponse:
        return JSONResponse({"detail": exc.errors()}, status_code=422)

    app.include_router(steps.router)
    app.include_router(pages.router)

    @app.get("/healthz", include_in_schema=False)
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    app.include_router(api.router)
    app.include_router(visit_api.router)  # calendar, open a saved file
    app.mount("/assets", StaticFiles(directory=settings.templates_dir / "assets"), name="assets")
    return app


app = create_app()
