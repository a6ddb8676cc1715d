"""A daily dose, a pace and a goal → a draft taper schedule that stays inside ASAM 2025 Rec. 6 by construction."""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction

from app.story import Outcome, Pace

__all__ = [
    "MAX_CUT_IN_TWO_WEEKS",
    "SMALLEST_TABLET_MG",
    "Bounds",
    "Goal",
    "Step",
    "TaperDraft",
    "bounds_for",
    "draft_taper",
    "precision_for",
]

# ASAM 2025 Rec. 6 (sources.md §2): cuts of 5–10%, typically every 2–4 weeks, and usually no more than 25% within
# any 2 weeks. Each cut is taken of the current dose, as Maudsley 2024 describes (§5); ASAM does not say so.
MAX_CUT_IN_TWO_WEEKS = Fraction(25, 100)
_WEEKS_BETWEEN = (2, 4)

# The smallest common tablet or capsule strength per drug, in mg. The dose grid is a twentieth of it (taken down to a
# 1-2-2.5-5 value), so a 5% cut (a twentieth of the dose) stays possible down to about one such tablet a day: there
# the slow draft hands over to the person and prescriber, because smaller amounts need liquids or compounded forms.
# A coarser grid (half or quarter tablets) would end 5% cuts at several tablets a day; a finer one would print amounts
# nobody could measure. The draft states its grid; the prescriber decides what can really be dispensed.
SMALLEST_TABLET_MG: dict[str, float] = {
    "alprazolam": 0.25,
    "bromazepam": 1.5,
    "chlordiazepoxide": 5,
    "clobazam": 10,
    "clonazepam": 0.5,
    "clorazepate": 3.75,
    "diazepam": 2,
    "estazolam": 1,
    "flunitrazepam": 1,
    "flurazepam": 15,
    "loprazolam": 1,
    "lorazepam": 0.5,
    "lormetazepam": 0.5,
    "nitrazepam": 5,
    "oxazepam": 10,
    "quazepam": 15,
    "temazepam": 7.5,
    "triazolam": 0.125,
    "eszopiclone": 1,
    "zaleplon": 5,
    "zolpidem": 5,
    "zopiclone": 3.75,
}


class Goal(StrEnum):
    stop = "stop"
    target = "target"
    half = "half"


@dataclass(frozen=True)
class Bounds:
    """The limits one draft keeps to; `max_cut` is a fraction of the current dose."""

    max_cut: Fraction
    weeks_between: tuple[int, int]
    table_weeks: int

    @property
    def max_cut_percent(self) -> float:
        return float(self.max_cut * 100)


@dataclass(frozen=True)
class Step:
    """One row: step 0 is today's dose; every later step is one cut."""

    number: int
    start_week: int
    daily_mg: float
    cut_percent: float
    percent_of_start: float


@dataclass(frozen=True)
class TaperDraft:
    start_mg: float
    goal: Goal
    goal_mg: float
    steps: tuple[Step, ...]
    bounds: Bounds
    precision_mg: float
    floor_reached: bool
    floor_mg: float | None
    duration_weeks: tuple[int, int]

    @property
    def end_mg(self) -> float:
        return self.steps[-1].daily_mg

    @property
    def cuts(self) -> int:
        return len(self.steps) - 1


def bounds_for(pace: Pace) -> Bounds:
    """`slow` takes the gentle end: 5% steps, 4 weeks apart in the table.

    An undecided pace is drafted as slow too: it is easier to speed up than to recover from going too fast
    (Maudsley 2024, Chapter 3, sources.md §5), and the person can ask for faster steps at the appointment.
    `as_guidelines` uses the upper end of the starting range: 10% steps, 2 weeks apart in the table.
    """
    if pace is Pace.as_guidelines:
        return Bounds(Fraction(10, 100), _WEEKS_BETWEEN, 2)
    return Bounds(Fraction(5, 100), _WEEKS_BETWEEN, 4)


def precision_for(generic: str | None, daily_mg: float) -> float:
    """A twentieth of the drug's smallest tablet; for a drug without one, about 1% of the starting dose."""
    tablet = SMALLEST_TABLET_MG.get(generic.casefold()) if generic is not None else None
    return _nice_below(tablet / 20) if tablet is not None else _nice_below(daily_mg / 100)


