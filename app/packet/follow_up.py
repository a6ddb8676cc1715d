"""A Story with `progress` → the follow-up summary for page 1: the plan, where the person is now, each step, the ask."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from app.library.packs import Citation
from app.packet.voice import Voice
from app.packet.words import number
from app.story import AgreedStep, ProgressRow, Story

__all__ = ["ChartLine", "FollowUp", "ProgressChart", "StepRow", "follow_up", "plan_dose_on"]

SHOWN_STEPS = 6
"""Page 1 stays one page: the latest steps are listed, the earlier ones counted."""
HARD = 3
"""`how_it_went` at or below this is a hard step (0 = very hard, 10 = fine)."""


@dataclass(frozen=True)
class ChartLine:
    """Dose (mg a day) against days from the chart's first day; steps hold until the next point."""

    points: tuple[tuple[int, float], ...]


@dataclass(frozen=True)
class ProgressChart:
    title: str
    first_day: dt.date
    days: int
    plan: ChartLine | None
    actual: ChartLine


@dataclass(frozen=True)
class StepRow:
    date: str
    dose: str
    planned: str
    how_it_went: str
    note: str | None


@dataclass(frozen=True)
class FollowUp:
    heading: str
    medicine: str
    plan: str
    now: str
    comparison: str
    ask: str
    ask_citation: Citation | None
    steps: tuple[StepRow, ...]
    earlier_steps: int
    chart: ProgressChart
    next_review: str | None


def _mg(value: float) -> str:
    return f"{number(value, 4)} mg a day"


def _date(day: dt.date) -> str:
    return f"{day:%-d %b %Y}"


def plan_dose_on(day: dt.date, start_mg: float, steps: list[AgreedStep]) -> float:
    """The agreed daily dose in force on `day`: the last dated step begun by then, else the dose before the plan."""
    begun = [s for s in steps if s.from_ is not None and s.from_ <= day]
    return max(begun, key=lambda s: s.from_ or day).daily_mg if begun else start_mg


def _chart(
    title: str, first: dt.date, last: dt.date, start_mg: float, steps: list[AgreedStep], rows: list[ProgressRow]
) -> ProgressChart:
    def day(d: dt.date) -> int:
        return (d - first).days

    plan = None
    if steps:
        dated = sorted((s for s in steps if s.from_ is not None), key=lambda s: s.from_ or first)
        plan = ChartLine(((0, start_mg), *((day(s.from_), s.daily_mg) for s in dated if s.from_)))
    actual = ChartLine(((0, start_mg), *((day(r.date), r.daily_mg) for r in rows)))
    return ProgressChart(title, first, max(day(last), 1), plan, actual)


def _ask(voice: Voice, rows: list[ProgressRow], behind: bool, cite: Citation | None) -> tuple[str, Citation | None]:
    """Collaborative, never demanding; a hard last step asks first about holding, as the guideline puts first."""
    last = rows[-1]
    if last.how_it_went is not None and last.how_it_went <= HARD:
        return voice.sentence(
            "The last step was hard. I would like to talk about holding at this dose for a while, or slowing down, "
            "before the next step.",
            "The last step was hard for {object}. We would like to talk about holding at this dose for a while, "
            "or slowing down, before the next step.",
        ), cite
    if behind:
        return voice.sentence(
            "I am taking more than the plan says for now. I would like to look at the plan together and agree a pace "
            "I can keep.",
            "{subject} {am} taking more than the plan says for now. We would like to look at the plan together and "
            "agree a pace {pronoun} can keep.",
        ), None
    return voice.sentence(
        "The steps so far have gone as planned. I would like to agree the next step together.",
        "The steps so far have gone as planned. We would like to agree the next step together.",
    ), None


def follow_up(story: Story, voice: Voice, today: dt.date, hold_citation: Citation | None) -> FollowUp | None:
    """None for a first visit (no `progress`). The chart and comparison follow the medicine the plan is about."""
    if not story.progress:
        return None
    agreed = story.agreed
    which = agreed.steps[0].medication if agreed and agreed.steps else story.progress[-1].medication
    med = story.medications[which - 1]
    steps = [s for s in (agreed.steps if agreed else []) if s.medication == which]
    rows = sorted((r for r in story.progress if r.medication == which), key=lambda r: r.date)
    if not rows:
        rows = sorted(story.progress, key=lambda r: r.date)
        which = rows[-1].medication
        med = story.medications[which - 1]
        steps = []
    start_mg = med.daily_mg
    now_mg = rows[-1].daily_mg
    planned_now = plan_dose_on(today, start_mg, steps)
    dated = [s for s in steps if s.from_ is not None]
    current = max((s for s in dated if s.from_ and s.from_ <= today), key=lambda s: s.from_ or today, default=None)
    if steps:
        step = current or steps[0]
        when = f" from {_date(step.from_)}" if step.from_ else ""
        place = f"step {steps.index(step) + 1} of {len(steps)}"
        plan = f"{_mg(step.daily_mg)} of {med.name}{when} ({place})"
        if current is None and step.from_ and step.from_ > today:
            plan += ", not begun yet"
    else:
        plan = "No agreed plan was recorded."
    now = f"{_mg(now_mg)} of {med.name}, since {_date(rows[-1].date)}"
    behind = bool(steps) and now_mg > planned_now + 1e-9
    if not steps:
        comparison = "Shown against the dose at the start."
    elif abs(now_mg - planned_now) <= 1e-9:
        comparison = "On the plan."
    elif behind:
        comparison = f"Above the plan for today ({_mg(planned_now)})."
    else:
        comparison = f"Below the plan for today ({_mg(planned_now)})."
    ask, citation = _ask(voice, rows, behind, hold_citation)
    first = min(
        [rows[0].date, *(s.from_ for s in dated if s.from_), *([agreed.date] if agreed and agreed.date else [])]
    )
    last = max([today, rows[-1].date, *(s.from_ for s in dated if s.from_)])
    shown = rows[-SHOWN_STEPS:]
    return FollowUp(
        heading=voice.sentence("Since my last visit", "Since the last visit"),
        medicine=med.name,
        plan=plan,
        now=now,
        comparison=comparison,
        ask=ask,
        ask_citation=citation,
        steps=tuple(
            StepRow(
                _date(r.date),
                _mg(r.daily_mg),
                _mg(plan_dose_on(r.date, start_mg, steps)) if steps else "—",
                f"{r.how_it_went} of 10" if r.how_it_went is not None else "—",
                r.note,
            )
            for r in shown
        ),
        earlier_steps=len(rows) - len(shown),
        chart=_chart(f"Daily dose of {med.name}: the plan and what was taken", first, last, start_mg, steps, rows),
        next_review=_date(agreed.next_review) if agreed and agreed.next_review else None,
    )
