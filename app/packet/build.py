"""Story + resource packs + phrasing → Packet: everything each page shows, already decided."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from app.library.drugs import identify
from app.library.equivalence import NO_EQUIVALENCE, equivalence_note, equivalence_text
from app.library.packs import Pack, PackLibrary, Selected
from app.packet.guidance import guidance_for
from app.packet.phrasing import Phrasing, method_words, phrasing_for
from app.packet.tags import story_tags
from app.packet.taper_page import taper_section
from app.packet.voice import Voice, voice_for
from app.story import Medication, PreparedBy, Section, Story, months_taking

__all__ = [
    "DISCLAIMER",
    "Z_DRUG_SCOPE",
    "AttemptRow",
    "EvidenceGroup",
    "EvidenceItem",
    "MedicationRow",
    "Packet",
    "build_packet",
]

DISCLAIMER = (
    "This packet is not medical advice. It was prepared by the patient or someone helping them, "
    "with taperprep, to support a conversation with a prescriber. Decisions about medicines belong "
    "to the patient and their prescriber together. Do not stop or change a benzodiazepine or Z-drug "
    "suddenly: stopping abruptly can be dangerous."
)

Z_DRUG_SCOPE = (
    "A note on scope: FDA's 2020 warning and the ASAM guideline are written about benzodiazepines; "
    "the Maudsley Deprescribing Guidelines cover Z-drugs as well."
)


@dataclass(frozen=True)
class MedicationRow:
    name: str
    generic: str | None
    dose: str
    daily_total: str
    how_long: str
    prescribed_for: str | None
    equivalence: str = NO_EQUIVALENCE


@dataclass(frozen=True)
class AttemptRow:
    when: str
    method: str
    description: str | None
    outcome: str | None


@dataclass(frozen=True)
class EvidenceItem:
    id: str
    title: str
    text: str
    quote: bool
    citation: str


@dataclass(frozen=True)
class EvidenceGroup:
    pack: Pack
    items: tuple[EvidenceItem, ...]


@dataclass(frozen=True)
class Packet:
    title: str
    lang: str
    paper: str
    large_print: bool
    sections: frozenset[str]
    footer_label: str
    who: tuple[tuple[str, str], ...]
    phrasing: Phrasing
    medications: tuple[MedicationRow, ...]
    equivalence_note: str | None
    unknown_drugs_note: str | None
    reason_prescribed: str | None
    attempts: tuple[AttemptRow, ...]
    experience: str | None
    symptoms: tuple[str, ...]
    why_now: str | None
    evidence: tuple[EvidenceGroup, ...]
    scope_note: str | None
    references: tuple[Pack, ...]
    created: str
    disclaimer: str = DISCLAIMER
    taper: Any = None
    guidance: Any = None
    tags: frozenset[str] = field(default_factory=frozenset)


def _number(value: float) -> str:
    return f"{value:g}"


def _duration(since: str, today: dt.date) -> str:
    months = months_taking(since, today)
    if months < 1:
        span = "less than a month"
    elif months < 24:
        span = f"about {months} month{'s' if months != 1 else ''}"
    else:
        span = f"about {months // 12} years"
    return f"since {since} ({span})"


def _dose_words(med: Medication) -> str:
    """As the person takes it: "0.5 mg morning, 1 mg bedtime", or "0.5 mg, 2 times a day"."""
    if med.doses is not None:
        return ", ".join(f"{_number(dose.mg)} mg {dose.time.value}" for dose in med.doses)
    times = med.times_per_day or 0
    return f"{_number(med.dose_mg or 0)} mg, {_number(times)} time{'s' if times != 1 else ''} a day"


def _medication_row(med: Medication, today: dt.date) -> MedicationRow:
    drug = identify(med.name)
    dose = _dose_words(med) + (", as needed" if med.as_needed else "")
    daily = f"{_number(round(med.daily_mg, 4))} mg a day" + (" at most" if med.as_needed else "")
    if med.as_needed and med.days_per_week is not None:
        daily += f", on about {_number(med.days_per_week)} days a week"
    return MedicationRow(
        name=med.name,
        generic=drug.generic if drug and drug.generic.casefold() != med.name.casefold() else None,
        dose=dose,
        daily_total=daily,
        how_long=_duration(med.taking_since, today),
        prescribed_for=med.prescribed_for,
        equivalence=equivalence_text(drug.generic if drug else None, med.daily_mg),
    )


def _generic(name: str) -> str | None:
    drug = identify(name)
    return drug.generic if drug else None


def _unknown_drugs_note(story: Story) -> str | None:
    unknown = list(dict.fromkeys(m.name for m in story.medications if identify(m.name) is None))
    if not unknown:
        return None
    names = ", ".join(unknown)
    return (
        f"Not in taperprep's drug table: {names}. The packet gives no equivalence or taper figures "
        "for it; please check the name and dose with the prescriber or pharmacist."
    )


def _citation(pack: Pack, locator: str) -> str:
    return f"{pack.short}, {locator}"


def _evidence(selected: list[Selected]) -> tuple[EvidenceGroup, ...]:
    groups: dict[str, list[Selected]] = {}
    for item in selected:
        groups.setdefault(item.pack.id, []).append(item)
    return tuple(
        EvidenceGroup(
            items[0].pack,
            tuple(
                EvidenceItem(
                    s.excerpt.id,
                    s.excerpt.title,
                    s.excerpt.text,
                    s.excerpt.kind == "quote",
                    _citation(s.pack, s.excerpt.locator),
                )
                for s in items
            ),
        )
        for items in groups.values()
    )


def _who(story: Story, voice: Voice) -> tuple[tuple[str, str], ...]:
    patient, appt = story.patient, story.appointment
    rows = [("Patient", patient.name or "Not given")]
    if patient.age is not None:
        rows.append(("Age", str(patient.age)))
    if patient.pronouns:
        rows.append(("Pronouns", patient.pronouns))
    if story.prepared_by is PreparedBy.caregiver and story.caregiver:
        carer = story.caregiver
        prepared = f"{carer.name}, caregiver — the patient is their {voice.relationship or carer.relationship}"
        rows.append(("Prepared by", prepared))
        if carer.phone:
            rows.append(("Caregiver phone", carer.phone))
    else:
        rows.append(("Prepared by", "the patient"))
    if appt.prescriber_name:
        rows.append(("Prescriber", appt.prescriber_name))
    if appt.date:
        rows.append(("Appointment", f"{appt.date:%-d %B %Y}"))
    if appt.clinic:
        rows.append(("Clinic", appt.clinic))
    return tuple(rows)


def build_packet(story: Story, library: PackLibrary, today: dt.date | None = None) -> Packet:
    """Decide every word and number the pages show; raises UnknownResources for bad `resources` ids."""
    today = today or dt.date.today()
    voice = voice_for(story)
    tags = story_tags(story, today)
    selected = library.select(tags, story.resources)

    def cite(excerpt_id: str) -> str | None:
        try:
            found = library.excerpt(excerpt_id)
        except KeyError:
            return None
        return _citation(found.pack, found.excerpt.locator)

    sections = frozenset(s.value for s in story.options.sections)
    # The "for me" guidance (issue 5): its scripts cite excerpts, whose packs join the references.
    guidance = guidance_for(story, tags, library) if Section.for_me.value in sections else None
    cited_packs = [s.pack for s in selected] + [
        library.excerpt(i).pack for i in (guidance.cited_ids() if guidance else [])
    ]
    name = story.patient.name
    return Packet(
        title=f"Tapering conversation — {name}" if name else "Tapering conversation",
        lang="en",
        paper=story.options.paper.value,
        large_print=story.options.large_print,
        sections=sections,
        footer_label=f"Prepared for {name}'s appointment"
        if name
        else voice.sentence("Prepared for my appointment", "Prepared for the appointment"),
        who=_who(story, voice),
        phrasing=phrasing_for(story, voice, cite),
        medications=tuple(_medication_row(m, today) for m in story.medications),
        equivalence_note=equivalence_note(_generic(m.name) for m in story.medications),
        unknown_drugs_note=_unknown_drugs_note(story),
        reason_prescribed=story.reason_prescribed,
        attempts=tuple(
            AttemptRow(a.when, method_words(a.method), a.description, a.outcome) for a in story.past_attempts
        ),
        experience=story.experience,
        symptoms=tuple(story.symptoms),
        why_now=story.why_now,
        evidence=_evidence(selected) if Section.evidence.value in sections else (),
        scope_note=Z_DRUG_SCOPE if "z_drug" in tags else None,
        references=tuple({p.id: p for p in sorted(cited_packs, key=lambda p: (p.order, p.id))}.values()),
        created=f"{today:%-d %B %Y}",
        taper=taper_section(story, library),
        guidance=guidance,
        tags=frozenset(tags),
    )
