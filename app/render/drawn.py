"""A cached page's body → drawn once into PDF operators (with the glyphs, alpha states and marked-content ids it used),
then replayed into every PDF that shows the page: the margin boxes (running footer, "Page x of y") are drawn afresh.

The drawing order is WeasyPrint 70's `draw_page` for a page whose children are the root element's box and the margin
boxes, each a stacking context of its own (stacking.StackingContext.from_page); only the root's is replayed. A body
that uses anything whose PDF name depends on the rest of the document (images, patterns, groups, shadings, named
graphics states, a missing glyph) is drawn as WeasyPrint would draw it, every time."""

from __future__ import annotations

import copy
import re
import threading
from collections.abc import Hashable
from dataclasses import dataclass
from typing import Any

import pydyf
from weasyprint.document import Page
from weasyprint.draw import draw_background, draw_block_level, draw_page, draw_stacking_context
from weasyprint.draw.border import draw_border, draw_outline, set_mask_border
from weasyprint.formatting_structure.boxes import Box, MarginBox, PageBox
from weasyprint.pdf.fonts import Font
from weasyprint.stacking import StackingContext

__all__ = ["Drawing", "FontTemplates", "GraftedPage"]

ALPHA_STATE = re.compile(r"[aA][0-9.e-]+")
"""The graphics states named by their alpha alone (Stream.set_alpha): the same name means the same state anywhere."""
STATE_ATTRIBUTES = (
    "_current_color",
    "_current_color_stroke",
    "_current_alpha",
    "_current_alpha_stroke",
    "_current_font",
    "_current_font_size",
    "_old_font",
    "_old_font_size",
)
"""What a WeasyPrint Stream remembers between operators to leave repeated ones out."""

Stream = Any
"""weasyprint.pdf.stream.Stream (WeasyPrint ships no type information)."""


def _operator_bytes(item: object) -> bytes:
    """One item of a pydyf stream as pydyf.Stream.data writes it."""
    if isinstance(item, bytes):
        return item
    if isinstance(item, pydyf.Object):
        data: bytes = item.data
        return data
    if isinstance(item, float):
        return (str(int(item)) if item.is_integer() else f"{item:f}".rstrip("0")).encode("ascii")
    return str(item).encode("ascii")


def _state(stream: Stream) -> tuple[Hashable, ...]:
    tags = stream._tags
    return (
        *(getattr(stream, name) for name in STATE_ATTRIBUTES),
        tuple(value for row in stream.ctm for value in row),
        None if tags is None else len(tags),
    )


class FontTemplates:
    """One WeasyPrint Font per font and first size, read once per process, copied (glyphs left out) into each PDF
    whose first use of that font is on a replayed page: a Font holds the whole font file, so drawings keep only the
    glyphs they used."""

    def __init__(self) -> None:
        self._fonts: dict[tuple[int, float], Font] = {}
        self._lock = threading.Lock()

    def keep(self, key: int, font: Font) -> None:
        with self._lock:
            self._fonts.setdefault((key, font.font_size), font)

    def fresh(self, key: int, font_size: float) -> Font:
        """A Font as Stream.add_font makes it: its own mutable tables, no glyph used yet."""
        font = copy.copy(self._fonts[(key, font_size)])
        for name, value in vars(font).items():
            if isinstance(value, dict | list | set):
                setattr(font, name, type(value)(value))
        font.widths, font.to_unicode, font.missing, font.used_in_forms = {}, {}, {}, False
        return font


@dataclass(frozen=True)
class Recording:
    """The root element's stacking context drawn once from one stream state."""

    operators: bytes
    fonts: tuple[tuple[int, float, tuple[tuple[int, str, int], ...]], ...]
    """(font key, size it was first used at, (glyph, text, width) for every glyph drawn) per font, in first use."""
    alpha_states: tuple[tuple[str, dict[str, float]], ...]
    tags: tuple[tuple[Box, str], ...]
    """(box, PDF tag) in marked-content order: their ids continue from the stream's count."""
    after: tuple[Hashable, ...]
    """The stream's remembered state once drawn."""


