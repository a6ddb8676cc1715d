"""A plan that stops where the products stop → why it stops there, and the options to discuss (cited).

Each option is worked out, not just named: how far a lower strength or a liquid would take the plan within the same
bounds, what a compounded form would need to make, and the rough diazepam equivalent for a switch.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction

from app.library.products import DrugProducts, Form
from app.library.translations import _, ngettext
from app.packet.makeable import LIQUID_STEP_ML, Kit, kit_for
from app.packet.plan import Ending, Plan, make_plan
from app.packet.taper import draft_taper, precision_for
from app.packet.words import mg, share
from app.story import Outcome, Pace

__all__ = ["Option", "options_for", "stopping_words"]


@dataclass(frozen=True)
class Option:
    title: str
    text: str
    citation: str | None = None


def _smallest_cut(plan: Plan, kit: Kit) -> Fraction | None:
    last = plan.steps[-1].amounts
    cuts = [now - lower for now in last for lower in kit.amounts(now) if lower < now]
    return min(cuts, default=None)


def _carry_on(plan: Plan, kit: Kit) -> Plan:
    last = plan.steps[-1]
    return make_plan(plan.times, last.amounts, kit, plan.bounds, plan.goal_mg)


def _later_doses(plan: Plan, count: int = 3) -> list[Fraction]:
    return [s.daily for s in plan.steps[1 : count + 1]]


def options_for(
    plan: Plan,
    kit: Kit,
    entry: DrugProducts,
    countries: tuple[str, ...],
    generic: str,
    cite: Callable[[str], str | None],
    equivalence: Callable[[str, float], str],
) -> tuple[Option, ...]:
    """`equivalence` words a diazepam equivalent with the citation of the copy it is printed in."""
    options: list[Option] = []
    confirmed = [p for c in countries for p in entry.confirmed(c) if p not in kit.products]
    smallest = kit.smallest
    for product in confirmed:
        if product.form.liquid or product.form is Form.extended_release_tablet:
            continue
        wider = kit.with_product(product)
        if smallest is not None and wider.smallest is not None and wider.smallest >= smallest:
            continue
        further = _carry_on(plan, wider)
        strengths = ", ".join(f"{s:g}" for s in product.strengths_mg or ())
        name = f"{generic} {strengths} mg {_(product.form.plural)}"
        if further.cuts:
            text = ngettext(
                "With {name} as well, the plan could go on to {dose} a day ({n} more step within the same bounds).",
                "With {name} as well, the plan could go on to {dose} a day ({n} more steps within the same bounds).",
                further.cuts,
            ).format(name=name, dose=mg(further.end), n=further.cuts)
        else:
            cut = _smallest_cut(plan, wider) or plan.end
            text = _capitalized(
                _(
                    "{name} are sold, but even with them the smallest cut here would be {cut}, {share} of the dose."
                ).format(name=name, cut=mg(cut), share=share(cut / plan.end))
            )
        options.append(Option(_("A lower strength or another form"), text, product.short_citation))
    liquids = [p for p in confirmed if p.form.liquid]
    for product in sorted(liquids, key=lambda p: p.mg_per_ml or 0)[:1]:
        liquid_kit = kit_for(DrugProducts(products=[product]), (product.country,), Form.oral_solution)
        further = _carry_on(plan, liquid_kit)
        name = _("the {strength} mg/mL {form}").format(strength=f"{product.mg_per_ml:g}", form=_(product.form.words))
        step_ml = f"{float(LIQUID_STEP_ML):g}"
        if further.cuts == 1:
            text = _(
                "With {name}, the next step could be {dose} a day; the one after would again need a finer amount."
            ).format(name=name, dose=mg(further.end))
        elif further.cuts:
            doses = ", ".join(mg(d) for d in _later_doses(further))
            text = ngettext(
                "With {name}, measured in {ml} mL amounts, the next steps could be {doses} a day, going on to {end} "
                "a day ({n} step).",
                "With {name}, measured in {ml} mL amounts, the next steps could be {doses} a day, going on to {end} "
                "a day ({n} steps).",
                further.cuts,
            ).format(name=name, ml=step_ml, doses=doses, end=mg(further.end), n=further.cuts)
        else:
            text = _capitalized(
                _("{name} exists, but in {ml} mL amounts it cannot make a cut within the bounds here either.").format(
                    name=name, ml=step_ml
                )
            )
        others = [f"{p.mg_per_ml:g} mg/mL" for p in liquids if p is not product]
        if others:
            text += " " + _("Also sold: {others}.").format(others=", ".join(others))
        options.append(Option(_("A liquid"), text, product.short_citation))
    fine = draft_taper(
        float(plan.end),
        Pace.slow if plan.bounds.max_cut_percent <= 5 else Pace.as_guidelines,
        Outcome.stop,
        precision_mg=precision_for(generic, float(plan.end)),
    )
    needed = ", ".join(mg(s.daily_mg) for s in fine.steps[1:4])
    if needed:
        options.append(
            Option(
                _("A specially made (compounded) form"),
                _(
                    "A pharmacy may be able to make capsules or a liquid in amounts no product comes in. The next "
                    "steps within the bounds would need about {needed} a day."
                ).format(needed=needed),
                cite("maudsley-2024-small-doses"),
            )
        )
    if generic != "diazepam":
        options.append(
            Option(
                _("Switching to a longer-acting medicine"),
                _(
                    "Switching to a comparable dose of a longer-acting medicine such as diazepam, which comes in more "
                    "strengths and liquids, can be considered. The diazepam equivalent of {dose} of {generic} a "
                    "day is {equivalence}. Equivalents are rough guides; switching over 1–2 "
                    "weeks may work better than over 1–2 days."
                ).format(dose=mg(plan.end), generic=generic, equivalence=equivalence(generic, float(plan.end))),
                cite("asam-2025-rec-7"),
            )
        )
    return tuple(options)


def stopping_words(plan: Plan, kit: Kit) -> str | None:
    if plan.ending is not Ending.products:
        return None
    limit = f"{plan.bounds.max_cut_percent:g}%"
    dose = mg(plan.end)
    where = (
        _("at today's dose, {dose} a day").format(dose=dose)
        if plan.cuts == 0
        else _("at {dose} a day").format(dose=dose)
    )
    smallest = _smallest_cut(plan, kit)
    if smallest is None:
        why = _("no product of this form makes a lower dose")
    else:
        why = _(
            "the smallest cut these products can make is {cut}, which is {portion} of the dose, more than the {limit} "
            "limit"
        ).format(cut=mg(smallest), portion=share(smallest / plan.end), limit=limit)
    return _("The plan stops {where}: {why}. It proposes no dose no product makes. Options to discuss:").format(
        where=where, why=why
    )


def _capitalized(sentence: str) -> str:
    return sentence[0].upper() + sentence[1:]
