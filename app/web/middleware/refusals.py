"""A status and a plain message → the response a refusal gets: JSON under /api (English, the API's words), a small
HTML page for people in the language their browser asks for (the body, where the form says its language, is unread)."""

from __future__ import annotations

import json
from html import escape

from starlette.datastructures import Headers
from starlette.types import Scope, Send

from app.library.translations import N_, _, speaking
from app.story import Language
from app.web.language import from_header

__all__ = ["GO_BACK", "answer", "plain_answer", "wants_json"]

GO_BACK = N_("Your answers are still in the form: use your browser's Back button to return to them.")
_LABELS = {"reference": N_("Reference")}
_START = N_("Go to the start page")

_PAGE = """<!doctype html>
<html lang="{lang}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} – taperprep</title></head>
<body><main>
<h1>{title}</h1>
{paragraphs}
<p><a href="/">{start}</a></p>
</main></body>
</html>
"""


def wants_json(scope: Scope) -> bool:
    """The JSON API answers in JSON; everything else is a page a person is looking at."""
    return str(scope.get("path", "")).startswith("/api/")


def plain_answer(
    scope: Scope,
    message: str,
    *,
    title: str,
    go_back: bool = False,
    extra: dict[str, str] | None = None,
    fill: dict[str, str] | None = None,
) -> tuple[bytes, str]:
    """The body and content type; the message and title are ours (English msgids, never user text, `{names}`
    filled from `fill` after translation), and escaped all the same."""
    if wants_json(scope):
        return json.dumps({"detail": message.format(**(fill or {})), **(extra or {})}).encode(), "application/json"
    lang = from_header(Headers(scope=scope).get("accept-language", "")) or Language.en
    with speaking(lang):
        lines = [_(message).format(**(fill or {})), *([_(GO_BACK)] if go_back else [])]
        lines += [f"{_(_LABELS.get(k, k.title()))}: {v}" for k, v in (extra or {}).items()]
        paragraphs = "\n".join(f"<p>{escape(line)}</p>" for line in lines)
        page = _PAGE.format(lang=lang.value, title=escape(_(title)), paragraphs=paragraphs, start=escape(_(_START)))
    return page.encode(), "text/html; charset=utf-8"


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
    fill: dict[str, str] | None = None,
) -> None:
    """Sends the whole response from a pure-ASGI middleware, before the app has seen the request."""
    body, content_type = plain_answer(scope, message, title=title, go_back=go_back, extra=extra, fill=fill)
    raw_headers = [
        (b"content-type", content_type.encode()),
        (b"content-length", str(len(body)).encode()),
        *((k.lower().encode(), v.encode()) for k, v in (headers or {}).items()),
    ]
    await send({"type": "http.response.start", "status": status, "headers": raw_headers})
    await send({"type": "http.response.body", "body": body})
