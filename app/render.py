"""Packet → HTML (Jinja2, autoescaped) → tagged PDF (WeasyPrint), with fonts and CSS parsed once per process."""

from __future__ import annotations

import logging
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from weasyprint import CSS, HTML, Attachment
from weasyprint.text.fonts import FontConfiguration

from app.fetcher import AssetFetcher
from app.packet import Packet

__all__ = ["Renderer", "silence_weasyprint_logs"]

PAPER_CSS = {"letter": "@page { size: letter; }", "a4": "@page { size: A4; }"}


def silence_weasyprint_logs() -> None:
    """WeasyPrint logs refused URLs and missing characters, both of which can carry user text: keep them in."""
    logger = logging.getLogger("weasyprint")
    logger.propagate = False
    if not logger.handlers:
        logger.addHandler(logging.NullHandler())


class Renderer:
    """Build once per process (after any fork): the Jinja environment, FontConfiguration and parsed CSS are reused."""

    def __init__(self, templates_dir: Path) -> None:
        silence_weasyprint_logs()
        self.assets = templates_dir / "assets"
        self.base_url = self.assets.as_uri() + "/"
        self.env = Environment(
            loader=FileSystemLoader(templates_dir),
            autoescape=True,
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.fetcher = AssetFetcher(self.assets)
        self.font_config = FontConfiguration()
        self.stylesheet = self._css(filename=str(self.assets / "packet.css"))
        self.paper = {paper: self._css(string=css) for paper, css in PAPER_CSS.items()}

    def _css(self, **source: str) -> CSS:
        return CSS(**source, base_url=self.base_url, url_fetcher=self.fetcher, font_config=self.font_config)

    def html(self, packet: Packet, stylesheet_href: str | None = None) -> str:
        """The packet page; with `stylesheet_href` it links its CSS for a browser preview."""
        return self.env.get_template("packet.html.j2").render(packet=packet, stylesheet_href=stylesheet_href)

    def pdf(self, packet: Packet, story_json: bytes) -> bytes:
        """A tagged PDF/UA-1 with the story embedded as story.json, so a saved packet can be reopened."""
        document = HTML(string=self.html(packet), base_url=self.base_url, url_fetcher=self.fetcher)
        attachment = Attachment(
            string=story_json,
            base_url=self.base_url,
            url_fetcher=self.fetcher,
            name="story.json",
            description="Your answers (taperprep story, v1) - open it in taperprep to edit them",
            relationship="Source",
        )
        return document.write_pdf(
            stylesheets=[self.stylesheet, self.paper[packet.paper]],
            font_config=self.font_config,
            attachments=[attachment],
            pdf_variant="pdf/ua-1",
            uncompressed_pdf=False,
        )
