"""A Story with `progress` → the follow-up summary for page 1: the plan, where the person is now, each step, the ask."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from app.library.packs import Citation
from app.library.translations import _
from app.packet.dates import short_date
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
    return _("{mg} mg a day").format(mg=number(value, 4))


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
            _(
                "The last step was hard. I would like to talk about holding at this dose for a while, or slowing "
                "down, before the next step."
            ),
            _(
                "The last step was hard for {object}. We would like to talk about holding at this dose for a while, "
                "or slowing down, before the next step."
            ),
        ), cite
    if behind:
        return voice.sentence(
            _(
                "I am taking more than the plan says for now. I would like to look at the plan together and agree a "
                "pace I can keep."
            ),
            _(
                "{subject} {am} taking more than the plan says for now. We would like to look at the plan together "
                "and agree a pace {pronoun} can keep."
            ),
        ), None
    return voice.sentence(
        _("The steps so far have gone as planned. I would like to agree the next step together."),
        _("The steps so far have gone as planned. We would like to agree the next step together."),
    ), None


def _plan(medicine: str, steps: list[AgreedStep], current: AgreedStep | None, today: dt.date) -> str:
    """The agreed step in force (else the first), where it sits in the plan, and whether it has begun."""
    if not steps:
        return _("No agreed plan was recorded.")
    step = current or steps[0]
    values = {
        "mg": number(step.daily_mg, 4),
        "medicine": medicine,
        "step": str(steps.index(step) + 1),
        "steps": str(len(steps)),
    }
    if step.from_ is None:
        return _("{mg} mg a day of {medicine} (step {step} of {steps})").format(**values)
    date = short_date(step.from_)
    if current is None and step.from_ > today:
        return _("{mg} mg a day of {medicine} from {date} (step {step} of {steps}), not begun yet").format(
            date=date, **values
        )
    return _("{mg} mg a day of {medicine} from {date} (step {step} of {steps})").format(date=date, **values)


def _comparison(steps: list[AgreedStep], now_mg: float, planned_now: float) -> str:
    if not steps:
        return _("Shown against the dose at the start.")
    if abs(now_mg - planned_now) <= 1e-9:
        return _("On the plan.")
    if now_mg > planned_now:
        return _("Above the plan for today ({dose}).").format(dose=_mg(planned_now))
    return _("Below the plan for today ({dose}).").format(dose=_mg(planned_now))


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
    now = _("{mg} mg a day of {medicine}, since {date}").format(
        mg=number(now_mg, 4), medicine=med.name, date=short_date(rows[-1].date)
    )
    behind = bool(steps) and now_mg > planned_now + 1e-9
    ask, citation = _ask(voice, rows, behind, hold_citation)
    first = min(
        [rows[0].date, *(s.from_ for s in dated if s.from_), *([agreed.date] if agreed and agreed.date else [])]
    )
    last = max([today, rows[-1].date, *(s.from_ for s in dated if s.from_)])
    shown = rows[-SHOWN_STEPS:]
    return FollowUp(
        heading=voice.sentence(_("Since my last visit"), _("Since the last visit")),
        medicine=med.name,
        plan=_plan(med.name, steps, current, today),
        now=now,
        comparison=_comparison(steps, now_mg, planned_now),
        ask=ask,
        ask_citation=citation,
        steps=tuple(
            StepRow(
                short_date(r.date),
                _mg(r.daily_mg),
                _mg(plan_dose_on(r.date, start_mg, steps)) if steps else "—",
                _("{score} of 10").format(score=r.how_it_went) if r.how_it_went is not None else "—",
                r.note,
            )
            for r in shown
        ),
        earlier_steps=len(rows) - len(shown),
        chart=_chart(
            _("Daily dose of {medicine}: the plan and what was taken").format(medicine=med.name),
            first,
            last,
            start_mg,
            steps,
            rows,
        ),
        next_review=short_date(agreed.next_review) if agreed and agreed.next_review else None,
    )
