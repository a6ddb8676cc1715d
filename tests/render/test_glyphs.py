"""The fonts' coverage file → the same code points fontTools reads from the fonts, and ignored once they change."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from app.render.glyphs import COVERAGE_FILE, Glyphs, covered_by, fonts_digest
from app.settings import ROOT

FONTS = ROOT / "templates" / "assets" / "fonts"


def test_the_shipped_coverage_file_matches_the_bundled_fonts() -> None:
    """Fails after a font is added or changed: run `python -m app.render.glyphs templates/assets/fonts`."""
    data = json.loads((FONTS / COVERAGE_FILE).read_text(encoding="utf-8"))
    assert data["fonts_sha256"] == fonts_digest(FONTS)
    assert Glyphs(FONTS).covered == covered_by(FONTS)


def test_a_stale_coverage_file_is_ignored(tmp_path: Path) -> None:
    shutil.copy(FONTS / "NotoSansHebrew-Regular.ttf", tmp_path)
    (tmp_path / COVERAGE_FILE).write_text(json.dumps({"fonts_sha256": "stale", "ranges": [[65, 66]]}), encoding="utf-8")
    glyphs = Glyphs(tmp_path)
    assert glyphs.covered == covered_by(tmp_path) and 0x05D0 in glyphs.covered
