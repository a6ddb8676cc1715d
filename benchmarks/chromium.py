"""Packet HTML → PDF printed by headless Chromium (Debian's package through Playwright, launched as the browser tests
launch it): the tool a person would reach for instead of taperprep, measured on the same HTML and CSS."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from types import TracebackType

from playwright.sync_api import sync_playwright

__all__ = ["ChromiumPrinter"]

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run", "--disable-sync"]
FORMATS = {"letter": "Letter", "a4": "A4"}


class ChromiumPrinter:
    """One browser and one tab for the whole run, so each print is a warm one, like taperprep's warm renders."""

    def __init__(self) -> None:
        chromium = shutil.which("chromium")
        if not chromium:
            raise SystemExit("bench: Debian's chromium package is needed (`make system-deps` installs it)")
        self._folder = tempfile.TemporaryDirectory(prefix="taperprep-bench-chromium-")
        self._playwright = sync_playwright().start()
        self._browser = self._playwright.chromium.launch(executable_path=chromium, args=ARGS)
        self._page = self._browser.new_page()

    def pdf(self, html: str, paper: str) -> bytes:
        """The page loaded from a file (so its stylesheet and fonts load from `templates/assets/`), then printed."""
        path = Path(self._folder.name) / "packet.html"
        path.write_text(html, encoding="utf-8")
        self._page.goto(path.as_uri())
        self._page.evaluate("document.fonts.ready.then(() => true)")
        return self._page.pdf(format=FORMATS[paper], print_background=True, prefer_css_page_size=True)

    def __enter__(self) -> ChromiumPrinter:
        return self

    def __exit__(self, *_: type[BaseException] | BaseException | TracebackType | None) -> None:
        self._browser.close()
        self._playwright.stop()
        self._folder.cleanup()
