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
from app.library.translations import N_, _, ngettext
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
    "split_rule",
]

ROWS_ON_PAGE = 10
ROWS_BEFORE_PHASES = 5
"""A plan longer than ROWS_ON_PAGE rows shows today and the first cuts, then the rest as phases."""
SPLIT_RULE = N_(
    "taperprep's rule, not a guideline's, and a suggestion to discuss: each step lowers one time of day, the largest "
    "dose first (a bedtime dose last); at most {pieces} tablets or capsules at a time; halves only of tablets "
    "sold as scored (check yours); liquids in {ml} mL amounts."
)
_ORDINALS = (N_("1st dose"), N_("2nd dose"), N_("3rd dose"), N_("4th dose"), N_("5th dose"), N_("6th dose"))
_WHERE = {("US",): N_("the US"), ("UK",): N_("the UK"), ("US", "UK"): N_("the US and UK")}
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


def split_rule() -> str:
    """SPLIT_RULE in the language being spoken, its limits filled in."""
    return _(SPLIT_RULE).format(pieces=MAX_PIECES, ml=f"{float(LIQUID_STEP_ML):g}")


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
            tuple(_(TIME_WORDS[d.time]) for d in medication.doses),
            tuple(Fraction(str(d.mg)) for d in medication.doses),
        )
    times = medication.times_per_day or 1
    dose = Fraction(str(medication.dose_mg or 0))
    if times == int(times) and 1 <= times <= len(_ORDINALS):
        count = int(times)
        return ((_("Each day"),) if count == 1 else tuple(_(o) for o in _ORDINALS[:count])), (dose,) * count
    return (_("Each day"),), (dose * Fraction(str(times)),)


