"""Settings → the ASGI app: packs validated and the renderer warmed at start-up, routes mounted, access logged."""

from __future__ import annotations

import logging
import math
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles

from app import api, web
from app.errors import UnknownResources
from app.examples import EXAMPLE_STORY
from app.packs import load_library
from app.render import Renderer
from app.service import PacketService
from app.settings import Settings, get_settings
from app.story import Story

__all__ = ["app", "create_app"]

access_log = logging.getLogger("taperprep.access")


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
        library = load_library(*settings.pack_folders())
        service = PacketService(library, Renderer(settings.templates_dir))
        service.warm_up(Story.model_validate(EXAMPLE_STORY))
        app.state.settings = settings
        app.state.library = library
        app.state.service = service
        yield

    app = FastAPI(
        title="taperprep",
        version="1",
        summary="Your benzodiazepine story in; a cited, printable packet for your prescriber out. Not medical advice.",
        lifespan=lifespan,
    )

    @app.middleware("http")
    async def log_and_protect(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        """Logs method, path, status and time only; nothing a response carries is cached anywhere."""
        started = time.perf_counter()
        response = await call_next(request)
        if not request.url.path.startswith("/assets/"):
            response.headers["Cache-Control"] = "no-store"
        access_log.info(
            "%s %s %s %.0fms", request.method, request.url.path, response.status_code,
            (time.perf_counter() - started) * 1000,
        )
        return response

    @app.exception_handler(RequestValidationError)
    async def invalid_story(request: Request, exc: RequestValidationError) -> JSONResponse:
        return JSONResponse({"detail": _json_safe(jsonable_encoder(exc.errors()))}, status_code=422)

    @app.exception_handler(UnknownResources)
    async def unknown_resources(request: Request, exc: UnknownResources) -> JSONResponse:
        return JSONResponse({"detail": exc.errors()}, status_code=422)

    app.include_router(web.router)  # the web form owns "/": mounted before the placeholder redirect below

    @app.get("/healthz", include_in_schema=False)
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/", include_in_schema=False)
    async def home() -> RedirectResponse:
        return RedirectResponse("/docs")

    app.include_router(api.router)
    app.mount("/assets", StaticFiles(directory=settings.templates_dir / "assets"), name="assets")
    return app


app = create_app()
