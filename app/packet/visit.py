"""A Story + tags + citation look-up → the visit-cycle parts: options, what we agreed, follow-up, diary.

One object, so the documents can place each part where it belongs (prescriber copy or personal booklet)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from app.library.options_text import load_options_text
from app.packet.agreed_page import AgreedPage, agreed_page
from app.packet.diary import Diary, diary
from app.packet.follow_up import FollowUp, follow_up
from app.packet.options_page import OptionsPage, options_page
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
    cited_ids: frozenset[str]


def visit_cycle(
    story: Story, voice: Voice, tags: set[str], cite: Callable[[str], str | None], today: dt.date
) -> VisitCycle:
    wording = load_options_text()
    hold = cite(HOLD_EXCERPT)
    follow = follow_up(story, voice, today, hold)
    cited = set(wording.cited()) | ({HOLD_EXCERPT} if follow and follow.ask_citation else set())
    return VisitCycle(
        values_label=voice.sentence("What matters most to me", "What matters most to {object}"),
        values="; ".join(story.goals.values) or None,
        options=options_page(story, tags, wording, cite, today),
        agreed=agreed_page(story),
        follow_up=follow,
        diary=diary(story, today),
        cited_ids=frozenset(i for i in cited if cite(i) is not None),
    )
