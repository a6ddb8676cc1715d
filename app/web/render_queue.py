"""Story → Packet → HTML/PDF for the edges: renders kept off the event loop, one at a time, queued, time-limited."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable
from typing import TypeVar

import anyio
import anyio.to_thread

from app.errors import Busy, TooSlow
from app.library.check import load_checked
from app.library.packs import PackLibrary
from app.library.products import products
from app.packet.build import Packet, build_packet
from app.packet.copies import Copy
from app.render.renderer import PAPER_CSS, PART_CACHE_SIZE, Renderer
from app.settings import Settings
from app.story import Story, story_json

__all__ = ["RETRY_AFTER_SECONDS", "RenderQueue", "build_service", "must_refuse"]

PREVIEW_STYLESHEET = "/assets/packet.css"
RETRY_AFTER_SECONDS = 5
"""What a refused request is told to wait: a few renders' worth, so a retry usually finds a free place."""

T = TypeVar("T")


def must_refuse(admitted: int, render_queue: int, typical_render_seconds: float, render_timeout_seconds: float) -> bool:
    """Refuse at once (Busy, with Retry-After) when the queue is full, or when the renders ahead would, at their
    typical pace, use up the whole time limit: a fast "try again shortly" beats a long wait that ends in TooSlow."""
    return admitted > render_queue or admitted * typical_render_seconds >= render_timeout_seconds


def build_service(settings: Settings, replay_parts: bool = True) -> RenderQueue:
    """The one composition root (server, `taperprep build`, tests, benchmarks): packs checked and loaded, the renderer
    built, the queue sized from settings. Broken packs raise PackError, a broken product catalogue CatalogueError,
    before anything else happens. `replay_parts=False` for a process that renders once (`taperprep build`): laying
    a cached part out on its own only pays off from the second packet on."""
    products()
    return RenderQueue(
        load_checked(settings.pack_folders()),
        Renderer(settings.templates_dir, part_cache_size=PART_CACHE_SIZE if replay_parts else 0),
        render_timeout_seconds=settings.render_timeout_seconds,
        render_queue=settings.render_queue,
    )


class _Abandoned(Exception):
    """A queued render whose request already gave up: skipped instead of rendered for nobody."""


class RenderQueue:
    """One per process. Renders run one at a time in a worker thread (the GIL makes more threads useless, and one slot
    keeps memory flat), with at most `render_queue` more waiting; beyond that, or when the wait alone would use up the
    time limit, `Busy`.

    The time limit is the longest a person waits for a PDF, queueing included: past it the request gets `TooSlow`.
    A thread cannot be killed, so a render already running finishes and its result is dropped; it keeps its place in
    the count until it does, so abandoned renders can never pile up beyond the cap. The contract's field-length caps
    bound how long any render can run."""

    def __init__(
        self, library: PackLibrary, renderer: Renderer, *, render_timeout_seconds: float = 30.0, render_queue: int = 8
    ) -> None:
        self.library = library
        self.renderer = renderer
        self.render_timeout_seconds = render_timeout_seconds
        self.render_queue = render_queue
        self.limiter = anyio.CapacityLimiter(1)
        self.admitted = 0
        """Renders running or waiting, counting abandoned ones until their thread is done."""
        self.typical_render_seconds = 0.0
        """A moving average of how long renders take here and now (machine, load, stories)."""

    def build(self, story: Story) -> Packet:
        return build_packet(story, self.library)

    async def html(self, story: Story, copy: Copy = Copy.both) -> str:
        return self.preview(self.build(story), copy)

    def preview(self, packet: Packet, copy: Copy = Copy.both) -> str:
        """The copies as one page with the stylesheet linked, as the browser preview and `?format=html` show them."""
        return self.renderer.html(packet, copy, stylesheet_href=PREVIEW_STYLESHEET)

    async def pdf(self, story: Story, copy: Copy = Copy.both) -> bytes:
        packet = self.build(story)
        return await self._rendered(self.renderer.pdf, packet, story_json(story), copy)

    async def page_counts(self, packet: Packet) -> dict[Copy, int]:
        """How many pages each copy prints, for the preview's download buttons (one layout, queued like a render)."""
        return await self._rendered(self.renderer.page_counts, packet)

    async def _rendered(self, render: Callable[..., T], *args: object) -> T:
        if must_refuse(self.admitted, self.render_queue, self.typical_render_seconds, self.render_timeout_seconds):
            raise Busy(RETRY_AFTER_SECONDS)
        abandoned = threading.Event()

        def run() -> T:
            if abandoned.is_set():
                raise _Abandoned
            started = time.perf_counter()
            result = render(*args)
            elapsed = time.perf_counter() - started
            self.typical_render_seconds = (
                elapsed if not self.typical_render_seconds else (0.8 * self.typical_render_seconds + 0.2 * elapsed)
            )
            return result

        self.admitted += 1
        job = asyncio.ensure_future(anyio.to_thread.run_sync(run, limiter=self.limiter))
        job.add_done_callback(self._done)
        try:
            return await asyncio.wait_for(asyncio.shield(job), self.render_timeout_seconds)
        except TimeoutError:
            raise TooSlow(self.render_timeout_seconds) from None
        finally:
            if not job.done():
                abandoned.set()

    def _done(self, job: asyncio.Task[T]) -> None:
        """The render's thread is finished (or was skipped): its place is free. Its outcome is read so that an
        abandoned render's error is not reported as "never retrieved" (which would print it, story and all)."""
        self.admitted -= 1
        if not job.cancelled():
            job.exception()

    def warm_up(self, story: Story) -> None:
        """One render at start-up, so the first person does not pay for font loading and layout warm-up, and every
        paper's CSS parsed, so the first person printing on A4 does not pay for that either."""
        self.renderer.pdf(self.build(story), story_json(story))
        for paper in PAPER_CSS:
            self.renderer.stylesheets_for(paper)
