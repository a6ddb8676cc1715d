"""An unexpected exception → a generic answer with a random reference, and a log line holding nothing of the request."""

from __future__ import annotations

import logging
import secrets

from starlette.types import Message, Receive, Scope, Send

from app.library.translations import N_
from app.web.middleware.base import HTTPMiddleware
from app.web.middleware.refusals import answer

__all__ = ["CatchAll", "new_reference"]

error_log = logging.getLogger("taperprep.errors")

MESSAGE = N_("Something went wrong on our side")


def new_reference() -> str:
    return secrets.token_hex(6)


class CatchAll(HTTPMiddleware):
    """Catches what no handler did. The exception's message and traceback may quote a story, so neither is logged or
    shown: only the reference, method, path and the exception's class name. Nothing is re-raised, so uvicorn has no
    traceback to print either."""

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        started = False

        async def send_and_note(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, send_and_note)
        except Exception as exc:
            reference = new_reference()
            error_log.error(
                "unexpected error reference=%s %s %s %s", reference, scope["method"], scope["path"], type(exc).__name__
            )
            if not started:
                await answer(scope, send, 500, MESSAGE, title=MESSAGE, extra={"reference": reference})
