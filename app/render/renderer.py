"""Packet → HTML (Jinja2, autoescaped) → tagged PDF (WeasyPrint): the prescriber copy and the personal booklet, each
laid out as its own document (its own "Page x of y"), printed alone or one after the other; story-free pages are
laid out once and replayed (app/render/parts.py)."""

from __future__ import annotations

import logging
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from weasyprint import CSS, HTML, Attachment
from weasyprint.document import Document
from weasyprint.text.fonts import FontConfiguration

from app.library.translations import N_, _, install_words, speaking
from app.packet.build import Packet
from app.packet.copies import Copy, printed
from app.packet.words import and_list, page_of_words
from app.render.after_taper import TAPER_TAILS_SIZE, TaperEnds, page_after_taper, taper_end
from app.render.chart import progress_chart_svg, taper_chart_svg
from app.render.collector import fewer_collections
from app.render.fetcher import AssetFetcher
from app.render.fit import fit_summary
from app.render.glyphs import Glyphs
from app.render.parts import (
    CachedPage,
    GuidanceView,
    PartCache,
    PartMismatch,
    Shown,
    TailView,
    booklet_guidance,
    graft_parts,
    plan_prefilled,
    prescriber_tail,
    tail_waits_for_taper,
)
from app.render.split import head_split, replay_split
from app.story import Language

__all__ = ["PAPER_CSS", "PART_CACHE_SIZE", "PDF_VARIANT", "Renderer", "silence_weasyprint_logs"]

PAPER_CSS = {"letter": "@page { size: letter; }", "a4": "@page { size: A4; }"}
PDF_VARIANT = "pdf/ua-1"
PART_CACHE_SIZE = 16
"""Laid-out story-free parts kept per process, least recently used dropped first: one per selection, country, paper,
print size and language seen lately, ≈1.3 MB each (tracemalloc, a 2–3-page part) and ≈30 KB a page of recorded drawing
(app/render/drawn.py), so ≤ ≈22 MB a worker, and ≤ ≈6 MB more of tails after a taper (TAPER_TAILS_SIZE)."""
TAIL = "prescriber-tail"
GUIDANCE = "booklet-guidance"
ATTACHMENT_DESCRIPTION = N_("Your answers (taperprep story, v1) - open it in taperprep to edit them")
SUMMARY_END = "summary-end"
"""The anchor closing page 1 (partials/summary.html.j2): on the first page means the summary fits."""
TITLES = {Copy.prescriber: N_("For the prescriber"), Copy.personal: N_("Notes for the conversation")}


def silence_weasyprint_logs() -> None:
    """WeasyPrint logs refused URLs and missing characters, both of which can carry user text: keep them in."""
    logger = logging.getLogger("weasyprint")
    logger.propagate = False
    if not logger.handlers:
        logger.addHandler(logging.NullHandler())


