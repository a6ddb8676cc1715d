"""A medicine's products in a country → the pieces a person can take and every amount they make at one time of day."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction
from functools import cache
from itertools import combinations_with_replacement

from app.library.products import DrugProducts, Form, Piece, Product
from app.library.translations import _

__all__ = [
    "LIQUID_STEP_ML",
    "MAX_PIECES",
    "Kit",
    "Recipe",
    "kit_for",
    "piece_words",
]

# taperprep's rules, stated on the plan: at most this many tablets or capsules at one time of day, and liquids
# measured in 0.1 mL amounts. Neither comes from a guideline; the pharmacist can say what suits the person.
MAX_PIECES = 4
LIQUID_STEP_ML = Fraction(1, 10)

_ORDINARY = (Form.tablet, Form.capsule)
Recipe = tuple[tuple[int, Piece], ...]


@dataclass(frozen=True)
class Kit:
    """The pieces one plan may use; a liquid kit holds one piece (0.1 mL) taken as many times as needed."""

    pieces: tuple[Piece, ...]
    products: tuple[Product, ...]

    @property
    def liquid(self) -> bool:
        return bool(self.pieces) and self.pieces[0].product.form.liquid

    @property
    def smallest(self) -> Fraction | None:
        return min((p.mg for p in self.pieces), default=None)

    def amounts(self, at_most: Fraction) -> list[Fraction]:
        """Every amount one time of day can be, from 0 up to `at_most`, smallest first."""
        if not self.pieces:
            return [Fraction(0)]
        if self.liquid:
            step = self.pieces[0].mg
            return [step * n for n in range(int(at_most / step) + 1)]
        return [a for a in _recipes(self._key()) if a <= at_most]

    def recipe(self, amount: Fraction) -> Recipe | None:
        """How to make `amount` at one time: fewest pieces, whole before halves, bigger strengths first."""
        if amount == 0:
            return ()
        if self.liquid:
            step = self.pieces[0].mg
            count = amount / step
            return ((int(count), self.pieces[0]),) if count.denominator == 1 else None
        found = _recipes(self._key()).get(amount)
        if found is None:
            return None
        by_index = {i: p for i, p in enumerate(self.pieces)}
        return tuple((n, by_index[i]) for i, n in found)

    def with_product(self, product: Product) -> Kit:
        """This kit and one more solid product: how far a lower strength would take the plan."""
        more = (*self.products, product)
        return Kit(_pieces(more), more)

    def makes(self, amount: Fraction) -> bool:
        return self.recipe(amount) is not None

    def _key(self) -> tuple[tuple[Fraction, bool], ...]:
        return tuple((p.mg, p.half) for p in self.pieces)


@cache
def _recipes(key: tuple[tuple[Fraction, bool], ...]) -> dict[Fraction, tuple[tuple[int, int], ...]]:
    """Amount → (piece index, count) pairs, the best way to make it from up to MAX_PIECES pieces."""
    best: dict[Fraction, tuple[tuple[int, int, int], tuple[tuple[int, int], ...]]] = {}
    indices = range(len(key))
    for n in range(1, MAX_PIECES + 1):
        for combo in combinations_with_replacement(indices, n):
            amount = sum((key[i][0] for i in combo), Fraction(0))
            counts = tuple((i, combo.count(i)) for i in sorted(set(combo)))
            halves = sum(1 for i in combo if key[i][1])
            rank = (n, halves, len(counts))
            if amount not in best or rank < best[amount][0]:
                best[amount] = (rank, counts)
    return {a: best[a][1] for a in sorted(best)}


def _pieces(products: Iterable[Product]) -> tuple[Piece, ...]:
    """Whole tablets and capsules, and halves of scored tablets; a whole piece wins over a half of the same mg."""
    found: dict[Fraction, Piece] = {}
    for product in products:
        for strength in product.strengths_mg or ():
            whole = Fraction(str(strength))
            if whole not in found or found[whole].half:
                found[whole] = Piece(whole, product, whole)
            if product.splittable:
                found.setdefault(whole / 2, Piece(whole / 2, product, whole, half=True))
    return tuple(found[mg] for mg in sorted(found, reverse=True))


def kit_for(entry: DrugProducts, countries: tuple[str, ...], form: Form | None) -> Kit:
    """The confirmed products of the form the person's medicine is named as (tablets and capsules when plain)."""
    confirmed = tuple(p for c in countries for p in entry.confirmed(c))
    if form is not None and form.liquid:
        liquids = sorted((p for p in confirmed if p.form.liquid), key=lambda p: p.mg_per_ml or 0)
        if not liquids:
            return Kit((), ())
        weakest = liquids[0]
        per_ml = Fraction(str(weakest.mg_per_ml))
        return Kit((Piece(per_ml * LIQUID_STEP_ML, weakest, per_ml),), (weakest,))
    wanted = _ORDINARY if form is None else (form,)
    used = tuple(p for p in confirmed if p.form in wanted)
    return Kit(_pieces(used), used)


def piece_words(count: int, piece: Piece) -> str:
    """ "1 × 1 mg", "½ × 0.5 mg", "2.5 mL of the 1 mg/mL oral solution"."""
    product = piece.product
    if product.form.liquid:
        ml = count * LIQUID_STEP_ML
        return _("{ml} mL of the {strength} mg/mL {form}").format(
            ml=f"{float(ml):g}", strength=f"{float(piece.strength_mg):g}", form=_(product.form.words)
        )
    size = f"{float(piece.strength_mg):g} mg"
    if piece.half:
        halves = "½" if count == 1 else f"{count} × ½"
        return f"{halves} × {size}"
    return f"{count} × {size}"
