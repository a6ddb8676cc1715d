"""Text → the same text with every character the bundled fonts cannot draw replaced by a visible "\ufffd".

Emoji are among them on purpose: with Noto Color Emoji in the font list, Pango 1.50 draws every digit from it."""

from __future__ import annotations

import unicodedata
from pathlib import Path

from fontTools.ttLib import TTFont
from markupsafe import Markup

__all__ = ["MISSING", "Glyphs"]

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


class Glyphs:
    """Built once per renderer from the fonts in `fonts_dir`. Rather than let Pango fall back to whatever the machine
    has (or draw an empty box and log the character), the packet shows the same visible mark on every machine."""

    def __init__(self, fonts_dir: Path) -> None:
        covered: set[int] = set()
        for path in sorted(fonts_dir.glob("*.ttf")):
            with TTFont(path, lazy=True) as font:
                covered.update(font.getBestCmap())
        self.covered = frozenset(covered)
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
