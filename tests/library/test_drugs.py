"""Names as people type them → the drug taperprep knows, or None (never a guess)."""

from __future__ import annotations

import pytest

from app.library.drugs import DRUGS, DrugClass, identify


@pytest.mark.parametrize(
    "typed,generic",
    [
        ("Xanax", "alprazolam"),
        ("xanax xr", "alprazolam"),
        ("XANAX 0.5 mg", "alprazolam"),
        ("Klonopin", "clonazepam"),
        ("Rivotril", "clonazepam"),
        ("Ativan", "lorazepam"),
        ("Valium", "diazepam"),
        ("Restoril", "temazepam"),
        ("Librium", "chlordiazepoxide"),
        ("Halcion", "triazolam"),
        ("Tranxene", "clorazepate"),
        ("Serax", "oxazepam"),
        ("oxazepam", "oxazepam"),
        ("Ambien", "zolpidem"),
        ("Stilnox", "zolpidem"),
        ("Lunesta", "eszopiclone"),
        ("eszopiclone", "eszopiclone"),
        ("zopiclone", "zopiclone"),
        ("Sonata", "zaleplon"),
        ("  diazepam tablets ", "diazepam"),
    ],
)
def test_generic_and_brand_names(typed: str, generic: str) -> None:
    drug = identify(typed)
    assert drug is not None and drug.generic == generic


@pytest.mark.parametrize("typed", ["sertraline", "xanaxx", "benzo", "", "Xan", "10 mg"])
def test_unknown_names_are_not_guessed(typed: str) -> None:
    assert identify(typed) is None


def test_z_drugs_are_marked() -> None:
    z = {d.generic for d in DRUGS if d.drug_class is DrugClass.z_drug}
    assert z == {"zolpidem", "zopiclone", "eszopiclone", "zaleplon"}
