"""A Story + tags + the pack library → the visit-cycle parts: options, what we agreed, follow-up, diary.

One object, so the documents can place each part where it belongs (prescriber copy or personal booklet)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from app.library.options_text import load_options_text
from app.library.packs import Citation, PackLibrary
from app.library.translations import _
from app.packet.agreed_page import AgreedPage, agreed_page
from app.packet.diary import Diary, diary
from app.packet.follow_up import FollowUp, follow_up
from app.packet.options_page import OptionsPage, options_page
from app.packet.references import References
from app.packet.voice import Voice
from app.story import Story

__all__ = ["HOLD_EXCERPT", "VisitCycle", "visit_cycle"]

HOLD_EXCERPT = "asam-2025-rec-11"
"""Cited when a hard step leads the follow-up ask to holding or slowing down first."""


@dataclass(frozen=True)
class VisitCycle:
    values_label: str
    values: str | None
    """What matters most, in one line for page 1 (`goals.values`)."""
    options: OptionsPage
    agreed: AgreedPage
    follow_up: FollowUp | None
    diary: Diary | None

    def booklet_citations(self) -> list[Citation]:
        """What the options page cites, as shown for this story: its sources join the booklet's list."""
        return [c for o in self.options.options for p in (*o.benefits, *o.risks) for c in p.backed_by]


def visit_cycle(
    story: Story, voice: Voice, tags: set[str], library: PackLibrary, references: References, today: dt.date
) -> VisitCycle:
    """The follow-up ask on page 1 cites through the prescriber copy's numbered `references`; the options page,
    in the booklet, cites in plain words."""
    return VisitCycle(
        values_label=voice.sentence(_("What matters most to me"), _("What matters most to {object}")),
        values="; ".join(story.goals.values) or None,
        options=options_page(story, tags, load_options_text(), library, today),
        agreed=agreed_page(story),
        follow_up=follow_up(story, voice, today, references.cite(HOLD_EXCERPT)),
        diary=diary(story, today),
    )
