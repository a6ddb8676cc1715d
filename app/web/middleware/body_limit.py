"""A request → refused with 413 (too large) or 408 (too slow) before anything parses its body, or passed on whole."""

from __future__ import annotations

import anyio
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.library.translations import N_
from app.web.middleware.base import HTTPMiddleware
from app.web.middleware.refusals import answer

__all__ = ["BODY_TIMEOUT_SECONDS", "BodyLimit", "body_limit", "size_words"]

FORM_TYPES = ("multipart/form-data", "application/x-www-form-urlencoded")
BODY_TIMEOUT_SECONDS = 30.0
"""A whole body must arrive within this time: at a few KB/s any honest story does; a trickle cannot hold a worker."""


def body_limit(content_type: str, max_json_bytes: int, max_upload_bytes: int) -> int:
    """A form may carry a saved answers file of up to `max_upload_bytes` beside a story's worth of fields, so that a
    file just over its own cap still reaches the form, which then says so with every answer kept. Everything else
    (JSON, or anything unexpected) gets the JSON cap."""
    media_type = content_type.split(";", 1)[0].strip().lower()
    if media_type == "application/pdf":  # a saved PDF sent to /api/v1/answers is an upload
        return max_upload_bytes
    return max_upload_bytes + max_json_bytes if media_type in FORM_TYPES else max_json_bytes


def size_words(size: int) -> str:
    return f"{size / (1024 * 1024):g} MB" if size >= 1024 * 1024 else f"{size / 1024:g} KB"


class _TooLarge(Exception):
    pass


class _Gone(Exception):
    pass


class BodyLimit(HTTPMiddleware):
    """Pure ASGI, so it sees the raw stream: a declared Content-Length over the cap is refused unread, and a body
    without one (chunked) is counted as it arrives and refused the moment it passes the cap. The body is buffered
    (never more than the cap) and replayed to the app, so nothing downstream ever reads an unchecked byte."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        max_json_bytes: int,
        max_upload_bytes: int,
        body_timeout_seconds: float = BODY_TIMEOUT_SECONDS,
    ) -> None:
        super().__init__(app)
        self.max_json_bytes = max_json_bytes
        self.max_upload_bytes = max_upload_bytes
        self.body_timeout_seconds = body_timeout_seconds

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        headers = Headers(scope=scope)
        limit = body_limit(headers.get("content-type", ""), self.max_json_bytes, self.max_upload_bytes)
        declared = headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            await self._too_large(scope, send, limit)
            return
        try:
            with anyio.fail_after(self.body_timeout_seconds):
                body = await self._read(receive, limit)
        except _TooLarge:
            await self._too_large(scope, send, limit)
            return
        except TimeoutError:
            await answer(
                scope,
                send,
                408,
                N_(
                    "The request took too long to arrive, so taperprep stopped waiting. "
                    "Please check your connection and send it again."
                ),
                title=N_("Sending took too long"),
                go_back=True,
                headers={"Connection": "close"},
            )
            return
        except _Gone:
            return
        await self.app(scope, _replay(body, receive), send)

    async def _read(self, receive: Receive, limit: int) -> bytes:
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                raise _Gone
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > limit:
                raise _TooLarge
            chunks.append(chunk)
            if not message.get("more_body", False):
                return b"".join(chunks)

    async def _too_large(self, scope: Scope, send: Send, limit: int) -> None:
        await answer(
            scope,
            send,
            413,
            N_(
                "What you sent is larger than taperprep accepts ({size}). "
                "Shorten the longest answers, or attach a smaller file, and send it again."
            ),
            title=N_("Your answers are too long to send"),
            go_back=True,
            headers={"Connection": "close"},
            fill={"size": size_words(limit)},
        )


def _replay(body: bytes, receive: Receive) -> Receive:
    """The buffered body once, then the real channel (so a disconnect is still seen)."""
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay
