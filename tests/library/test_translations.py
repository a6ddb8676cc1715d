"""The gettext catalogs: complete, current with the sources, and safe to format."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

from app.library.translations import DOMAINS, _, catalog_files, language, speaking, translations
from app.story import Language
from tests.helpers import ROOT

OTHER_LANGUAGES = [lang for lang in Language if lang is not Language.en]
CATALOGS = [path for lang in OTHER_LANGUAGES for path in catalog_files(lang)]
PLACEHOLDER = re.compile(r"\{[a-z_]*\}|%\([a-z_]+\)s|%%")
VOICE_WORDS = {
    f"{{{word}}}"
    for word in ("subject", "subject_mid", "have", "am", "pronoun", "pronoun_have", "object", "possessive")
}


def _read(path: Path) -> Catalog:
    with path.open("rb") as po:
        return read_po(po)


@pytest.mark.parametrize("path", CATALOGS, ids=lambda p: f"{p.parent.parent.name}/{p.name}")
def test_every_message_is_translated_and_none_is_fuzzy(path: Path) -> None:
    catalog = _read(path)
    untranslated = [m.id for m in catalog if m.id and not (m.string if isinstance(m.string, str) else all(m.string))]
    fuzzy = [m.id for m in catalog if m.id and m.fuzzy]
    assert not untranslated, f"{len(untranslated)} untranslated in {path.name}, e.g. {untranslated[:3]}"
    assert not fuzzy, f"{len(fuzzy)} fuzzy (changed in English: check the translation) in {path.name}: {fuzzy[:3]}"


@pytest.mark.parametrize("path", CATALOGS, ids=lambda p: f"{p.parent.parent.name}/{p.name}")
def test_a_translation_keeps_every_placeholder_of_its_message(path: Path) -> None:
    """A placeholder misspelt in a translation would raise at render time, and one left out would drop what the
    person typed. Only the Voice's own words may be left out (Spanish drops a subject pronoun: "dejó de tomarlo")."""
    for message in _read(path):
        if not message.id or not message.string:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        wanted = set(PLACEHOLDER.findall(ids[-1]))
        for string in strings:
            found = set(PLACEHOLDER.findall(string))
            assert found <= wanted, f"{message.id!r} → {string!r}: {found - wanted} is not in the message"
            assert wanted - found <= VOICE_WORDS, (
                f"{message.id!r} → {string!r} leaves out {wanted - found - VOICE_WORDS}"
            )


def test_the_same_words_in_two_catalogs_are_translated_the_same() -> None:
    for lang in OTHER_LANGUAGES:
        seen: dict[tuple[str | None, str], tuple[str, str]] = {}
        for path in catalog_files(lang):
            for message in _read(path):
                if not message.id or not isinstance(message.id, str):
                    continue
                key = (message.context, message.id)
                if key in seen:
                    other, where = seen[key]
                    assert message.string == other, f"{message.id!r}: {path.name} and {where} disagree"
                seen[key] = (str(message.string), path.name)


def test_the_catalogs_are_current_with_the_sources(tmp_path: Path) -> None:
    """`make i18n` was run after the last change to any translatable words: extracting again adds or removes
    nothing."""
    copy = tmp_path / "project"
    shutil.copytree(ROOT, copy, ignore=shutil.ignore_patterns(".venv*", ".git", "__pycache__", "*.pdf", ".*cache"))
    before = {path.relative_to(copy): {m.id for m in _read(path)} for path in copy.rglob("locale/*/*/*.po")}
    subprocess.run(
        ["make", "--no-print-directory", "-s", "i18n", f"VENV={Path(sys.executable).parent.parent}"],
        cwd=copy,
        check=True,
        capture_output=True,
    )
    after = {path.relative_to(copy): {m.id for m in _read(path)} for path in copy.rglob("locale/*/*/*.po")}
    for path, ids in after.items():
        assert ids == before.get(path), f"{path}: run `make i18n` (new: {list(ids - before.get(path, set()))[:3]})"


def test_english_reads_no_catalog_and_speaks_its_own_words() -> None:
    assert language() is Language.en
    assert _("A sentence nobody translated.") == "A sentence nobody translated."
    assert type(translations(Language.en)).__name__ == "NullTranslations"


@pytest.mark.parametrize("lang", OTHER_LANGUAGES)
def test_speaking_a_language_translates_inside_the_block_only(lang: Language) -> None:
    messages = [m for path in catalog_files(lang) for m in _read(path)]
    message = next(m for m in messages if m.id and isinstance(m.id, str) and m.string and not m.context and not m.fuzzy)
    with speaking(lang):
        assert language() is lang
        assert _(message.id) == message.string
    assert language() is Language.en
    assert _(message.id) == message.id


def test_every_domain_has_a_catalog_for_every_language() -> None:
    for lang in OTHER_LANGUAGES:
        assert [p.stem for p in catalog_files(lang) if p.is_file()] == list(DOMAINS)