def _how(kit: Kit, labels: tuple[str, ...], amounts: tuple[Fraction, ...], today: tuple[Fraction, ...]) -> str:
    parts = []
    for label, amount, now in zip(labels, amounts, today, strict=True):
        if amount == 0:
            parts.append(_("{time}: none").format(time=label))
            continue
        recipe = kit.recipe(amount)
        if recipe is None or (amount == now and recipe is None):
            parts.append(_("{time}: {dose} as now").format(time=label, dose=mg(amount)))
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
        changed = _how(kit, labels[i : i + 1], step.amounts[i : i + 1], today[i : i + 1])
        return _("{changed}; others as before").format(changed=changed)

    return tuple(
        PlanRow(
            step=str(s.number) if s.number else _("Now"),
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
        phrases.append(
            ngettext(
                "then {amount} less at each step, every {low}–{high} weeks, until {end} a day ({n} step)",
                "then {amount} less at each step, every {low}–{high} weeks, until {end} a day ({n} steps)",
                len(cuts),
            ).format(amount=amount, low=low, high=high, end=mg(end), n=len(cuts))
        )
    return tuple(phrases)


def _steps_words(plan: Plan) -> str | None:
    """Say "the cuts get smaller" only when, in mg, they do."""
    daily = [s.daily for s in plan.steps]
    cuts = [a - b for a, b in pairwise(daily)]
    if len(cuts) < 2:
        return None
    shrinking = all(b <= a for a, b in pairwise(cuts)) and cuts[-1] < cuts[0]
    if shrinking and 2 * cuts.count(cuts[-1]) <= len(cuts):
        return _(
            "Each cut is a share of the current dose, so the cuts get smaller as the dose falls: {first} "
            "at first, {last} at the end."
        ).format(first=mg(cuts[0]), last=mg(cuts[-1]))
    if shrinking:
        return _(
            "The cuts go from {first} down to {last}, and most are {last}: with these "
            "products they cannot keep getting smaller as the dose falls."
        ).format(first=mg(cuts[0]), last=mg(cuts[-1]))
    if len(set(cuts)) == 1:
        return _(
            "Every cut here is {cut}, the smallest amount the products allow: the cuts do not get smaller "
            "as the dose falls, so each is a bigger share of the dose (see the Cut column)."
        ).format(cut=mg(cuts[0]))
    return _(
        "The cuts here are between {low} and {high}, the amounts the products can make: they do "
        "not get smaller steadily as the dose falls (see the Cut column for each real share)."
    ).format(low=mg(min(cuts)), high=mg(max(cuts)))


def _pace_words(pace: Pace, bounds: Bounds) -> str:
    low, high = bounds.weeks_between
    limit = _("cuts of at most {percent}% of the current dose, a step every {low}–{high} weeks").format(
        percent=f"{bounds.max_cut_percent:g}", low=low, high=high
    )
    if pace is Pace.as_guidelines:
        return _(
            "“As the guidelines suggest” is drafted at the faster end of that starting range: {limit}, and the "
            "table shows a step every {weeks} weeks, the fastest start the guideline describes."
        ).format(limit=limit, weeks=bounds.table_weeks)
    if pace is Pace.slow:
        return _(
            "A slow pace was chosen, so the draft takes the gentle end of that range: {limit}; the table shows a step "
            "every {weeks} weeks."
        ).format(limit=limit, weeks=bounds.table_weeks)
    return _(
        "No pace was chosen yet, so the draft takes the gentle end of that range: {limit}; the table shows a step "
        "every {weeks} weeks."
    ).format(limit=limit, weeks=bounds.table_weeks)


def _strengths(kit: Kit) -> str:
    """ "0.25, 0.5, 1, 2 mg tablets (2 mg scored)"; liquids by concentration."""
    by_form: dict[Form, tuple[set[float], set[float]]] = {}
    words = []
    for product in kit.products:
        if product.form.liquid:
            words.append(f"{product.mg_per_ml:g} mg/mL {_(product.form.words)}")
            continue
        strengths, scored = by_form.setdefault(product.form, (set(), set()))
        strengths.update(product.strengths_mg or ())
        if product.splittable:
            scored.update(product.strengths_mg or ())
    for form, (strengths, scored) in by_form.items():
        listed = f"{', '.join(f'{s:g}' for s in sorted(strengths))} mg {_(form.plural)}"
        if scored:
            listed += " " + _("({strengths} mg scored)").format(strengths=", ".join(f"{s:g}" for s in sorted(scored)))
        words.insert(0, listed)
    return "; ".join(words)


def _products_words(kit: Kit, countries: _CountryCode, generic: str, country: Country) -> str:
    where = _(_WHERE[countries])
    if not kit.pieces:
        return _("taperprep's product list has no confirmed {generic} product of this form sold in {where}.").format(
            generic=generic, where=where
        )
    halves = _("whole, or halves of scored tablets") if any(p.half for p in kit.pieces) else _("whole only")
    if country not in (Country.US, Country.GB):
        halves = _("{halves}; ask your pharmacist which are sold where you live").format(halves=halves)
    return _("Doses use {generic} as sold in {where}: {strengths} ({halves}).").format(
        generic=generic, where=where, strengths=_strengths(kit), halves=halves
    )


def _duration(plan: Plan) -> str:
    low, high = plan.duration_weeks
    if plan.cuts == 0:
        return _("No step can be made yet with these products; the time a taper takes depends on the option chosen.")
    low_step, high_step = plan.bounds.weeks_between
    values = {"low_step": low_step, "high_step": high_step, "n": plan.cuts, "low": low, "high": high}
    if low >= 9:
        words = _(
            "If each step lasts {low_step} to {high_step} weeks, these {n} steps take {low}–{high} weeks (about "
            "{low_months}–{high_months} months); pauses make it longer."
        ).format(**values, low_months=f"{low / 4.35:.0f}", high_months=f"{high / 4.35:.0f}")
    else:
        words = _(
            "If each step lasts {low_step} to {high_step} weeks, these {n} steps take {low}–{high} weeks; pauses make "
            "it longer."
        ).format(**values)
    if plan.ending is Ending.products:
        words += " " + _("Finishing from there takes further time.")
    return words


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
