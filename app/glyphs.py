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

# Characters that draw nothing themselves pass: line ends, spaces, format characters (joiners), variation selectors,
# emoji skin-tone modifiers and tag characters, which only steer how their neighbour is drawn (so 👍🏽 shows one mark).
_INVISIBLE_CATEGORIES = {"Cc", "Cf", "Zs", "Zl", "Zp"}
_INVISIBLE_RANGES = ((0xFE00, 0xFE0F), (0x1F3FB, 0x1F3FF), (0xE0000, 0xE007F), (0xE0100, 0xE01EF))


def _invisible(char: str) -> bool:
    code = ord(char)
    return unicodedata.category(char) in _INVISIBLE_CATEGORIES or any(lo <= code <= hi for lo, hi in _INVISIBLE_RANGES)


class Glyphs:
    """Built once per renderer from the fonts in `fonts_dir`. Rather than let Pango fall back to whatever the machine has
    (or draw an empty box and log the character), the packet shows the same visible mark on every machine."""

    def __init__(self, fonts_dir: Path) -> None:
        covered: set[int] = set()
        for path in sorted(fonts_dir.glob("*.ttf")):
            with TTFont(path, lazy=True) as font:
                covered.update(font.getBestCmap())
        self.covered = frozenset(covered)

    def drawable(self, char: str) -> bool:
        return ord(char) in self.covered or _invisible(char)

    def printable(self, value: object) -> object:
        """Jinja's `finalize`: every `{{ … }}` passes here, so no user text reaches the page unchecked."""
        if not isinstance(value, str):
            return value
        replaced = "".join(c if self.drawable(c) else MISSING for c in value)
        if replaced == value:
            return value
        return Markup(replaced) if isinstance(value, Markup) else replaced
