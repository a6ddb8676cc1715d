"""app/packet/taper.py: the draft never leaves ASAM 2025 Rec. 6's bounds; the worked examples match hand arithmetic."""

from __future__ import annotations

import math
from fractions import Fraction
from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.packet.taper import SMALLEST_TABLET_MG, Goal, TaperDraft, draft_taper, precision_for
from app.story import Outcome, Pace

TOLERANCE = 1e-9  # floats come from exact fractions; this only absorbs the last binary digit


def _doses(draft: TaperDraft) -> list[float]:
    return [s.daily_mg for s in draft.steps]


def _on_grid(dose: float, grid: float) -> bool:
    return (Fraction(str(dose)) / Fraction(str(grid))).denominator == 1


def _check_bounds(draft: TaperDraft, pace: Pace) -> None:
    doses = _doses(draft)
    max_cut = 0.10 if pace is Pace.as_guidelines else 0.05
    assert draft.bounds.max_cut_percent == pytest.approx(max_cut * 100)
    assert all(math.isfinite(d) and d > 0 for d in doses)
    for before, after, step in zip(doses, doses[1:], draft.steps[1:], strict=False):
        assert after < before
        assert before - after <= before * max_cut * (1 + TOLERANCE)
        assert step.cut_percent <= max_cut * 100 + TOLERANCE
    # At the fastest allowed timing (a cut every 2 weeks), any 2-week window holds at most two cuts.
    assert draft.bounds.weeks_between[0] >= 2
    for before, after in zip(doses, doses[2:], strict=False):
        assert before - after <= before * 0.25
    weeks = [s.start_week for s in draft.steps]
    assert all(b - a >= 2 for a, b in pairwise(weeks))
    assert draft.duration_weeks == (2 * draft.cuts, 4 * draft.cuts)


def _check_end(draft: TaperDraft) -> None:
    end, grid = Fraction(str(draft.end_mg)), Fraction(str(draft.precision_mg))
    if draft.floor_reached:
        assert draft.floor_mg == draft.end_mg > draft.goal_mg
        lowest = end * (1 - draft.bounds.max_cut)
        assert math.ceil(lowest / grid) * grid >= end and lowest > Fraction(str(draft.goal_mg))
    else:
        assert draft.floor_mg is None
        assert draft.end_mg == draft.goal_mg
    for step in draft.steps[1:-1]:
        assert _on_grid(step.daily_mg, draft.precision_mg)


doses = st.floats(min_value=0.01, max_value=1000, allow_nan=False, allow_infinity=False)
grids = st.sampled_from(sorted({precision_for(g, 1) for g in SMALLEST_TABLET_MG})) | st.none()


@settings(max_examples=300, deadline=None)
@given(
    daily=doses,
    pace=st.sampled_from(list(Pace)),
    outcome=st.sampled_from(list(Outcome)),
    target=st.none() | st.floats(min_value=0.001, max_value=1000, allow_nan=False),
    grid=grids,
)
def test_every_draft_stays_inside_rec_6(
    daily: float, pace: Pace, outcome: Outcome, target: float | None, grid: float | None
) -> None:
    draft = draft_taper(daily, pace, outcome, target, grid)
    assert draft.start_mg == draft.steps[0].daily_mg == daily
    _check_bounds(draft, pace)
    _check_end(draft)


def test_alprazolam_half_mg_three_times_a_day_slow_to_stop() -> None:
    # 0.5 mg x 3 = 1.5 mg a day. Grid: smallest tablet 0.25 mg / 20 = 0.0125, taken down to 0.01 mg. Slow: 5%.
    # 1.5 x 0.95 = 1.425, rounded up to 1.43 (cut 0.07 = 4.67%); 1.43 x 0.95 = 1.3585 -> 1.36 (0.07 = 4.90%);
    # 1.36 x 0.95 = 1.292 -> 1.30 (0.06 = 4.41%). Near the end: 0.20 x 0.95 = 0.19 exactly; 0.19 x 0.95 = 0.1805,
    # rounded up to 0.19: no cut is left, so the floor is 0.19 mg, after 50 cuts 4 weeks apart (2-4 weeks: 100-200).
    draft = draft_taper(1.5, Pace.slow, Outcome.stop, precision_mg=precision_for("alprazolam", 1.5))
    assert draft.precision_mg == 0.01
    assert _doses(draft)[:4] == [1.5, 1.43, 1.36, 1.3]
    assert [round(s.cut_percent, 2) for s in draft.steps[1:4]] == [4.67, 4.9, 4.41]
    assert [s.start_week for s in draft.steps[:4]] == [0, 4, 8, 12]
    assert _doses(draft)[-2:] == [0.2, 0.19]
    assert draft.goal is Goal.stop and draft.floor_reached and draft.floor_mg == 0.19
    assert draft.cuts == 50 and draft.duration_weeks == (100, 200)


