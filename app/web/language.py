"""A request (`?lang=`, the answers' own choice, `Accept-Language`) → the language its page speaks, and the
addresses of the same page in every language (the switch)."""

from __future__ import annotations

from dataclasses import replace

from fastapi import Request

from app.story import Language
from app.web.form import LANGUAGE
from app.web.form_steps import Answers, pack

__all__ = [
    "NAMES",
    "Switch",
    "answers_switch",
    "from_header",
    "page_language",
    "request_language",
    "start_switch",
    "with_language",
]

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


def request_language(request: Request, chosen: str | None = None) -> Language:
    """The language a page speaks: the one chosen (in the answers, or `?lang=`), else the browser's."""
    return page_language(chosen or request.query_params.get("lang"), request.headers.get("accept-language", ""))


def with_language(answers: Answers, lang: Language) -> Answers:
    return Answers(replace(answers.state, values={**answers.state.values, LANGUAGE: lang.value}), answers.revision)


Switch = list[tuple[str, str, str]]
"""The language switch: (code, the language's own name, the address of this page in it)."""


def start_switch() -> Switch:
    """The switch of a page that carries no answers: the start page in each language."""
    return [(lang.value, NAMES[lang], f"/?lang={lang.value}") for lang in Language]


def answers_switch(slug: str, answers: Answers) -> Switch:
    """The switch of a page made from the answers alone (check, preview): the same page, the answers in each
    language. A form step's switch is a pair of buttons instead, so what was typed on it is posted too."""
    return [(lang.value, NAMES[lang], f"/prepare/{slug}?a={pack(with_language(answers, lang))}") for lang in Language]
