"""A Story with an agreed plan or progress → a four-week diary to fill in, prefilled with the dose for each day."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from app.library.translations import _
from app.packet.dates import weekday_date
from app.packet.follow_up import plan_dose_on
from app.packet.words import number
from app.story import Story

__all__ = ["DAYS", "LOOKAHEAD", "Diary", "DiaryDay", "diary"]

DAYS = 28
LOOKAHEAD = dt.timedelta(days=90)
"""A step further off than this does not start the diary: it is for the weeks ahead."""


@dataclass(frozen=True)
class DiaryDay:
    date: str
    dose: str


@dataclass(frozen=True)
class Diary:
    heading: str
    intro: str
    medicine: str
    weeks: tuple[tuple[DiaryDay, ...], ...]


def diary(story: Story, today: dt.date) -> Diary | None:
    """Only when there is a step to follow (`agreed` or `progress`): the paper that brings the next `progress`.

    The days start at the next agreed step if it comes within LOOKAHEAD, else today; each day shows the agreed dose in
    force that day (or the latest dose taken), to tick or correct."""
    agreed = story.agreed
    if agreed is None and not story.progress:
        return None
    which = (
        agreed.steps[0].medication
        if agreed and agreed.steps
        else story.progress[-1].medication
        if story.progress
        else 1
    )
    med = story.medications[which - 1]
    steps = [s for s in (agreed.steps if agreed else []) if s.medication == which]
    taken = sorted((r for r in story.progress if r.medication == which), key=lambda r: r.date)
    current = taken[-1].daily_mg if taken else med.daily_mg
    upcoming = sorted(s.from_ for s in steps if s.from_ is not None and today < s.from_ <= today + LOOKAHEAD)
    first = upcoming[0] if upcoming else today
    days = [first + dt.timedelta(days=i) for i in range(DAYS)]
    rows = [DiaryDay(weekday_date(d), f"{number(plan_dose_on(d, current, steps), 4)} mg") for d in days]
    return Diary(
        heading=_("My diary"),
        intro=_(
            "One line a day. Tick the dose if it is what you took, or write what you took instead. "
            "Sleep and symptoms: 0 = very bad, 10 = fine. Bring it to the next visit."
        ),
        medicine=med.name,
        weeks=tuple(tuple(rows[w * 7 : (w + 1) * 7]) for w in range(DAYS // 7)),
    )
