"""Story → Packet → HTML/PDF for the HTTP edges, with rendering kept off the event loop."""

from __future__ import annotations

import anyio
import anyio.to_thread

from app.packet import Packet, build_packet
from app.packs import PackLibrary
from app.render import Renderer
from app.story import Story

__all__ = ["PacketService", "story_json"]

PREVIEW_STYLESHEET = "/assets/packet.css"


def story_json(story: Story) -> bytes:
    """The v1 JSON of a story, as embedded in every PDF and offered as "Save my answers"."""
    return story.model_dump_json(indent=2, exclude_none=True).encode()


class PacketService:
    """One per process. Renders run one at a time in a worker thread: the GIL makes more threads useless,
    and a single slot makes bursts queue instead of piling up memory."""

    def __init__(self, library: PackLibrary, renderer: Renderer) -> None:
        self.library = library
        self.renderer = renderer
        self.limiter = anyio.CapacityLimiter(1)

    def build(self, story: Story) -> Packet:
        return build_packet(story, self.library)

    async def html(self, story: Story) -> str:
        return self.renderer.html(self.build(story), stylesheet_href=PREVIEW_STYLESHEET)

    async def pdf(self, story: Story) -> bytes:
        packet = self.build(story)
        return await anyio.to_thread.run_sync(self.renderer.pdf, packet, story_json(story), limiter=self.limiter)

    def warm_up(self, story: Story) -> None:
        """One render at start-up, so the first person does not pay for font loading and layout warm-up."""
        self.renderer.pdf(self.build(story), story_json(story))
