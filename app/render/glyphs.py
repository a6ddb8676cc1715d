"""Text → the same text with every character the bundled fonts cannot draw replaced by a visible "\ufffd".

Emoji are among them on purpose: with Noto Color Emoji in the font list, Pango 1.50 draws every digit from it."""

from __future__ import annotations

import hashlib
import json
import sys
import unicodedata
from pathlib import Path

from fontTools.ttLib import TTFont
from markupsafe import Markup

__all__ = ["COVERAGE_FILE", "MISSING", "Glyphs", "covered_by", "fonts_digest"]

COVERAGE_FILE = "coverage.json"
"""Beside the fonts: the code points they cover, as ranges, with a digest of the fonts they were read from. Reading
every cmap with fontTools cost ≈0.25 s of a cold `taperprep build`; the file is read in a few ms, and ignored (the
cmaps read again) if the fonts changed. Made by `python -m app.render.glyphs templates/assets/fonts`."""
MISSING = "\ufffd"
"""Unicode's replacement character: Noto Sans draws it, and readers know it as "a character was here"."""

# Characters that only adjust the one before them (emoji and text presentation selectors, skin tones, tag sequences,
# ideographic variants) are left out: with no colour emoji font, Pango would fetch one from the system for them.
# The character they adjust is itself shown or replaced, so nothing typed disappears without a mark.
_ADJUSTERS = ((0xFE00, 0xFE0F), (0x1F3FB, 0x1F3FF), (0xE0000, 0xE007F), (0xE0100, 0xE01EF))
_SPACES = {"Zs", "Zl", "Zp"}
_INVISIBLE = {"Cc", "Cf"}


def _adjuster(code: int) -> bool:
    return any(lo <= code <= hi for lo, hi in _ADJUSTERS)


def fonts_digest(fonts_dir: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(fonts_dir.glob("*.ttf")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def covered_by(fonts_dir: Path) -> frozenset[int]:
    """Every code point some bundled font maps to a glyph, read from the fonts themselves."""
    covered: set[int] = set()
    for path in sorted(fonts_dir.glob("*.ttf")):
        with TTFont(path, lazy=True) as font:
            covered.update(font.getBestCmap())
    return frozenset(covered)


def _ranges(codes: frozenset[int]) -> list[list[int]]:
    ranges: list[list[int]] = []
    for code in sorted(codes):
        if ranges and ranges[-1][1] == code - 1:
            ranges[-1][1] = code
        else:
            ranges.append([code, code])
    return ranges


def _covered(fonts_dir: Path) -> frozenset[int]:
    """From COVERAGE_FILE when it was made from these very fonts, else from the fonts."""
    stored = fonts_dir / COVERAGE_FILE
    if stored.is_file():
        data = json.loads(stored.read_text(encoding="utf-8"))
        if data.get("fonts_sha256") == fonts_digest(fonts_dir):
            return frozenset(code for low, high in data["ranges"] for code in range(low, high + 1))
    return covered_by(fonts_dir)


class Glyphs:
    """Built once per renderer from the fonts in `fonts_dir`. Rather than let Pango fall back to whatever the machine
    has (or draw an empty box and log the character), the packet shows the same visible mark on every machine."""

    def __init__(self, fonts_dir: Path) -> None:
        self.covered = _covered(fonts_dir)
        self._as_is = frozenset(chr(code) for code in self.covered if not _adjuster(code))
        """Characters shown unchanged: a string made only of these (nearly all of them) skips the per-character walk,
        which cost ≈0.1 s a render for the ≈50,000 characters of a packet."""

    def shown(self, char: str) -> str:
        """What the packet shows for one character."""
        code = ord(char)
        if _adjuster(code):
            return ""
        if code in self.covered:
            return char
        category = unicodedata.category(char)
        if category in _SPACES:
            return " "
        return char if category in _INVISIBLE else MISSING

    def printable(self, value: object) -> object:
        """Jinja's `finalize`: every `{{ … }}` passes here, so no user text reaches the page unchecked."""
        if not isinstance(value, str) or self._as_is.issuperset(value):
            return value
        replaced = "".join(self.shown(c) for c in value)
        if replaced == value:
            return value
        return Markup(replaced) if isinstance(value, Markup) else replaced


if __name__ == "__main__":
    folder = Path(sys.argv[1])
    coverage = {"fonts_sha256": fonts_digest(folder), "ranges": _ranges(covered_by(folder))}
    (folder / COVERAGE_FILE).write_text(json.dumps(coverage, separators=(",", ":")) + "\n", encoding="utf-8")
