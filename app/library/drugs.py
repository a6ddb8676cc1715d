"""Medicine names as people type them (generic or US/UK brand) → the drug taperprep knows, or None."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

__all__ = ["DRUGS", "Drug", "DrugClass", "identify"]


class DrugClass(StrEnum):
    benzodiazepine = "benzodiazepine"
    z_drug = "z_drug"


@dataclass(frozen=True)
class Drug:
    generic: str
    drug_class: DrugClass
    brands: tuple[str, ...] = ()


_B, _Z = DrugClass.benzodiazepine, DrugClass.z_drug

DRUGS: tuple[Drug, ...] = (
    Drug("alprazolam", _B, ("Xanax", "Xanax XR", "Niravam", "Alprax")),
    Drug("bromazepam", _B, ("Lexotan", "Lectopam")),
    Drug("chlordiazepoxide", _B, ("Librium", "Librax")),
    Drug("clobazam", _B, ("Frisium", "Onfi", "Sympazan")),
    Drug("clonazepam", _B, ("Klonopin", "Rivotril")),
    Drug("clorazepate", _B, ("Tranxene",)),
    Drug("diazepam", _B, ("Valium", "Diastat", "Valtoco")),
    Drug("estazolam", _B, ("ProSom",)),
    Drug("flunitrazepam", _B, ("Rohypnol",)),
    Drug("flurazepam", _B, ("Dalmane",)),
    Drug("loprazolam", _B, ("Dormonoct",)),
    Drug("lorazepam", _B, ("Ativan", "Loreev XR")),
    Drug("lormetazepam", _B, ("Noctamid",)),
    Drug("nitrazepam", _B, ("Mogadon",)),
    Drug("oxazepam", _B, ("Serax", "Serapax")),
    Drug("quazepam", _B, ("Doral",)),
    Drug("temazepam", _B, ("Restoril", "Normison")),
    Drug("triazolam", _B, ("Halcion",)),
    Drug("eszopiclone", _Z, ("Lunesta",)),
    Drug("zaleplon", _Z, ("Sonata",)),
    Drug("zolpidem", _Z, ("Ambien", "Ambien CR", "Stilnox", "Stilnoct", "Edluar", "Intermezzo", "Zolpimist")),
    Drug("zopiclone", _Z, ("Zimovane", "Imovane")),
)


def _key(name: str) -> str:
    return re.sub(r"[^a-z]", "", name.casefold())


_INDEX: dict[str, Drug] = {_key(n): d for d in DRUGS for n in (d.generic, *d.brands)}
_STRENGTH = re.compile(
    r"\s*(\d+(\.\d+)?\s*(mg|mcg|µg)?|\b(xr|er|sr|cr|odt|tablets?|tabs?|capsules?|caps?|oral|solution|concentrate|liquid|suspension)\b)\s*$",
    re.I,
)


def identify(name: str) -> Drug | None:
    """Case- and punctuation-insensitive; a trailing strength or form ("Xanax XR 1mg") is ignored. No guessing."""
    candidate = name.strip()
    while candidate:
        if (drug := _INDEX.get(_key(candidate))) is not None:
            return drug
        shorter = _STRENGTH.sub("", candidate)
        if shorter == candidate:
            return None
        candidate = shorter
    return None
