"""Gettext catalogs (app/library/locale/<lang>/LC_MESSAGES/<domain>.po) → the words of the language being spoken.

English is the source language: its words are the message ids, so English needs no catalog. Every other language
reads its `.po` files once per process, the first time it is spoken, and compiles them in memory: there is no compiled
`.mo` file to build, ship or let go stale, and a process that only ever speaks English never reads a catalog.

Which language is spoken is a context variable set by `speaking()` around the work of one request (building a
Packet, rendering it, drawing a form page), so the pure functions below it stay pure in their arguments and simply ask
`_()` for their words.
"""

from __future__ import annotations

import gettext as _gettext
import io
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from app.story import Language

if TYPE_CHECKING:
    from jinja2 import Environment

__all__ = [
    "DOMAINS",
    "LOCALE_DIR",
    "N_",
    "_",
    "catalog_files",
    "install_words",
    "language",
    "ngettext",
    "pgettext",
    "speaking",
    "translations",
]

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DOMAINS = ("web", "documents", "content")
"""One catalog per audience, each extracted from its own sources (Makefile `i18n`, babel.cfg): the form, preview and
refusal pages (app/web, app/main.py, templates/web), the two documents (app/packet, app/render, the document
templates) and the clinical content (app/library, its content, resource_packs). Merged into one translation at run
time."""

_SPOKEN: ContextVar[Language] = ContextVar("language", default=Language.en)


def language() -> Language:
    """The language being spoken now."""
    return _SPOKEN.get()


@contextmanager
def speaking(spoken: Language | str) -> Iterator[None]:
    """Speak `spoken` inside the block (and in threads started from it with the context copied)."""
    token = _SPOKEN.set(Language(spoken))
    try:
        yield
    finally:
        _SPOKEN.reset(token)


def catalog_files(spoken: Language) -> list[Path]:
    return [LOCALE_DIR / spoken.value / "LC_MESSAGES" / f"{domain}.po" for domain in DOMAINS]


@cache
def translations(spoken: Language) -> _gettext.NullTranslations:
    """The merged catalogs of a language, compiled in memory (babel reads the .po; fuzzy entries are left out)."""
    if spoken is Language.en:
        return _gettext.NullTranslations()
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    merged: _gettext.NullTranslations | None = None
    for path in catalog_files(spoken):
        with path.open("rb") as po:
            catalog = read_po(po, locale=spoken.value, domain=path.stem)
        compiled = io.BytesIO()
        write_mo(compiled, catalog)
        compiled.seek(0)
        one = _gettext.GNUTranslations(compiled)
        if merged is None:
            merged = one
        else:
            merged.add_fallback(one)
    return merged or _gettext.NullTranslations()


def _(message: str) -> str:
    """`message` (English, the msgid) in the language being spoken."""
    return translations(_SPOKEN.get()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return translations(_SPOKEN.get()).ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    """For the same English words that need different translations (e.g. a label and a sentence)."""
    return translations(_SPOKEN.get()).pgettext(context, message)


def install_words(env: Environment) -> None:
    """A Jinja environment (with `jinja2.ext.i18n`) speaks through these: `{{ _("…%(name)s…", name=x) }}` and
    `{% trans %}` are newstyle, so values are escaped and a literal percent sign is written `%%`."""
    env.install_gettext_callables(_, ngettext, newstyle=True, pgettext=pgettext)  # type: ignore[attr-defined]


def N_(message: str) -> str:
    """Marks `message` for extraction where it is defined (a constant); translate it with `_()` where it is used."""
    return message
