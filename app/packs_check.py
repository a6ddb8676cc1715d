"""Folders of resource packs → every rule a pack breaks (the linter behind `taperprep packs check`)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from app.packs import LicenceKind, Pack
from app.readability import MAX_PATIENT_GRADE, grade
from app.tags import TAGS

__all__ = ["MAX_WORDS", "RULES", "Problem", "check_folders", "format_problems"]

MAX_WORDS = 110

RULES: dict[str, str] = {
    "folder": "a packs folder exists and each pack folder holds a pack.yaml",
    "schema": "pack.yaml matches the pack format (app/packs.py)",
    "unique-id": "pack and excerpt ids are unique across every folder checked",
    "id-prefix": "an excerpt id starts with its pack's id",
    "source": "the pack names its source URL and the date it was accessed",
    "locator": "every excerpt says where in the source it comes from",
    "quote-licence": "`kind: quote` only in a pack whose licence_kind is public_domain",
    "unconfirmed": 'no text says "UNCONFIRMED": unchecked items are left out or worded with their uncertainty',
    "word-limit": f"an excerpt's text has at most {MAX_WORDS} words",
    "reading-grade": f"patient or both-audience text is at or below US grade {MAX_PATIENT_GRADE:g} (Flesch–Kincaid)",
    "unknown-tag": "every tag is one app/tags.py produces (TAGS)",
}

_UNCONFIRMED = re.compile(r"unconfirmed", re.I)


@dataclass(frozen=True)
class Problem:
    file: Path
    excerpt: str | None
    rule: str
    message: str


def check_folders(folders: list[Path]) -> list[Problem]:
    """All problems in all packs under the folders; reads files, changes nothing."""
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
            problems.extend(_check_file(path, seen))
    return problems


def format_problems(problems: list[Problem]) -> str:
    """One line per problem, naming file, excerpt and rule; a short all-clear when there are none."""
    if not problems:
        return "Resource packs OK: no problems found."
    lines = [f"{len(problems)} problem{'s' if len(problems) != 1 else ''} in resource packs:"]
    for p in problems:
        where = f"{p.file}" + (f" [{p.excerpt}]" if p.excerpt else "")
        lines.append(f"{where}: {p.rule}: {p.message}")
    return "\n".join(lines)


def _check_file(path: Path, seen: dict[str, Path]) -> list[Problem]:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        return [Problem(path, None, "schema", f"cannot be read as YAML: {str(exc).splitlines()[0]}")]
    if not isinstance(raw, dict):
        return [Problem(path, None, "schema", "must be a mapping of pack fields")]
    excerpts = [e for e in raw.get("excerpts") or [] if isinstance(e, dict)]
    found = [
        *_schema(path, raw),
        *_ids(path, raw, excerpts, seen),
        *_source(path, raw),
        *_unconfirmed(path, raw),
    ]
    for excerpt in excerpts:
        found.extend(_excerpt(path, raw, excerpt))
    return found


def _schema(path: Path, raw: dict[str, Any]) -> Iterator[Problem]:
    try:
        Pack.model_validate(raw)
    except ValidationError as exc:
        for error in exc.errors():
            loc = error["loc"]
            yield Problem(path, _excerpt_at(raw, loc), "schema", f"{'.'.join(map(str, loc))}: {error['msg']}")


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
        yield Problem(path, None, "unconfirmed", 'pack details say "UNCONFIRMED"; leave the item out or word its uncertainty')


def _excerpt(path: Path, raw: dict[str, Any], excerpt: dict[str, Any]) -> Iterator[Problem]:
    name = str(excerpt.get("id") or "(no id)")
    text = excerpt.get("text") if isinstance(excerpt.get("text"), str) else ""
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
            path, name, "reading-grade",
            f"text reads at US grade {level:.1f}; patient-facing text must be {MAX_PATIENT_GRADE:g} or below",
        )
    tags = excerpt.get("tags") if isinstance(excerpt.get("tags"), list) else []
    for tag in tags:
        if tag not in TAGS:
            yield Problem(path, name, "unknown-tag", f"tag {tag!r} is not one app/tags.py produces")
