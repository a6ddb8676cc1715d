"""Every response → the same protective headers: strict CSP, no sniffing, no referrer, no cached stories, no cookies."""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.types import Message, Receive, Scope, Send

from app.web.middleware.base import HTTPMiddleware

__all__ = ["CSP", "STATIC_PREFIXES", "SecurityHeaders", "security_headers"]

CSP = "default-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
STATIC_PREFIXES = ("/assets/", "/static/", "/docs-assets/")
"""Our own files, identical for everyone: the only responses a browser may cache."""


def security_headers(path: str) -> dict[str, str]:
    """Decided from the path alone, so every status (200, 413, 422, 500, 503) carries the same headers."""
    headers = {
        "Content-Security-Policy": CSP,
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
        "X-Frame-Options": "DENY",
    }
    if not path.startswith(STATIC_PREFIXES):
        headers["Cache-Control"] = "no-store"
    return headers


class SecurityHeaders(HTTPMiddleware):
    """Pure ASGI: sets the headers on the way out and strips any Set-Cookie (taperprep keeps no state)."""

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        wanted = security_headers(scope["path"])

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                del headers["set-cookie"]
                for name, value in wanted.items():
                    headers[name] = value
            await send(message)

        await self.app(scope, receive, send_with_headers)
