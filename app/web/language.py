"""A request (`?lang=`, the answers' own choice, `Accept-Language`) → the language its page speaks."""

from __future__ import annotations

from app.story import Language

__all__ = ["NAMES", "from_header", "page_language"]

NAMES = {Language.en: "English", Language.es: "Español"}
"""Each language named in its own words: the switch is read by someone who may not read the page's language."""


def _weight(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        return 0.0


def from_header(header: str) -> Language | None:
    """The language the browser asks for most among those we speak ("es-MX,es;q=0.9,en;q=0.8" → es); q-values
    decide, ties keep the header's order, `q=0` refuses, and a region ("es-US") counts as its language."""
    ranked: list[tuple[float, int, Language]] = []
    for place, part in enumerate(header.split(",")):
        tag, _, params = part.strip().partition(";")
        weight = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name.strip().casefold() == "q":
                weight = _weight(value.strip())
        primary = tag.strip().split("-")[0].casefold()
        if weight > 0 and primary in Language.__members__:
            ranked.append((-weight, place, Language(primary)))
    return min(ranked)[2] if ranked else None


def page_language(chosen: str | None, header: str) -> Language:
    """An explicit choice ("es", kept in the answers or asked for with `?lang=`) wins over what the browser asks."""
    if chosen is not None and chosen in Language.__members__:
        return Language(chosen)
    return from_header(header) or Language.en
