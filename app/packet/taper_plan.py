"""One medicine as the person takes it + the product catalogue + goals → the plan's rows, phases, stop and options.

Everything here is worded for the page: the rows a prescriber reads (at most ROWS_ON_PAGE), the rest as phases, the
full list for the booklet's appendix, the real cut after rounding on every row, and — where the products stop — why,
with the options to discuss. Pure: no I/O beyond the catalogue read once per process.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from itertools import pairwise

from app.library.products import Form, form_named, products
from app.packet.makeable import LIQUID_STEP_ML, MAX_PIECES, Kit, kit_for, piece_words
from app.packet.plan import Ending, Plan, PlanStep, make_plan
from app.packet.plan_options import Option, options_for, stopping_words
from app.packet.taper import Bounds, bounds_for
from app.packet.words import TIME_WORDS, mg, share
from app.story import Country, Medication, Pace

__all__ = [
    "ROWS_BEFORE_PHASES",
    "ROWS_ON_PAGE",
    "SPLIT_RULE",
    "PlanPart",
    "PlanRow",
    "catalogue_countries",
    "plan_part",
]

ROWS_ON_PAGE = 10
ROWS_BEFORE_PHASES = 5
"""A plan longer than ROWS_ON_PAGE rows shows today and the first cuts, then the rest as phases."""
SPLIT_RULE = (
    "taperprep's rule, not a guideline's, and a suggestion to discuss: each step lowers one time of day, the largest "
    f"dose first (a bedtime dose last); at most {MAX_PIECES} tablets or capsules at a time; halves only of tablets "
    f"sold as scored (check yours); liquids in {float(LIQUID_STEP_ML):g} mL amounts."
)
_ORDINALS = ("1st dose", "2nd dose", "3rd dose", "4th dose", "5th dose", "6th dose")
_CountryCode = tuple[str, ...]


@dataclass(frozen=True)
class PlanRow:
    step: str
    week: str
    daily: str
    cut: str
    how: str


@dataclass(frozen=True)
class PlanPart:
    """`rows` fit the page (≤ ROWS_ON_PAGE); `phases` word the rest; `appendix` is every step, for the booklet."""

    plan: Plan
    rows: tuple[PlanRow, ...]
    phases: tuple[str, ...]
    appendix: tuple[PlanRow, ...]
    pace_words: str
    steps_words: str | None
    products_words: str
    product_sources: tuple[str, ...]
    stopping: str | None
    options: tuple[Option, ...]
    duration: str
    chart_points: tuple[tuple[int, float], ...]


def catalogue_countries(country: Country) -> _CountryCode:
    """The catalogue knows the US and UK; elsewhere both lists are used and the plan says to check locally."""
    if country is Country.US:
        return ("US",)
    if country is Country.GB:
        return ("UK",)
    return ("US", "UK")


def _labels(medication: Medication) -> tuple[tuple[str, ...], tuple[Fraction, ...]]:
    """Times of day as given; for dose × times a day, numbered doses (an unequal count becomes one daily amount)."""
    if medication.doses is not None:
        return (
            tuple(TIME_WORDS[d.time] for d in medication.doses),
            tuple(Fraction(str(d.mg)) for d in medication.doses),
        )
    times = medication.times_per_day or 1
    dose = Fraction(str(medication.dose_mg or 0))
    if times == int(times) and 1 <= times <= len(_ORDINALS):
        count = int(times)
        return (("Each day",) if count == 1 else _ORDINALS[:count]), (dose,) * count
    return ("Each day",), (dose * Fraction(str(times)),)


def _how(kit: Kit, labels: tuple[str, ...], amounts: tuple[Fraction, ...], today: tuple[Fraction, ...]) -> str:
    parts = []
    for label, amount, now in zip(labels, amounts, today, strict=True):
        if amount == 0:
            parts.append(f"{label}: none")
            continue
        recipe = kit.recipe(amount)
        if recipe is None or (amount == now and recipe is None):
            parts.append(f"{label}: {mg(amount)} as now")
        else:
            parts.append(f"{label}: " + " + ".join(piece_words(n, p) for n, p in recipe))
    return "; ".join(parts)


def _rows(plan: Plan, kit: Kit, labels: tuple[str, ...], brief: bool) -> tuple[PlanRow, ...]:
    """`brief` rows name only the time of day that changes ("others as before"); the appendix spells out every one."""
    today = plan.steps[0].amounts
    weeks = plan.bounds.table_weeks

    def how(step: PlanStep) -> str:
        if not brief or step.changed is None or len(labels) == 1:
            return _how(kit, labels, step.amounts, today)
        i = step.changed
        return _how(kit, labels[i : i + 1], step.amounts[i : i + 1], today[i : i + 1]) + "; others as before"

    return tuple(
        PlanRow(
            step=str(s.number) if s.number else "Now",
            week=str(s.number * weeks),
            daily=mg(s.daily),
            cut=share(s.cut) if s.number else "—",
            how=how(s),
        )
        for s in plan.steps
    )


def _phases(plan: Plan, shown: int) -> tuple[str, ...]:
    """The steps after the table, as runs of equal cuts in mg; more than 3 runs are merged into ranges."""
    rest = plan.steps[shown - 1 :]
    if len(rest) < 2:
        return ()
    runs: list[list[Fraction]] = []
    ends: list[Fraction] = []
    for before, after in pairwise(rest):
        cut = before.daily - after.daily
        if runs and runs[-1][0] == cut:
            runs[-1].append(cut)
            ends[-1] = after.daily
        else:
            runs.append([cut])
            ends.append(after.daily)
    while len(runs) > 3:
        i = min(range(len(runs) - 1), key=lambda k: len(runs[k]) + len(runs[k + 1]))
        runs[i : i + 2] = [runs[i] + runs[i + 1]]
        ends[i : i + 2] = [ends[i + 1]]
    low, high = plan.bounds.weeks_between
    phrases = []
    for cuts, end in zip(runs, ends, strict=True):
        amount = mg(cuts[0]) if min(cuts) == max(cuts) else f"{mg(min(cuts))[:-3]}–{mg(max(cuts))}"
        steps = "1 step" if len(cuts) == 1 else f"{len(cuts)} steps"
        phrases.append(f"then {amount} less at each step, every {low}–{high} weeks, until {mg(end)} a day ({steps})")
    return tuple(phrases)


def _steps_words(plan: Plan) -> str | None:
    """Say "the cuts get smaller" only when, in mg, they do."""
    daily = [s.daily for s in plan.steps]
    cuts = [a - b for a, b in pairwise(daily)]
    if len(cuts) < 2:
        return None
    shrinking = all(b <= a for a, b in pairwise(cuts)) and cuts[-1] < cuts[0]
    if shrinking and 2 * cuts.count(cuts[-1]) <= len(cuts):
        return (
            f"Each cut is a share of the current dose, so the cuts get smaller as the dose falls: {mg(cuts[0])} "
            f"at first, {mg(cuts[-1])} at the end."
        )
    if shrinking:
        return (
            f"The cuts go from {mg(cuts[0])} down to {mg(cuts[-1])}, and most are {mg(cuts[-1])}: with these "
            "products they cannot keep getting smaller as the dose falls."
        )
    if len(set(cuts)) == 1:
        return (
            f"Every cut here is {mg(cuts[0])}, the smallest amount the products allow: the cuts do not get smaller "
            "as the dose falls, so each is a bigger share of the dose (see the Cut column)."
        )
    return (
        f"The cuts here are between {mg(min(cuts))} and {mg(max(cuts))}, the amounts the products can make: they do "
        "not get smaller steadily as the dose falls (see the Cut column for each real share)."
    )


def _pace_words(pace: Pace, bounds: Bounds) -> str:
    low, high = bounds.weeks_between
    limit = f"cuts of at most {bounds.max_cut_percent:g}% of the current dose, a step every {low}–{high} weeks"
    if pace is Pace.as_guidelines:
        return (
            f"“As the guidelines suggest” is drafted at the faster end of that starting range: {limit}, and the "
            f"table shows a step every {bounds.table_weeks} weeks, the fastest start the guideline describes."
        )
    chosen = "A slow pace was chosen" if pace is Pace.slow else "No pace was chosen yet"
    return (
        f"{chosen}, so the draft takes the gentle end of that range: {limit}; the table shows a step every "
        f"{bounds.table_weeks} weeks."
    )


def _strengths(kit: Kit) -> str:
    """ "0.25, 0.5, 1, 2 mg tablets (2 mg scored)"; liquids by concentration."""
    by_form: dict[Form, tuple[set[float], set[float]]] = {}
    words = []
    for product in kit.products:
        if product.form.liquid:
            words.append(f"{product.mg_per_ml:g} mg/mL {product.form.words}")
            continue
        strengths, scored = by_form.setdefault(product.form, (set(), set()))
        strengths.update(product.strengths_mg or ())
        if product.splittable:
            scored.update(product.strengths_mg or ())
    for form, (strengths, scored) in by_form.items():
        marked = f" ({', '.join(f'{s:g}' for s in sorted(scored))} mg scored)" if scored else ""
        words.insert(0, f"{', '.join(f'{s:g}' for s in sorted(strengths))} mg {form.plural}{marked}")
    return "; ".join(words)


def _products_words(kit: Kit, countries: _CountryCode, generic: str, country: Country) -> str:
    where = " and ".join(countries)
    if not kit.pieces:
        return f"taperprep's product list has no confirmed {generic} product of this form sold in the {where}."
    halves = "whole, or halves of scored tablets" if any(p.half for p in kit.pieces) else "whole only"
    local = "; ask your pharmacist which are sold where you live" if country not in (Country.US, Country.GB) else ""
    return f"Doses use {generic} as sold in the {where}: {_strengths(kit)} ({halves}{local})."


def _duration(plan: Plan) -> str:
    low, high = plan.duration_weeks
    if plan.cuts == 0:
        return "No step can be made yet with these products; the time a taper takes depends on the option chosen."
    low_step, high_step = plan.bounds.weeks_between
    months = f" (about {low / 4.35:.0f}–{high / 4.35:.0f} months)" if low >= 9 else ""
    more = " Finishing from there takes further time." if plan.ending is Ending.products else ""
    return (
        f"If each step lasts {low_step} to {high_step} weeks, these {plan.cuts} steps take {low}–{high} weeks"
        f"{months}; pauses make it longer.{more}"
    )


def plan_part(
    medication: Medication,
    generic: str,
    pace: Pace,
    goal_mg: Fraction,
    country: Country,
    cite: Callable[[str], str | None],
    equivalence: Callable[[str, float], str],
) -> PlanPart:
    """The plan for one medicine, as it will be printed; `goal_mg` 0 means stop."""
    entry = products().for_generic(generic)
    countries = catalogue_countries(country)
    kit = kit_for(entry, countries, form_named(medication.name))
    labels, amounts = _labels(medication)
    bounds = bounds_for(pace)
    plan = make_plan(labels, amounts, kit, bounds, goal_mg)
    brief = _rows(plan, kit, labels, brief=True)
    fits = len(brief) <= ROWS_ON_PAGE
    shown = brief if fits else brief[:ROWS_BEFORE_PHASES]
    return PlanPart(
        plan=plan,
        rows=shown,
        phases=() if fits else _phases(plan, len(shown)),
        appendix=_rows(plan, kit, labels, brief=False),
        pace_words=_pace_words(pace, bounds),
        steps_words=_steps_words(plan),
        products_words=_products_words(kit, countries, generic, country),
        product_sources=tuple(dict.fromkeys(p.citation for p in kit.products)),
        stopping=stopping_words(plan, kit),
        options=options_for(plan, kit, entry, countries, generic, cite, equivalence)
        if plan.ending is Ending.products
        else (),
        duration=_duration(plan),
        chart_points=tuple((s.number * bounds.table_weeks, float(s.daily)) for s in plan.steps),
    )
