"""A status and a plain message → the response a refusal gets: JSON under /api, a small HTML page for people."""

from __future__ import annotations

import json
from html import escape

from starlette.types import Scope, Send

__all__ = ["GO_BACK", "answer", "plain_answer", "wants_json"]

GO_BACK = "Your answers are still in the form: use your browser's Back button to return to them."

_PAGE = """<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} – taperprep</title></head>
<body><main>
<h1>{title}</h1>
{paragraphs}
<p><a href="/">Go to the start page</a></p>
</main></body>
</html>
"""


def wants_json(scope: Scope) -> bool:
    """The JSON API answers in JSON; everything else is a page a person is looking at."""
    return str(scope.get("path", "")).startswith("/api/")


def plain_answer(
    scope: Scope, message: str, *, title: str, go_back: bool = False, extra: dict[str, str] | None = None
) -> tuple[bytes, str]:
    """The body and content type; the message is ours (never user text), and escaped all the same."""
    if wants_json(scope):
        return json.dumps({"detail": message, **(extra or {})}).encode(), "application/json"
    lines = [message, *([GO_BACK] if go_back else []), *(f"{k.title()}: {v}" for k, v in (extra or {}).items())]
    paragraphs = "\n".join(f"<p>{escape(line)}</p>" for line in lines)
    return _PAGE.format(title=escape(title), paragraphs=paragraphs).encode(), "text/html; charset=utf-8"


async def answer(
    scope: Scope,
    send: Send,
    status: int,
    message: str,
    *,
    title: str,
    go_back: bool = False,
    extra: dict[str, str] | None = None,
    headers: dict[str, str] | None = None,
) -> None:
    """Sends the whole response from a pure-ASGI middleware, before the app has seen the request."""
    body, content_type = plain_answer(scope, message, title=title, go_back=go_back, extra=extra)
    raw_headers = [
        (b"content-type", content_type.encode()),
        (b"content-length", str(len(body)).encode()),
        *((k.lower().encode(), v.encode()) for k, v in (headers or {}).items()),
    ]
    await send({"type": "http.response.start", "status": status, "headers": raw_headers})
    await send({"type": "http.response.body", "body": body})
