"""Property tests of the taper arithmetic over drugs × countries × forms × doses × times × paces × goals.

≥ 500 examples each in `make test`; `make fuzz` runs many more (TAPERPREP_PLAN_EXAMPLES).
"""

from __future__ import annotations

import os
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from app.library.products import Form, products
from app.packet.makeable import Kit, kit_for
from app.packet.plan import Ending, Plan, make_plan
from app.packet.taper import MAX_CUT_IN_TWO_WEEKS, bounds_for
from app.story import DoseTime, Pace

EXAMPLES = int(os.environ.get("TAPERPREP_PLAN_EXAMPLES", "500"))
PROPERTIES = settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=EXAMPLES <= 500)

_CATALOGUE = products()
_COUNTRIES = (("US",), ("UK",), ("US", "UK"))
_FORMS = (
    None,
    Form.tablet,
    Form.capsule,
    Form.extended_release_tablet,
    Form.orally_disintegrating_tablet,
    Form.oral_solution,
)


@st.composite
def cases(draw: st.DrawFn) -> tuple[Kit, Plan]:
    generic = draw(st.sampled_from(sorted(_CATALOGUE.generics())))
    kit = kit_for(_CATALOGUE.for_generic(generic), draw(st.sampled_from(_COUNTRIES)), draw(st.sampled_from(_FORMS)))
    times = tuple(draw(st.lists(st.sampled_from(list(DoseTime)), min_size=1, max_size=4, unique=True)))
    if kit.pieces and draw(st.booleans()):
        choices = kit.amounts(kit.smallest * 12)[1:]
        amounts = tuple(draw(st.sampled_from(choices)) for _ in times)
    else:
        amounts = tuple(Fraction(draw(st.integers(1, 4000)), 100) for _ in times)
    start = sum(amounts, Fraction(0))
    goal = draw(st.sampled_from([Fraction(0), start / 2, start * Fraction(draw(st.integers(1, 100)), 100)]))
    plan = make_plan(times, amounts, kit, bounds_for(draw(st.sampled_from(list(Pace)))), goal)
    return kit, plan


@PROPERTIES
@given(cases())
def test_every_dose_is_makeable_and_every_cut_within_bounds(case: tuple[Kit, Plan]) -> None:
    kit, plan = case
    daily = [s.daily for s in plan.steps]
    today = plan.steps[0].amounts
    for step in plan.steps[1:]:
        assert all(kit.makes(a) or a == now for a, now in zip(step.amounts, today, strict=True)), step
    for before, after in zip(plan.steps, plan.steps[1:], strict=False):
        assert after.daily < before.daily, "every step lowers the daily dose"
        assert all(a <= b for a, b in zip(after.amounts, before.amounts, strict=True)), "no time of day rises"
        assert sum(1 for a, b in zip(after.amounts, before.amounts, strict=True) if a != b) == 1
        assert after.cut == (before.daily - after.daily) / before.daily
        assert after.cut <= plan.bounds.max_cut
    for earlier, later in zip(daily, daily[2:], strict=False):
        assert (earlier - later) / earlier <= MAX_CUT_IN_TWO_WEEKS
    assert plan.end >= plan.goal_mg


@PROPERTIES
@given(cases())
def test_the_plan_stops_only_where_no_product_makes_the_next_cut(case: tuple[Kit, Plan]) -> None:
    kit, plan = case
    if plan.ending is not Ending.products:
        assert plan.goal_mg > 0
        return
    last, daily = plan.steps[-1].amounts, plan.end
    lowest = daily * (1 - plan.bounds.max_cut)
    if len(plan.steps) >= 2:
        lowest = max(lowest, plan.steps[-2].daily * (1 - MAX_CUT_IN_TWO_WEEKS))
    for index, current in enumerate(last):
        for amount in kit.amounts(current):
            assert not (amount < current and daily - current + amount >= lowest), (index, amount)