class Renderer:
    """Build once per process (after any fork): the Jinja environment, FontConfiguration, parsed CSS and the laid-out
    story-free parts are reused."""

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
            finalize=Glyphs(self.assets / "fonts").printable,  # issue 8: no glyph silently dropped
            extensions=["jinja2.ext.i18n"],
        )
        install_words(self.env)
        self.env.filters["taper_chart_svg"] = taper_chart_svg
        self.env.filters["progress_chart_svg"] = progress_chart_svg
        self.fetcher = AssetFetcher(self.assets)
        self.font_config = FontConfiguration()
        self.stylesheets: dict[str, list[CSS]] = {}
        """Parsed per paper on first use (≈65 ms each): `taperprep build` prints on one paper only."""
        self.parts = PartCache(self._layout, part_cache_size)
        self.taper_tails = PartCache(self._layout, min(part_cache_size, TAPER_TAILS_SIZE))
        """Tails after a taper, kept apart: each fits one taper, so they never push out the parts every story shares."""
        self.taper_ends = TaperEnds()
        self.replay = part_cache_size > 0
        """With no room for a part, story-free pages are laid out in place like the rest."""
        self.part_mismatches = 0
        """Copies laid out whole because a cached part's placeholders did not line up (none expected)."""
        self.replayed_pages = 0
        """Cached pages grafted into copies so far (the tests and the bench read it)."""

    def stylesheets_for(self, paper: str) -> list[CSS]:
        """The packet CSS and the paper's size, parsed once per process (a worker's warm-up parses every paper)."""
        if paper not in self.stylesheets:
            self.stylesheets[paper] = self._stylesheets(paper, self.font_config)
        return self.stylesheets[paper]

    def _stylesheets(self, paper: str, font_config: FontConfiguration) -> list[CSS]:
        def css(**source: str) -> CSS:
            return CSS(**source, base_url=self.base_url, url_fetcher=self.fetcher, font_config=font_config)

        return [css(filename=str(self.assets / "packet.css")), css(string=PAPER_CSS[paper])]

    def _html(
        self,
        packet: Packet,
        parts: list[str],
        stylesheet_href: str | None = None,
        cached_pages: int = 0,
        tail_whole: bool = False,
        plan_only: bool = False,
        guidance_pages: int = 0,
        shown: Shown | None = None,
        options_shown: Shown | None = None,
        guidance_replayed: bool = False,
        tail_head: bool = False,
    ) -> str:
        with speaking(packet.lang):
            title = f"{packet.title} — " + and_list(_(TITLES[Copy(p)]) for p in parts if p in TITLES)
            return self.env.get_template("document.html.j2").render(
                packet=packet,
                parts=parts,
                title=title if parts != ["summary"] else packet.title,
                stylesheet_href=stylesheet_href,
                page_of=page_of_words(),
                cached_pages=cached_pages,
                tail_whole=tail_whole,
                plan_only=plan_only,
                guidance_pages=guidance_pages,
                guidance_replayed=guidance_replayed,
                tail_head=tail_head,
                shown=shown or Shown(0),
                options_shown=options_shown or Shown(0),
                story_lines=True,
            )

    def part_html(self, view: TailView | GuidanceView) -> str:
        """A story-free part as a document of its own: the cache key and what is laid out."""
        if isinstance(view, TailView):
            partial, in_booklet = "partials/prescriber_tail.html.j2", False
        else:
            partial, in_booklet = "partials/booklet_guidance.html.j2", True
        with speaking(view.lang):
            return self.env.get_template("part.html.j2").render(
                packet=view,
                partial=partial,
                in_booklet=in_booklet,
                shown=Shown(0),
                options_shown=Shown(0),
                story_lines=False,
                plan_only=False,
                tail_head=False,
            )

    def _copy(self, packet: Packet, copy: Copy) -> Document:
        """One copy laid out, its story-free pages taken from the part cache (laid out on a miss): only the story's
        pages are laid out, with an empty page left for each cached one. The prescriber copy's tail is replayed
        whole, or after a taper page from its second page on (`_after_taper`); the booklet's guidance block and options
        grid up to their last page that starts cleanly, before what the options were written for."""
        if not self.replay:
            return self._layout(self._html(packet, [copy.value]), packet.paper)
        if copy is Copy.prescriber and packet.prescriber.taper is not None:
            return self._after_taper(packet)
        if copy is Copy.prescriber and (tail := prescriber_tail(packet)) is not None:
            part = self.parts.get(self.part_html(tail), packet.paper)
            if not plan_prefilled(packet):
                html = self._html(packet, [copy.value], cached_pages=len(part.pages), tail_whole=True)
                return self._grafted(packet, copy, html, {TAIL: part.pages})
            split = replay_split(part.document, "guideline-points")
            if split is not None:
                html = self._html(
                    packet,
                    [copy.value],
                    cached_pages=split.pages,
                    shown=Shown(split.hidden, split.items),
                    plan_only=split.ended,
                )
                return self._grafted(packet, copy, html, {TAIL: part.pages[: split.pages]})
        if copy is Copy.personal and (view := booklet_guidance(packet)) is not None:
            part = self.parts.get(self.part_html(view), packet.paper)
            split = replay_split(part.document, "guidance", "options")
            if split is not None:
                cut = Shown(split.hidden, split.items)
                html = self._html(
                    packet,
                    [copy.value],
                    guidance_pages=split.pages,
                    shown=cut if split.block == 0 else None,
                    options_shown=cut if split.block == 1 else None,
                    guidance_replayed=split.block == 1,
                )
                return self._grafted(packet, copy, html, {GUIDANCE: part.pages[: split.pages]})
        return self._layout(self._html(packet, [copy.value]), packet.paper)

    def _after_taper(self, packet: Packet) -> Document:
        """A prescriber copy with a taper page. Its first render lays the tail out in place and measures where the
        taper ends; later ones lay out the tail's lines on the taper's page and replay its pages after them."""
        tail = prescriber_tail(packet, self.taper_ends.get(packet))
        part = None if tail is None else self.taper_tails.get(self.part_html(tail), packet.paper)
        split = None if part is None else head_split(part.document, "guideline-points")
        if part is None or split is None:
            document = self._layout(self._html(packet, [Copy.prescriber.value]), packet.paper)
            if tail is None and tail_waits_for_taper(packet) and (end := taper_end(document)) is not None:
                self.taper_ends.remember(packet, end)
            return document
        head = split.hidden > 0 or split.items > 0 or split.ended  # else the tail's first page held only the spacer
        html = self._html(
            packet,
            [Copy.prescriber.value],
            cached_pages=len(part.pages) - split.pages,
            tail_whole=not head,
            tail_head=head,
            shown=Shown(split.hidden, split.items, head=head),
        )
        mismatches = self.part_mismatches
        document = self._grafted(packet, Copy.prescriber, html, {TAIL: part.pages[split.pages :]}, split.pages)
        if self.part_mismatches > mismatches:
            self.taper_ends.refuse(packet)
        return document

    def _grafted(
        self,
        packet: Packet,
        copy: Copy,
        html: str,
        parts: dict[str, tuple[CachedPage, ...]],
        after_taper: int | None = None,
    ) -> Document:
        """`after_taper`: how many pages the story lays out from the taper's last page to the first cached one."""
        try:
            story = self._layout(html, packet.paper)
            first = None if after_taper is None else page_after_taper(story) - 1 + after_taper
            document = graft_parts(story, parts, first)
        except PartMismatch:
            self.part_mismatches += 1
            return self._layout(self._html(packet, [copy.value]), packet.paper)
        self.replayed_pages += sum(len(pages) for pages in parts.values())
        return document

    def _layout(self, html: str, paper: str) -> Document:
        return HTML(string=html, base_url=self.base_url, url_fetcher=self.fetcher).render(
            stylesheets=self.stylesheets_for(paper), font_config=self.font_config, pdf_variant=PDF_VARIANT
        )

    def _summary_pages(self, packet: Packet) -> int:
        return len(self._layout(self._html(packet, ["summary"]), packet.paper).pages)

    def fitted(self, packet: Packet) -> Packet:
        """The packet with page 1 shortened until it fits one page (a no-op for most stories)."""
        if "prescriber" not in packet.sections:
            return packet
        return fit_summary(packet, self._summary_pages)

    def html(self, packet: Packet, copy: Copy = Copy.both, stylesheet_href: str | None = None) -> str:
        """The chosen copies as one page; with `stylesheet_href` it links its CSS for a browser preview."""
        return self._html(packet, [c.value for c in printed(copy, packet.sections)], stylesheet_href)

    def documents(self, packet: Packet, copy: Copy = Copy.both) -> dict[Copy, Document]:
        """Each printed copy laid out on its own, so each has its own page numbers. When page 1 overflows (a long
        story), the prescriber copy is laid out again from the `fitted` packet: one layout for a typical story."""
        found = {c: self._copy(packet, c) for c in printed(copy, packet.sections)}
        prescriber = found.get(Copy.prescriber)
        if (
            prescriber is not None
            and "prescriber" in packet.sections
            and SUMMARY_END not in prescriber.pages[0].anchors
        ):
            found[Copy.prescriber] = self._copy(self.fitted(packet), Copy.prescriber)
        return found

    def layout(self, packet: Packet, copy: Copy = Copy.both) -> Document:
        """The chosen copies' pages one after the other in one document (metadata from the first)."""
        documents = list(self.documents(packet, copy).values())
        joined = documents[0].copy([page for document in documents for page in document.pages])
        if len(documents) > 1:
            joined.metadata.title = packet.title  # both documents: the packet's own title, not the first copy's
        return joined

    def page_counts(self, packet: Packet) -> dict[Copy, int]:
        return {c: len(d.pages) for c, d in self.documents(packet).items()}

    def _attachment(self, story_json: bytes) -> Attachment:
        return Attachment(
            string=story_json,
            base_url=self.base_url,
            url_fetcher=self.fetcher,
            name="story.json",
            description=_(ATTACHMENT_DESCRIPTION),
            relationship="Source",
        )

    def write(self, document: Document, story_json: bytes, lang: Language = Language.en) -> bytes:
        """A laid-out document → the tagged PDF/UA-1 bytes with the story attached (described in `lang`)."""
        with speaking(lang):
            attachment = self._attachment(story_json)
        pdf: bytes = document.write_pdf(attachments=[attachment], pdf_variant=PDF_VARIANT, uncompressed_pdf=False)
        return pdf

    def pdf_from_scratch(self, packet: Packet, story_json: bytes, copy: Copy = Copy.both) -> bytes:
        """The naive reference the benchmark measures against: the same documents, with a fresh FontConfiguration
        and freshly parsed CSS for every copy, every page laid out on every call."""
        documents = []
        for each in printed(copy, packet.sections):
            font_config = FontConfiguration()
            html = HTML(
                string=self._html(self.fitted(packet), [each.value]), base_url=self.base_url, url_fetcher=self.fetcher
            )
            documents.append(
                html.render(
                    stylesheets=self._stylesheets(packet.paper, font_config),
                    font_config=font_config,
                    pdf_variant=PDF_VARIANT,
                )
            )
        return self.write(documents[0].copy([page for d in documents for page in d.pages]), story_json, packet.lang)

    def pdf(self, packet: Packet, story_json: bytes, copy: Copy = Copy.both) -> bytes:
        """A tagged PDF/UA-1 with the story embedded as story.json, so a saved packet can be reopened."""
        with fewer_collections():
            return self.write(self.layout(packet, copy), story_json, packet.lang)
