"""Doses by time of day + a Kit + bounds and a goal → a taper plan whose every dose the person's products make.

The rule, stated on the plan: each step lowers one time of day's dose to the lowest amount the products make that
keeps the cut inside the bounds; the largest dose goes down first, and of equal doses the earlier one in the day (so
a bedtime dose goes last). Where no product makes an in-bound cut, the plan stops there and says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction

from app.packet.makeable import Kit
from app.packet.taper import MAX_CUT_IN_TWO_WEEKS, Bounds

__all__ = ["Ending", "Plan", "PlanStep", "make_plan"]


class Ending(StrEnum):
    goal = "goal"
    """The plan reached the goal (or the makeable dose nearest above it)."""
    products = "products"
    """No product makes the next cut within the bounds: the plan stops here and lists options."""


@dataclass(frozen=True)
class PlanStep:
    """Step 0 is today; `amounts` line up with Plan.times; `cut` is the real share removed by this step."""

    number: int
    amounts: tuple[Fraction, ...]
    cut: Fraction
    changed: int | None

    @property
    def daily(self) -> Fraction:
        return sum(self.amounts, Fraction(0))


@dataclass(frozen=True)
class Plan:
    times: tuple[str, ...]
    steps: tuple[PlanStep, ...]
    bounds: Bounds
    goal_mg: Fraction
    ending: Ending

    @property
    def start(self) -> Fraction:
        return self.steps[0].daily

    @property
    def end(self) -> Fraction:
        return self.steps[-1].daily

    @property
    def cuts(self) -> int:
        return len(self.steps) - 1

    @property
    def duration_weeks(self) -> tuple[int, int]:
        low, high = self.bounds.weeks_between
        return self.cuts * low, self.cuts * high


def _lowest(history: list[Fraction], max_cut: Fraction) -> Fraction:
    """The lowest daily dose the next step may reach: one cut, and at most a quarter in any 2 weeks.

    Steps are at least 2 weeks apart, so a 2-week window holds this cut and at most the one before it.
    """
    lowest = history[-1] * (1 - max_cut)
    if len(history) >= 2:
        lowest = max(lowest, history[-2] * (1 - MAX_CUT_IN_TWO_WEEKS))
    return lowest


def _next(amounts: tuple[Fraction, ...], kit: Kit, floor: Fraction) -> tuple[int, Fraction] | None:
    """(time index, new amount) of the biggest in-bound cut made by changing one time of day, or None."""
    total = sum(amounts, Fraction(0))
    best: tuple[tuple[Fraction, Fraction, int], int, Fraction] | None = None
    for index, current in enumerate(amounts):
        for amount in kit.amounts(current):
            if amount >= current:
                continue
            new_total = total - current + amount
            if new_total < floor:
                continue
            rank = (new_total, -current, index)
            if best is None or rank < best[0]:
                best = (rank, index, amount)
    return None if best is None else (best[1], best[2])


def make_plan(
    times: tuple[str, ...], amounts: tuple[Fraction, ...], kit: Kit, bounds: Bounds, goal_mg: Fraction
) -> Plan:
    """Greedy by design: each step is the biggest cut within the bounds, so steps shrink as the dose falls where the
    products allow, and the plan never proposes a dose the kit cannot make."""
    steps = [PlanStep(0, amounts, Fraction(0), None)]
    history = [steps[0].daily]
    ending = Ending.goal
    while history[-1] > goal_mg:
        within = _lowest(history, bounds.max_cut)
        found = _next(steps[-1].amounts, kit, max(within, goal_mg))
        if found is None:
            beyond_goal = _next(steps[-1].amounts, kit, within)
            ending = Ending.goal if beyond_goal is not None and goal_mg > 0 else Ending.products
            break
        index, amount = found
        new = tuple(amount if i == index else a for i, a in enumerate(steps[-1].amounts))
        daily = sum(new, Fraction(0))
        steps.append(PlanStep(len(steps), new, (history[-1] - daily) / history[-1], index))
        history.append(daily)
    return Plan(times, tuple(steps), bounds, goal_mg, ending)
