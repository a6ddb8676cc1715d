"""app/library/products.py: the shipped catalogue loads; a broken one is refused naming the file and the field."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.errors import CatalogueError
from app.library import products as catalogue
from app.library.drugs import DRUGS
from app.library.products import PRODUCTS_FILE, Form, form_named, load_products, products
from app.settings import Settings
from app.web.render_queue import build_service

_GOOD = """\
alprazolam:
  products:
    - {country: US, form: tablet, strengths_mg: [0.25, 0.5], scored: true, brand: null, source: "A label",
       locator: "DESCRIPTION", url: "https://example.org/a", checked: 2026-12-02}
"""


def test_the_shipped_catalogue_covers_only_known_drugs_and_keeps_unconfirmed_entries_out() -> None:
    shipped = products()
    assert shipped.generics() <= {d.generic for d in DRUGS}
    alprazolam = shipped.for_generic("alprazolam")
    assert any(p.unconfirmed for p in alprazolam.products)
    assert all(not p.unconfirmed for p in alprazolam.confirmed("US"))
    assert all(p.locator for p in alprazolam.confirmed("US"))


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("alprazolam: [unclosed", "cannot be read as YAML"),
        (_GOOD.replace("form: tablet", "form: gummy"), "alprazolam.products[0].form:"),
        (_GOOD.replace("[0.25, 0.5]", "[0.25, -1]"), "alprazolam.products[0]:"),
        (_GOOD.replace('locator: "DESCRIPTION"', "locator: null"), "alprazolam.products[0]:"),
        (_GOOD.replace('url: "https://example.org/a"', 'url: "example.org"'), "alprazolam.products[0].url:"),
        (_GOOD.replace("alprazolam:", "alprazolom:"), "alprazolom: not a medicine in taperprep's drug table"),
        (_GOOD.replace("scored: true,", "scored: true, colour: red,"), "alprazolam.products[0].colour:"),
    ],
    ids=["yaml", "form", "strength", "locator", "url", "generic", "extra-field"],
)
def test_a_broken_catalogue_names_the_file_and_the_field(tmp_path: Path, text: str, where: str) -> None:
    broken = tmp_path / "products.yaml"
    broken.write_text(text, encoding="utf-8")
    with pytest.raises(CatalogueError) as refused:
        load_products(broken, frozenset(d.generic for d in DRUGS))
    message = str(refused.value)
    assert message.startswith(f"{broken}: ") and where in message


def test_start_up_refuses_a_broken_catalogue(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    broken = tmp_path / "products.yaml"
    broken.write_text(_GOOD.replace("form: tablet", "form: gummy"), encoding="utf-8")
    monkeypatch.setattr(catalogue, "PRODUCTS_FILE", broken)
    products.cache_clear()
    try:
        with pytest.raises(CatalogueError, match=r"alprazolam\.products\[0\]\.form"):
            build_service(Settings())
    finally:
        monkeypatch.setattr(catalogue, "PRODUCTS_FILE", PRODUCTS_FILE)
        products.cache_clear()


@pytest.mark.parametrize(
    ("name", "form"),
    [
        ("Xanax XR", Form.extended_release_tablet),
        ("Ambien CR", Form.extended_release_tablet),
        ("Edluar", Form.sublingual_tablet),
        ("clonazepam ODT", Form.orally_disintegrating_tablet),
        ("diazepam oral solution", Form.oral_solution),
        ("Alprazolam Intensol", Form.oral_concentrate),
        ("temazepam capsules", Form.capsule),
        ("Xanax", None),
    ],
)
def test_a_name_says_its_form(name: str, form: Form | None) -> None:
    assert form_named(name) is form
