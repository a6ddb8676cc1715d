"""The words inside our YAML (content, resource packs) → gettext messages: extracted for the catalogs, and translated
when the YAML is loaded in another language. One list of keys says which values are words, for both."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import IO, Any

import yaml

__all__ = ["NAMES_AT_TOP", "WORD_KEYS", "extract", "translated"]

WORD_KEYS = frozenset(
    {
        "title",
        "plain",
        "text",
        "locator",
        "patient",
        "caregiver",
        "what",
        "by",
        "contact",
        "when",
        "intro",
        "heading",
        "body",
        "note",
        "subject",
        "values_heading",
        "values_hint",
        "values_examples",
        "risks",
        "benefits",
        "instead",
        "after",
        "say",
        "credit",
        "reference",
    }
)
"""Keys whose values are words a reader sees (a `reference` is translated around the source's own title, which stays
as published). Everything else stays as written: ids, tags, URLs, dates, licences, and names (`name`: an
organisation's or a service's own name; `short`, `publisher`)."""

NAMES_AT_TOP = frozenset({"title"})
"""Keys that are words inside a file but a name at its top: a pack's `title` is its source's own title."""


def _is_word(key: object, top: bool) -> bool:
    return key in WORD_KEYS and not (top and key in NAMES_AT_TOP)


def _words(node: yaml.Node, under_word_key: bool, top: bool) -> Iterator[tuple[int, str]]:
    if isinstance(node, yaml.ScalarNode):
        if under_word_key and node.tag == "tag:yaml.org,2002:str" and node.value.strip():
            yield node.start_mark.line + 1, node.value
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            yield from _words(item, under_word_key, False)
    elif isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            yield from _words(value, isinstance(key, yaml.ScalarNode) and _is_word(key.value, top), False)


def extract(
    fileobj: IO[bytes],
    keywords: object,  # noqa: ARG001 - Babel's extractor signature
    comment_tags: object,  # noqa: ARG001
    options: dict[str, Any],  # noqa: ARG001
) -> Iterator[tuple[int, str, str, list[str]]]:
    """A Babel extraction method (babel.cfg `[yaml: …]`): every word value, with its line."""
    root = yaml.compose(fileobj.read().decode("utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    if root is not None:
        for line, words in _words(root, False, True):
            yield line, "gettext", words, []


def translated(data: Any, gettext: Callable[[str], str], under_word_key: bool = False, top: bool = True) -> Any:
    """Parsed YAML (a whole file, or from its top mapping down) with every word value put through `gettext`: the
    same values `extract` reads."""
    if isinstance(data, str):
        return gettext(data) if under_word_key and data.strip() else data
    if isinstance(data, list):
        return [translated(item, gettext, under_word_key, False) for item in data]
    if isinstance(data, dict):
        return {key: translated(value, gettext, _is_word(key, top), False) for key, value in data.items()}
    return data