class Drawing:
    """The replayable drawing of one cached page's body, one recording per stream state it was drawn from (one in
    practice). Thread-safe: a recording is made whole before it is published."""

    def __init__(self, fonts: FontTemplates) -> None:
        self._fonts = fonts
        self._recordings: dict[tuple[Hashable, ...], Recording | None] = {}
        """None: this body cannot be replayed from that state (see the module's docstring)."""

    @property
    def replayable(self) -> bool:
        """Whether a recording of this body has been made and can be replayed."""
        return any(recording is not None for recording in self._recordings.values())

    def draw(self, stream: Stream, root: Box, page: PageBox) -> None:
        """The root element's stacking context on `stream`, replayed when it was recorded from this state."""
        start = _state(stream)
        if start not in self._recordings:
            self._recordings[start] = self._record(stream, StackingContext.from_box(root, page))
        recording = self._recordings[start]
        if recording is None:
            draw_stacking_context(stream, StackingContext.from_box(root, page))
        else:
            self._replay(stream, recording)

    def _record(self, stream: Stream, context: StackingContext) -> Recording | None:
        resources = pydyf.Dictionary(
            {
                "ExtGState": pydyf.Dictionary(),
                "XObject": pydyf.Dictionary(),
                "Pattern": pydyf.Dictionary(),
                "Shading": pydyf.Dictionary(),
                "ColorSpace": stream._resources["ColorSpace"],
            }
        )
        tags = None if stream._tags is None else dict(stream._tags)
        recorder = stream.clone(fonts={}, resources=resources, images={}, tags=tags)
        for name in STATE_ATTRIBUTES:
            setattr(recorder, name, getattr(stream, name))
        recorder._ctm_stack = list(stream._ctm_stack)
        draw_stacking_context(recorder, context)
        states = dict(resources["ExtGState"])
        if (
            recorder._images
            or any(resources[kind] for kind in ("XObject", "Pattern", "Shading"))
            or not all(ALPHA_STATE.fullmatch(name) for name in states)
            or any(font.missing for font in recorder._fonts.values())
        ):
            return None
        fonts = []
        for key, font in recorder._fonts.items():
            self._fonts.keep(key, font)
            glyphs = tuple((glyph, text, font.widths[glyph]) for glyph, text in font.to_unicode.items())
            fonts.append((key, font.font_size, glyphs))
        added = [] if tags is None else [(box, mark["tag"]) for box, mark in tags.items() if box not in stream._tags]
        return Recording(
            operators=b"\n".join(_operator_bytes(item) for item in recorder.stream),
            fonts=tuple(fonts),
            alpha_states=tuple((name, dict(state)) for name, state in states.items()),
            tags=tuple(added),
            after=tuple(getattr(recorder, name) for name in STATE_ATTRIBUTES),
        )

    def _replay(self, stream: Stream, recording: Recording) -> None:
        if recording.operators:
            stream.stream.append(recording.operators)
        for key, font_size, glyphs in recording.fonts:
            font = stream._fonts.get(key)
            if font is None:
                font = stream._fonts[key] = self._fonts.fresh(key, font_size)
            for glyph, text, width in glyphs:
                font.to_unicode.setdefault(glyph, text)
                font.widths.setdefault(glyph, width)
        graphics_states = stream._resources["ExtGState"]
        for name, state in recording.alpha_states:
            if name not in graphics_states:
                graphics_states[name] = pydyf.Dictionary(state)
        if stream._tags is not None:
            for box, tag in recording.tags:
                stream._tags[box] = {"tag": tag, "mcid": len(stream._tags)}
        for name, value in zip(STATE_ATTRIBUTES, recording.after, strict=True):
            setattr(stream, name, value)


class GraftedPage(Page):  # type: ignore[misc]
    """A cached page's body inside a story page's frame (its size and margin boxes), painted with the body's drawing
    replayed."""

    def __init__(self, page_box: PageBox, drawing: Drawing) -> None:
        super().__init__(page_box)
        self._drawing = drawing

    def paint(self, stream: Stream, scale: float = 1) -> None:
        with stream.stacked():
            stream.transform(a=scale, d=scale)
            self._draw_page(stream)

    def _draw_page(self, stream: Stream) -> None:
        """weasyprint.draw.draw_page, then the page's own stacking context as draw_stacking_context draws a page box
        (no clip, no blocks of its own), the root element's context replayed."""
        page = self._page_box
        children = [StackingContext.from_box(child, page) for child in page.children if isinstance(child, MarginBox)]
        roots = [child for child in page.children if not isinstance(child, MarginBox)]
        frame = page.copy_with_children([])
        context = StackingContext(frame, children, [], [], {}, frame)
        if (
            len(roots) != 1
            or roots[0].style["z_index"] not in ("auto", 0)
            or context.negative_z_contexts
            or context.positive_z_contexts
            or page.style["opacity"] < 1
        ):
            draw_page(page, stream)
            return
        draw_background(stream, context.box.background, clip_box=False, bleed=page.bleed, marks=page.style["marks"])
        set_mask_border(stream, page)
        draw_background(stream, page.canvas_background, clip_box=False)
        draw_border(stream, page)
        with stream.stacked():
            with stream.stacked():
                draw_block_level(context.page, stream, {context.box: {}})
                self._drawing.draw(stream, roots[0], page)
                for child in context.zero_z_contexts:
                    draw_stacking_context(stream, child)
            draw_outline(stream, context.box)
