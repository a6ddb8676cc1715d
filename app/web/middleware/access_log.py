"""Requests → one access-log line each (method, path, status, duration), and the log config `taperprep serve` uses."""

from __future__ import annotations

import copy
import logging
import time
from typing import Any

from starlette.types import Message, Receive, Scope, Send
from uvicorn.config import LOGGING_CONFIG

from app.web.middleware.base import HTTPMiddleware

__all__ = ["LOG_CONFIG", "AccessLog", "access_log"]

access_log = logging.getLogger("taperprep.access")


def _log_config() -> dict[str, Any]:
    """uvicorn's own config plus the `taperprep` loggers on stderr. uvicorn's access log stays off (it logs the query
    string and the client address); ours logs the path without its query, so nothing typed can reach a log line."""
    config = copy.deepcopy(LOGGING_CONFIG)
    config["formatters"]["taperprep"] = {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}
    config["handlers"]["taperprep"] = {
        "class": "logging.StreamHandler",
        "formatter": "taperprep",
        "stream": "ext://sys.stderr",
    }
    config["loggers"]["taperprep"] = {"handlers": ["taperprep"], "level": "INFO", "propagate": False}
    return config


LOG_CONFIG = _log_config()


class AccessLog(HTTPMiddleware):
    """Outermost middleware, so the status it logs is the one the client got, refusals and failures included."""

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        started = time.perf_counter()
        status = 0
        logged = False

        def log() -> None:
            nonlocal logged
            logged = True
            access_log.info(
                "%s %s %s %.0fms", scope["method"], scope["path"], status or "-", (time.perf_counter() - started) * 1000
            )

        async def send_and_note(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            elif message["type"] == "http.response.body" and not message.get("more_body", False):
                log()  # before the last byte leaves: once a client has its answer, the line exists
            await send(message)

        try:
            await self.app(scope, receive, send_and_note)
        finally:
            if not logged:
                log()