def _nice_below(value: float) -> float:
    exponent = math.floor(math.log10(value) + 1e-12)
    base = 10.0**exponent
    return max(m * base for m in (1, 2, 2.5, 5) if m * base <= value * (1 + 1e-9))


def _exact(value: float, name: str) -> Fraction:
    if not (isinstance(value, int | float) and math.isfinite(value) and value > 0):
        raise ValueError(f"{name} must be a positive finite number of mg, not {value!r}")
    return Fraction(str(value))


def _round_up(value: Fraction, grid: Fraction) -> Fraction:
    """Up, never down: a dose rounded up makes the cut smaller, so rounding can never break a bound."""
    return math.ceil(value / grid) * grid


def _goal(start: Fraction, outcome: Outcome, target: Fraction | None, grid: Fraction) -> tuple[Goal, Fraction]:
    if outcome is Outcome.stop:
        return Goal.stop, Fraction(0)
    if outcome is Outcome.reduce and target is not None:
        return Goal.target, min(target, start)
    return Goal.half, min(_round_up(start / 2, grid), start)


def _next_dose(doses: list[Fraction], goal: Fraction, max_cut: Fraction, grid: Fraction) -> Fraction:
    """The lowest dose one in-bound cut reaches: the goal itself if within reach, else the bound rounded up.

    Steps are at least 2 weeks apart, so a 2-week window holds at most this cut and the one before it: together they
    may not remove more than a quarter of the dose before them. With cuts of 10% or less this never binds; it keeps
    the rule true by construction should the per-step bounds ever change.
    """
    dose = doses[-1]
    lowest = dose * (1 - max_cut)
    if len(doses) >= 2:
        lowest = max(lowest, doses[-2] * (1 - MAX_CUT_IN_TWO_WEEKS))
    if goal >= lowest:
        return goal
    return min(dose, _round_up(lowest, grid))


def draft_taper(
    daily_mg: float,
    pace: Pace,
    outcome: Outcome,
    target_mg: float | None = None,
    precision_mg: float | None = None,
) -> TaperDraft:
    """Cuts a fixed share of the *current* dose each step, so steps shrink as the dose falls (a hyperbolic shape).

    `stop` drafts down to the floor: the dose below which one in-bound cut would be smaller than the dose grid. The
    draft proposes no numbers below it; how to finish is for the person and prescriber to discuss.
    `reduce` with a target stops at the target (or at the floor, if that comes first).
    `reduce` without a target and `undecided` draft the first half, down to half the current dose. The guideline
    counts a lower dose as a valid goal (ASAM 2025, Key Takeaways 5b and 6d), so a half-way draft neither presumes
    that the person wants to stop nor hides the shape of the taper; at that point the two can decide whether to go on.
    """
    start = _exact(daily_mg, "daily_mg")
    grid = _exact(precision_mg if precision_mg is not None else precision_for(None, daily_mg), "precision_mg")
    target = _exact(target_mg, "target_mg") if target_mg is not None else None
    bounds = bounds_for(pace)
    goal, goal_mg = _goal(start, outcome, target, grid)

    doses = [start]
    while doses[-1] > goal_mg:
        following = _next_dose(doses, goal_mg, bounds.max_cut, grid)
        if following >= doses[-1]:
            break
        doses.append(following)
    floor_reached = doses[-1] > goal_mg

    steps = tuple(
        Step(
            number=i,
            start_week=i * bounds.table_weeks,
            daily_mg=float(dose),
            cut_percent=float((doses[i - 1] - dose) / doses[i - 1] * 100) if i else 0.0,
            percent_of_start=float(dose / start * 100),
        )
        for i, dose in enumerate(doses)
    )
    cuts = len(doses) - 1
    return TaperDraft(
        start_mg=float(start),
        goal=goal,
        goal_mg=float(goal_mg),
        steps=steps,
        bounds=bounds,
        precision_mg=float(grid),
        floor_reached=floor_reached,
        floor_mg=float(doses[-1]) if floor_reached else None,
        duration_weeks=(cuts * bounds.weeks_between[0], cuts * bounds.weeks_between[1]),
    )
