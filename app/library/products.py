"""products.yaml → the strengths and forms sold per generic and country, validated, each with the page it came from."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction
from functools import cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from app.errors import CatalogueError
from app.library.drugs import DRUGS
from app.library.translations import N_
from app.library.yaml_text import load_yaml

__all__ = [
    "PRODUCTS_FILE",
    "DrugProducts",
    "Form",
    "Piece",
    "Product",
    "Products",
    "form_named",
    "load_products",
    "products",
]

PRODUCTS_FILE = Path(__file__).with_name("products.yaml")


class Form(StrEnum):
    tablet = "tablet"
    orally_disintegrating_tablet = "orally_disintegrating_tablet"
    extended_release_tablet = "extended_release_tablet"
    sublingual_tablet = "sublingual_tablet"
    capsule = "capsule"
    oral_solution = "oral_solution"
    oral_concentrate = "oral_concentrate"

    @property
    def liquid(self) -> bool:
        return self in (Form.oral_solution, Form.oral_concentrate)

    @property
    def words(self) -> str:
        return _FORM_WORDS[self][0]

    @property
    def plural(self) -> str:
        return _FORM_WORDS[self][1]


_FORM_WORDS = {  # translated where printed (app/packet/plan_options.py)
    Form.tablet: (N_("tablet"), N_("tablets")),
    Form.orally_disintegrating_tablet: (N_("orally disintegrating tablet"), N_("orally disintegrating tablets")),
    Form.extended_release_tablet: (
        N_("extended-release tablet (swallow whole, do not split)"),
        N_("extended-release tablets (swallow whole, do not split)"),
    ),
    Form.sublingual_tablet: (N_("under-the-tongue tablet"), N_("under-the-tongue tablets")),
    Form.capsule: (N_("capsule"), N_("capsules")),
    Form.oral_solution: (N_("oral solution"), N_("oral solutions")),
    Form.oral_concentrate: (N_("oral concentrate"), N_("oral concentrates")),
}


class _Entry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Product(_Entry):
    """One product line as its label or SmPC was seen; `scored` None means the text seen did not say."""

    country: Literal["US", "UK"]
    form: Form
    strengths_mg: list[float] | None = Field(default=None, min_length=1)
    mg_per_ml: float | None = Field(default=None, gt=0)
    scored: bool | None
    brand: str | None
    source: str = Field(min_length=1)
    locator: str | None
    url: str = Field(pattern=r"^https?://")
    checked: dt.date
    unconfirmed: bool = False
    searched_for: str | None = None
    note: str | None = None

    @model_validator(mode="after")
    def _amount_for_form(self) -> Product:
        if self.form.liquid and (self.mg_per_ml is None or self.strengths_mg is not None):
            raise ValueError("a liquid gives mg_per_ml and no strengths_mg")
        if not self.form.liquid and (self.strengths_mg is None or self.mg_per_ml is not None):
            raise ValueError("a tablet or capsule gives strengths_mg and no mg_per_ml")
        if self.strengths_mg is not None and min(self.strengths_mg) <= 0:
            raise ValueError("strengths_mg must all be above 0")
        if not self.unconfirmed and not self.locator:
            raise ValueError("a confirmed product names the locator where it was seen")
        return self

    @property
    def splittable(self) -> bool:
        """Halves only of tablets the text seen calls scored; never extended-release, capsules or unscored ones."""
        return self.form is Form.tablet and self.scored is True

    @property
    def citation(self) -> str:
        """The full record: the page seen and the words that show it."""
        return f"{self.source}; {self.locator}" if self.locator else self.source

    @property
    def short_citation(self) -> str:
        """For the one-page plan: the label named, and its section (the full record goes to the booklet)."""
        label = self.source.split(";")[0].split(", copy on")[0].split(" (copy on")[0].strip()
        section = (self.locator or "").split(":")[0].strip()
        return f"{label}; {section}" if section else label


class _Other(_Entry):
    """Products outside the forms a plan can use (ER capsule, film, spray, combination): kept, never dosed from."""

    model_config = ConfigDict(extra="allow", frozen=True)
    country: Literal["US", "UK"]
    form: str
    url: str


class _NoneFound(_Entry):
    country: Literal["US", "UK"]
    searched_for: str | None = None
    note: str
    url: str | None = None


class DrugProducts(_Entry):
    products: list[Product]
    other_products: list[_Other] = Field(default_factory=list)
    none_found: list[_NoneFound] = Field(default_factory=list)
    not_researched: str | None = None

    def confirmed(self, country: str) -> tuple[Product, ...]:
        """The products a plan may make doses from: seen on a label or SmPC in that country."""
        return tuple(p for p in self.products if p.country == country and not p.unconfirmed)


@dataclass(frozen=True)
class Piece:
    """One thing a person can take: a whole tablet or capsule, half a scored tablet, or 0.1 mL of a liquid."""

    mg: Fraction
    product: Product
    strength_mg: Fraction
    half: bool = False


class Products:
    """The whole catalogue, keyed by generic."""

    def __init__(self, drugs: dict[str, DrugProducts]) -> None:
        self._drugs = drugs

    def generics(self) -> frozenset[str]:
        return frozenset(self._drugs)

    def for_generic(self, generic: str) -> DrugProducts:
        return self._drugs.get(generic, DrugProducts(products=[]))


def _where(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def load_products(path: Path = PRODUCTS_FILE, generics: frozenset[str] | None = None) -> Products:
    """The catalogue, or CatalogueError naming the file and the field that is wrong (checked at start-up)."""
    try:
        raw = load_yaml(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise CatalogueError(f"{path}: cannot be read as YAML ({exc})") from None
    if not isinstance(raw, dict):
        raise CatalogueError(f"{path}: the file must map each generic name to its products")
    drugs: dict[str, DrugProducts] = {}
    for generic, entry in raw.items():
        if not isinstance(generic, str) or not re.fullmatch(r"[a-z]+", generic):
            raise CatalogueError(f"{path}: {generic!r}: a generic name is lower-case letters only")
        if generics is not None and generic not in generics:
            raise CatalogueError(f"{path}: {generic}: not a medicine in taperprep's drug table")
        try:
            drugs[generic] = DrugProducts.model_validate(entry)
        except ValidationError as exc:
            first = exc.errors()[0]
            raise CatalogueError(f"{path}: {generic}.{_where(first['loc'])}: {first['msg']}") from None
    return Products(drugs)


@cache
def products() -> Products:
    """The shipped catalogue, read once per process; start-up calls this first, so a broken file stops it."""
    return load_products(PRODUCTS_FILE, frozenset(d.generic for d in DRUGS))


_NAMED_FORMS: tuple[tuple[re.Pattern[str], Form], ...] = (
    (re.compile(r"\b(xr|er|cr|sr|extended|modified)\b", re.I), Form.extended_release_tablet),
    (re.compile(r"\b(odt|orally disintegrating|melt)\b", re.I), Form.orally_disintegrating_tablet),
    (re.compile(r"\b(sublingual|sl|edluar|intermezzo)\b", re.I), Form.sublingual_tablet),
    (re.compile(r"\b(intensol|concentrate)\b", re.I), Form.oral_concentrate),
    (re.compile(r"\b(solution|liquid|suspension|syrup|mixture|elixir)\b", re.I), Form.oral_solution),
    (re.compile(r"\b(capsules?|caps?)\b", re.I), Form.capsule),
)


def form_named(name: str) -> Form | None:
    """The form a medicine's name says ("Xanax XR", "diazepam oral solution"), or None for a plain name."""
    for pattern, form in _NAMED_FORMS:
        if pattern.search(name):
            return form
    return None
