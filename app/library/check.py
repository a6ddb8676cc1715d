"""Folders of resource packs → a PackLibrary, or every rule they break: the one validator behind start-up,
`taperprep build` and `taperprep packs check`."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from app.errors import PackError
from app.library.content import load_content
from app.library.packs import LicenceKind, Pack, PackLibrary
from app.library.readability import MAX_PATIENT_GRADE, grade
from app.library.tag_names import TAGS
from app.library.yaml_text import load_yaml

__all__ = ["BLOCKING", "MAX_WORDS", "RULES", "Problem", "check_folders", "format_problems", "load_checked"]

MAX_WORDS = 110

RULES: dict[str, str] = {
    "folder": "a packs folder exists and each pack folder holds a pack.yaml",
    "schema": "pack.yaml matches the pack format (app/library/packs.py)",
    "unique-id": "pack and excerpt ids are unique across every folder checked",
    "id-prefix": "an excerpt id starts with its pack's id",
    "source": "the pack names its source URL and the date it was accessed",
    "locator": "every excerpt says where in the source it comes from",
    "quote-licence": "`kind: quote` only in a pack whose licence_kind is public_domain",
    "unconfirmed": 'no text says "UNCONFIRMED": unchecked items are left out or worded with their uncertainty',
    "word-limit": f"an excerpt's text has at most {MAX_WORDS} words",
    "reading-grade": f"patient or both-audience text is at or below US grade {MAX_PATIENT_GRADE:g} (Flesch–Kincaid)",
    "unknown-tag": "every tag is one app/library/tag_names.py names (TAGS)",
    "cited": "every excerpt the project's scripts cite (app/library/content/) is in some pack",
}
BLOCKING = frozenset({"folder", "schema", "unique-id", "cited"})
"""Rules without which packets cannot be made: start-up and `taperprep build` refuse; the others are lint."""

_UNCONFIRMED = re.compile(r"unconfirmed", re.I)


@dataclass(frozen=True)
class Problem:
    file: Path
    excerpt: str | None
    rule: str
    message: str


def check_folders(folders: list[Path], cited: frozenset[str] = frozenset()) -> list[Problem]:
    """All problems in all packs under the folders, `cited` excerpt ids included; reads files, changes nothing."""
    return _survey(folders, cited, lint=True)[1]


def load_checked(folders: list[Path]) -> PackLibrary:
    """The packs under the folders as a library, or PackError listing every problem that stops packets being made."""
    packs, problems = _survey(folders, frozenset(load_content().cited()), lint=False)
    if problems:
        raise PackError(format_problems(problems))
    return PackLibrary(tuple(sorted(packs, key=lambda p: (p.order, p.id))))


def _survey(folders: list[Path], cited: frozenset[str], *, lint: bool) -> tuple[list[Pack], list[Problem]]:
    """Every pack that parses, and the problems found: all rules when linting, only BLOCKING ones otherwise."""
    packs: list[Pack] = []
    problems: list[Problem] = []
    seen: dict[str, Path] = {}
    for folder in folders:
        if not folder.is_dir():
            problems.append(Problem(folder, None, "folder", "is not a folder of resource packs"))
            continue
        for pack_dir in sorted(p for p in folder.iterdir() if p.is_dir() and not p.name.startswith(".")):
            path = pack_dir / "pack.yaml"
            if not path.is_file():
                problems.append(Problem(pack_dir, None, "folder", "has no pack.yaml"))
                continue
            pack, found = _check_file(path, seen, lint=lint)
            packs.extend([pack] if pack else [])
            problems.extend(found)
    problems.extend(
        Problem(folders[0], missing, "cited", "the project's scripts cite this excerpt, but no pack has it")
        for missing in sorted(cited - set(seen))
    )
    if not lint:
        problems = [p for p in problems if p.rule in BLOCKING]
    return packs, problems


def format_problems(problems: list[Problem]) -> str:
    """One line per problem, naming file, excerpt and rule; a short all-clear when there are none."""
    if not problems:
        return "Resource packs OK: no problems found."
    lines = [f"{len(problems)} problem{'s' if len(problems) != 1 else ''} in resource packs:"]
    for p in problems:
        where = f"{p.file}" + (f" [{p.excerpt}]" if p.excerpt else "")
        lines.append(f"{where}: {p.rule}: {p.message}")
    return "\n".join(lines)


def _check_file(path: Path, seen: dict[str, Path], *, lint: bool) -> tuple[Pack | None, list[Problem]]:
    try:
        raw = load_yaml(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        return None, [Problem(path, None, "schema", f"cannot be read as YAML: {str(exc).splitlines()[0]}")]
    if not isinstance(raw, dict):
        return None, [Problem(path, None, "schema", "must be a mapping of pack fields")]
    excerpts = [e for e in raw.get("excerpts") or [] if isinstance(e, dict)]
    pack, found = _schema(path, raw)
    found.extend(_ids(path, raw, excerpts, seen))
    if lint:
        found.extend([*_source(path, raw), *_unconfirmed(path, raw)])
        for excerpt in excerpts:
            found.extend(_excerpt(path, raw, excerpt))
    return pack, found


def _schema(path: Path, raw: dict[str, Any]) -> tuple[Pack | None, list[Problem]]:
    try:
        return Pack.model_validate(raw), []
    except ValidationError as exc:
        return None, [
            Problem(path, _excerpt_at(raw, e["loc"]), "schema", f"{'.'.join(map(str, e['loc']))}: {e['msg']}")
            for e in exc.errors()
        ]


def _excerpt_at(raw: dict[str, Any], loc: tuple[int | str, ...]) -> str | None:
    """The id of the excerpt a schema error points into, if it has one."""
    if len(loc) >= 2 and loc[0] == "excerpts" and isinstance(loc[1], int):
        excerpts = raw.get("excerpts")
        if isinstance(excerpts, list) and loc[1] < len(excerpts) and isinstance(excerpts[loc[1]], dict):
            return str(excerpts[loc[1]].get("id") or f"#{loc[1] + 1}")
    return None


def _ids(path: Path, raw: dict[str, Any], excerpts: list[dict[str, Any]], seen: dict[str, Path]) -> Iterator[Problem]:
    pack_id = str(raw.get("id", ""))
    for item_id, excerpt in [(pack_id, None), *[(str(e.get("id", "")), e) for e in excerpts]]:
        if not item_id:
            continue
        name = item_id if excerpt is not None else None
        if item_id in seen:
            yield Problem(path, name, "unique-id", f"id {item_id!r} is already used in {seen[item_id]}")
        else:
            seen[item_id] = path
        if excerpt is not None and pack_id and not item_id.startswith(pack_id + "-"):
            yield Problem(path, name, "id-prefix", f"excerpt id should start with {pack_id + '-'!r}")


def _source(path: Path, raw: dict[str, Any]) -> Iterator[Problem]:
    for field in ("url", "accessed"):
        if not raw.get(field):
            yield Problem(path, None, "source", f"the pack needs `{field}` (its source URL and access date)")


def _strings(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _unconfirmed(path: Path, raw: dict[str, Any]) -> Iterator[Problem]:
    top = {k: v for k, v in raw.items() if k != "excerpts"}
    if any(_UNCONFIRMED.search(s) for s in _strings(top)):
        yield Problem(
            path, None, "unconfirmed", 'pack details say "UNCONFIRMED"; leave the item out or word its uncertainty'
        )


def _excerpt(path: Path, raw: dict[str, Any], excerpt: dict[str, Any]) -> Iterator[Problem]:
    name = str(excerpt.get("id") or "(no id)")
    text = found if isinstance(found := excerpt.get("text"), str) else ""
    if not str(excerpt.get("locator") or "").strip():
        yield Problem(path, name, "locator", "needs a locator: page, section or recommendation number")
    if excerpt.get("kind") == "quote" and raw.get("licence_kind") != LicenceKind.public_domain.value:
        yield Problem(path, name, "quote-licence", "is a quotation, but the pack's licence_kind is not public_domain")
    if any(_UNCONFIRMED.search(s) for s in _strings(excerpt)):
        yield Problem(path, name, "unconfirmed", 'says "UNCONFIRMED"; leave it out or word its uncertainty')
    words = len(text.split())
    if words > MAX_WORDS:
        yield Problem(path, name, "word-limit", f"text has {words} words; the limit is {MAX_WORDS}")
    if excerpt.get("audience", "both") in {"patient", "both"} and (level := grade(text)) > MAX_PATIENT_GRADE:
        yield Problem(
            path,
            name,
            "reading-grade",
            f"text reads at US grade {level:.1f}; patient-facing text must be {MAX_PATIENT_GRADE:g} or below",
        )
    tags = listed if isinstance(listed := excerpt.get("tags"), list) else []
    for tag in tags:
        if tag not in TAGS:
            yield Problem(path, name, "unknown-tag", f"tag {tag!r} is not one app/library/tag_names.py names")
