"""Packet → HTML (Jinja2, autoescaped) → tagged PDF (WeasyPrint), with fonts, CSS and story-independent pages reused."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup
from weasyprint import CSS, HTML, Attachment
from weasyprint.document import Document
from weasyprint.text.fonts import FontConfiguration

from app.packet.build import Packet
from app.render.chart import taper_chart_svg
from app.render.fetcher import AssetFetcher
from app.render.glyphs import Glyphs
from app.render.parts import PAGE_ATTRIBUTE, PART_ATTRIBUTE, PARTS, PartCache, PartMismatch, graft_parts

__all__ = ["PART_CACHE_SIZE", "PDF_VARIANT", "Renderer", "silence_weasyprint_logs"]

PAPER_CSS = {"letter": "@page { size: letter; }", "a4": "@page { size: A4; }"}
PDF_VARIANT = "pdf/ua-1"
PART_CACHE_SIZE = 64
ATTACHMENT_DESCRIPTION = "Your answers (taperprep story, v1) - open it in taperprep to edit them"


def silence_weasyprint_logs() -> None:
    """WeasyPrint logs refused URLs and missing characters, both of which can carry user text: keep them in."""
    logger = logging.getLogger("weasyprint")
    logger.propagate = False
    if not logger.handlers:
        logger.addHandler(logging.NullHandler())


class Renderer:
    """Build once per process (after any fork): the Jinja environment, FontConfiguration, parsed CSS and the
    laid-out evidence and references pages are reused across packets."""

    def __init__(self, templates_dir: Path, part_cache_size: int = PART_CACHE_SIZE) -> None:
        silence_weasyprint_logs()
        self.assets = templates_dir / "assets"
        self.base_url = self.assets.as_uri() + "/"
        self.env = Environment(
            loader=FileSystemLoader(templates_dir),
            autoescape=True,
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            finalize=Glyphs(self.assets / "fonts").printable,  # no glyph silently dropped
        )
        self.env.filters["taper_chart_svg"] = taper_chart_svg
        self.env.globals.update(part_attribute=PART_ATTRIBUTE, page_attribute=PAGE_ATTRIBUTE)
        self.fetcher = AssetFetcher(self.assets)
        self.font_config = FontConfiguration()
        self.stylesheets: dict[str, list[CSS]] = {}
        """Parsed per paper on first use (≈65 ms each): `taperprep build` prints on one paper only."""
        self.parts = PartCache(self._layout, part_cache_size)

    def _stylesheets(self, paper: str, font_config: FontConfiguration) -> list[CSS]:
        def css(**source: str) -> CSS:
            return CSS(**source, base_url=self.base_url, url_fetcher=self.fetcher, font_config=font_config)

        return [css(filename=str(self.assets / "packet.css")), css(string=PAPER_CSS[paper])]

    def _layout(self, html: str, paper: str) -> Document:
        if paper not in self.stylesheets:
            self.stylesheets[paper] = self._stylesheets(paper, self.font_config)
        return HTML(string=html, base_url=self.base_url, url_fetcher=self.fetcher).render(
            stylesheets=self.stylesheets[paper], font_config=self.font_config, pdf_variant=PDF_VARIANT
        )

    def _attachment(self, story_json: bytes) -> Attachment:
        return Attachment(
            string=story_json,
            base_url=self.base_url,
            url_fetcher=self.fetcher,
            name="story.json",
            description=ATTACHMENT_DESCRIPTION,
            relationship="Source",
        )

    def write(self, document: Document, story_json: bytes) -> bytes:
        """A laid-out packet → the tagged PDF/UA-1 bytes with the story attached."""
        pdf: bytes = document.write_pdf(
            attachments=[self._attachment(story_json)], pdf_variant=PDF_VARIANT, uncompressed_pdf=False
        )
        return pdf

    def _packet_html(self, packet: Packet, **context: Any) -> str:
        return self.env.get_template("packet.html.j2").render(packet=packet, **context)

    def html(self, packet: Packet, stylesheet_href: str | None = None) -> str:
        """The packet page, every part in place; with `stylesheet_href` it links its CSS for a browser preview."""
        return self._packet_html(packet, stylesheet_href=stylesheet_href, part_pages=None)

    def layout(self, packet: Packet) -> Document:
        """The packet laid out with its story-independent parts taken from the cache (laid out on a miss).

        The parts are laid out first; the packet template only learns how many empty pages to leave for each, so
        page counters and the running footer stay right. Raises PartMismatch if the story's layout left the wrong
        number of pages for a part."""
        documents = {name: self.parts.get(html, packet.paper) for name, html in self._parts(packet).items()}
        part_pages = {name: len(document.pages) for name, document in documents.items()}
        story_html = self._packet_html(packet, stylesheet_href=None, part_pages=part_pages)
        return graft_parts(self._layout(story_html, packet.paper), documents)

    def _parts(self, packet: Packet) -> dict[str, str]:
        """Each part this packet prints, as its own small HTML document (the cache key)."""
        wrapper = self.env.get_template("part.html.j2")
        bodies = {name: self.env.get_template(f"parts/{name}.html.j2").render(packet=packet) for name in PARTS}
        return {name: wrapper.render(packet=packet, body=Markup(body)) for name, body in bodies.items() if body.strip()}

    def pdf(self, packet: Packet, story_json: bytes) -> bytes:
        """A tagged PDF/UA-1 with the story embedded as story.json, so a saved packet can be reopened."""
        try:
            document = self.layout(packet)
        except PartMismatch:
            document = self._layout(self.html(packet), packet.paper)
        return self.write(document, story_json)

    def pdf_from_scratch(self, packet: Packet, story_json: bytes) -> bytes:
        """The naive reference the fast path is measured and checked against: the same HTML, CSS and options,
        with a fresh FontConfiguration and freshly parsed CSS, every page laid out on every call."""
        font_config = FontConfiguration()
        pdf: bytes = HTML(string=self.html(packet), base_url=self.base_url, url_fetcher=self.fetcher).write_pdf(
            stylesheets=self._stylesheets(packet.paper, font_config),
            font_config=font_config,
            attachments=[self._attachment(story_json)],
            pdf_variant=PDF_VARIANT,
            uncompressed_pdf=False,
        )
        return pdf
