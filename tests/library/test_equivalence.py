"""app/library/equivalence.py: ranges span every source's figure, name their sources, and never invent a figure."""

from __future__ import annotations

import pytest

from app.library.drugs import DRUGS
from app.library.equivalence import SOURCES, diazepam_equivalent, equivalence_note, figures_for


def test_alprazolam_spans_ashton_and_va_dod() -> None:
    # Ashton: 0.5 mg = 10 mg diazepam, so 2 mg = 40 mg; VA/DoD: 1 mg = 10 mg, so 2 mg = 20 mg.
    found = diazepam_equivalent("alprazolam", 2)
    assert found is not None
    assert (found.low_mg, found.high_mg) == (20, 40)
    assert found.sources == ("Ashton 2002", "VA/DoD 2021")
    assert found.text == "about 20–40 mg diazepam a day (Ashton 2002; VA/DoD 2021)"


def test_a_range_inside_one_source_widens_the_span() -> None:
    # Flurazepam: Ashton 15–30 mg, VA/DoD 15 mg per 10 mg diazepam; 30 mg a day = 10–20 mg diazepam.
    found = diazepam_equivalent("flurazepam", 30)
    assert found is not None and (found.low_mg, found.high_mg) == (10, 20)


def test_quazepam_sources_disagree_in_either_direction() -> None:
    # Ashton 20 mg, VA/DoD 10 mg: 15 mg quazepam = 7.5–15 mg diazepam, whichever source gives the higher figure.
    found = diazepam_equivalent("quazepam", 15)
    assert found is not None and (found.low_mg, found.high_mg) == (7.5, 15)
    assert found.text == "about 7.5–15 mg diazepam a day (Ashton 2002; VA/DoD 2021)"


def test_secondary_figures_say_so() -> None:
    found = diazepam_equivalent("zolpidem", 10)
    assert found is not None and (found.low_mg, found.high_mg) == (5, 5)
    assert found.text == (
        "about 5 mg diazepam a day (one source only: Ashton 2002, via secondary reproduction; other tables may differ)"
    )


def test_two_agreeing_columns_say_they_agree() -> None:
    found = diazepam_equivalent("chlordiazepoxide", 25)
    assert found is not None
    assert found.text == "about 10 mg diazepam a day (Ashton 2002 and VA/DoD 2021 agree; other tables may differ)"


def test_equivalence_note_names_table_7_only_for_its_own_drugs() -> None:
    """W2: the Table 7 note for Table 7 drugs, the secondary-copy note for the rest, neither for unknown drugs."""
    z_drug_only = equivalence_note(["zolpidem"])
    assert z_drug_only is not None and "Table 7 and its notes" not in z_drug_only
    assert "not in ASAM's Table 7 and were not checked against the manual" in z_drug_only
    table_7_only = equivalence_note(["alprazolam"])
    assert table_7_only is not None and "Table 7 and its notes, p. 19" in table_7_only
    assert "secondary" not in table_7_only
    both = equivalence_note(["alprazolam", "zolpidem", None])
    assert both is not None and "Table 7 and its notes" in both and "via secondary reproduction" in both
    assert equivalence_note([None]) is None


def test_every_drug_taperprep_knows_has_figures_from_named_sources() -> None:
    for drug in DRUGS:
        figures = figures_for(drug.generic)
        assert figures, drug.generic
        assert all(f.source in SOURCES and 0 < f.low_mg <= f.high_mg for f in figures)


@pytest.mark.parametrize(("generic", "daily"), [("gabapentin", 300), ("", 1), ("alprazolam", 0)])
def test_no_figure_means_none(generic: str, daily: float) -> None:
    assert diazepam_equivalent(generic, daily) is None


def test_shown_amounts_are_rounded_like_estimates() -> None:
    # Lorazepam 1.5 mg: Ashton 1 mg -> 15 mg; VA/DoD 2 mg -> 7.5 mg. Clonazepam 0.75 mg: 7.5–15 mg.
    lorazepam = diazepam_equivalent("lorazepam", 1.5)
    assert lorazepam is not None and lorazepam.text.startswith("about 7.5–15 mg")
    chlordiazepoxide = diazepam_equivalent("chlordiazepoxide", 33)
    assert chlordiazepoxide is not None and chlordiazepoxide.text.startswith("about 13 mg")