def test_clonazepam_2mg_reduce_to_1mg() -> None:
    # Grid: 0.5 mg tablet / 20 = 0.025 mg. As guidelines: 10%. 2 x 0.9 = 1.8; 1.8 x 0.9 = 1.62 -> 1.625 (cut 9.72%);
    # 1.625 x 0.9 = 1.4625 -> 1.475; 1.35; 1.225; 1.125; 1.125 x 0.9 = 1.0125 -> 1.025; 1.025 x 0.9 = 0.9225 is below
    # the target, so the last step goes to 1 mg (cut 0.025 = 2.44%). 8 cuts: 16-32 weeks.
    grid = precision_for("clonazepam", 2)
    draft = draft_taper(2, Pace.as_guidelines, Outcome.reduce, target_mg=1, precision_mg=grid)
    assert _doses(draft) == [2, 1.8, 1.625, 1.475, 1.35, 1.225, 1.125, 1.025, 1]
    assert round(draft.steps[2].cut_percent, 2) == 9.72 and round(draft.steps[-1].cut_percent, 2) == 2.44
    assert draft.goal is Goal.target and not draft.floor_reached
    assert draft.duration_weeks == (16, 32)
    # Pace not chosen: drafted at the gentle end, 5% steps: 2 -> 1.9 -> 1.805 rounded up to 1.825 -> ...
    gentle = draft_taper(2, Pace.undecided, Outcome.reduce, target_mg=1, precision_mg=grid)
    assert _doses(gentle)[:3] == [2, 1.9, 1.825] and gentle.end_mg == 1 and gentle.cuts == 16


def test_diazepam_40mg_as_guidelines() -> None:
    # Grid: 2 mg tablet / 20 = 0.1 mg. 40 x 0.9 = 36; 32.4; 32.4 x 0.9 = 29.16 -> 29.2 (9.88%); 29.2 x 0.9 = 26.28
    # -> 26.3. At the end: 1.0 x 0.9 = 0.9; 0.9 x 0.9 = 0.81 -> 0.9, no cut: floor 0.9 mg after 41 cuts, 82-164 weeks.
    draft = draft_taper(40, Pace.as_guidelines, Outcome.stop, precision_mg=precision_for("diazepam", 40))
    assert _doses(draft)[:5] == [40, 36, 32.4, 29.2, 26.3]
    assert [s.start_week for s in draft.steps[:3]] == [0, 2, 4]
    assert draft.steps[4].percent_of_start == pytest.approx(65.75)
    assert draft.floor_mg == 0.9 and draft.cuts == 41 and draft.duration_weeks == (82, 164)


@pytest.mark.parametrize("outcome", [Outcome.undecided, Outcome.reduce])
def test_without_a_target_the_draft_goes_half_way(outcome: Outcome) -> None:
    draft = draft_taper(10, Pace.as_guidelines, outcome, precision_mg=0.1)
    assert draft.goal is Goal.half and draft.end_mg == 5 and not draft.floor_reached


def test_a_target_at_or_above_the_dose_drafts_no_cuts() -> None:
    draft = draft_taper(2, Pace.slow, Outcome.reduce, target_mg=3, precision_mg=0.025)
    assert draft.cuts == 0 and draft.end_mg == 2 and draft.duration_weeks == (0, 0)


def test_a_dose_too_small_for_its_grid_is_already_at_the_floor() -> None:
    draft = draft_taper(0.01, Pace.as_guidelines, Outcome.stop, precision_mg=0.1)
    assert draft.cuts == 0 and draft.floor_reached and draft.floor_mg == 0.01


def test_an_unknown_drug_grid_is_about_one_percent_of_the_dose() -> None:
    assert precision_for(None, 40) == 0.25
    assert precision_for("not-a-drug", 3) == 0.025
    assert precision_for("Diazepam", 40) == 0.1


@pytest.mark.parametrize("bad", [0, -1, math.nan, math.inf])
def test_nonsense_doses_are_refused(bad: float) -> None:
    with pytest.raises(ValueError, match="daily_mg"):
        draft_taper(bad, Pace.slow, Outcome.stop)
