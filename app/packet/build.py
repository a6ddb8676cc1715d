"""Story + resource packs + phrasing → Packet: everything each page shows, already decided."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from app.library.equivalence import NO_EQUIVALENCE, equivalence_note, equivalence_text
from app.library.packs import Citation, Pack, PackLibrary, Selected
from app.packet.guidance import Guidance, emergency_for, guidance_for
from app.packet.medicines import Medicine, identify_medicines
from app.packet.phrasing import Phrasing, method_words, phrasing_for
from app.packet.tags import story_tags
from app.packet.taper_page import TaperSection, taper_section
from app.packet.visit import VisitCycle, visit_cycle
from app.packet.voice import Voice, voice_for
from app.packet.words import mg, months_words, number, plural
from app.story import Medication, PreparedBy, Section, Story, months_taking

__all__ = [
    "DISCLAIMER",
    "NOT_GIVEN",
    "Z_DRUG_SCOPE",
    "AttemptRow",
    "EvidenceGroup",
    "EvidenceItem",
    "MedicationRow",
    "Packet",
    "Reference",
    "build_packet",
]

DISCLAIMER = (
    "This packet is not medical advice. It was prepared by the patient or someone helping them, "
    "with taperprep, to support a conversation with a prescriber. Decisions about medicines belong "
    "to the patient and their prescriber together. Do not stop or change a benzodiazepine or Z-drug "
    "suddenly: stopping abruptly can be dangerous."
)

NOT_GIVEN = "—"
"""What an empty table cell shows."""

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
    prescribed_for: str
    equivalence: str = NO_EQUIVALENCE


@dataclass(frozen=True)
class AttemptRow:
    when: str
    method: str
    description: str | None
    outcome: str


@dataclass(frozen=True)
class EvidenceItem:
    """One excerpt on the evidence pages; `source_line` is the words printed under it."""

    citation: Citation
    source_line: str

    @property
    def id(self) -> str:
        return self.citation.excerpt_id


@dataclass(frozen=True)
class EvidenceGroup:
    pack: Pack
    items: tuple[EvidenceItem, ...]


@dataclass(frozen=True)
class Reference:
    """One line of the references page, in the order and words it prints, and the pack it names."""

    pack: Pack
    short: str
    details: str
    attribution: str


@dataclass(frozen=True)
class Packet:
    title: str
    lang: str
    paper: str
    large_print: bool
    prescriber_page: bool
    for_me_page: bool
    footer_label: str
    who: tuple[tuple[str, str], ...]
    phrasing: Phrasing
    medications: tuple[MedicationRow, ...]
    equivalence_note: str | None
    unknown_drugs_note: str | None
    reason_prescribed: str | None
    attempts: tuple[AttemptRow, ...]
    attempts_note: str | None
    experience: str | None
    symptoms: tuple[str, ...]
    why_now: str | None
    evidence: tuple[EvidenceGroup, ...]
    scope_note: str | None
    references: tuple[Reference, ...]
    created: str
    disclaimer: str = DISCLAIMER
    taper: TaperSection | None = None
    guidance: Guidance | None = None
    tags: frozenset[str] = field(default_factory=frozenset)
    visit: VisitCycle | None = None


def _duration(since: str, today: dt.date) -> str:
    return f"since {since} ({months_words(months_taking(since, today))})"


def _dose_words(med: Medication) -> str:
    """As the person takes it: "0.5 mg morning, 1 mg bedtime", or "0.5 mg, 2 times a day"."""
    if med.doses is not None:
        return ", ".join(f"{mg(dose.mg)} {dose.time.value}" for dose in med.doses)
    times = med.times_per_day or 0
    return f"{mg(med.dose_mg or 0)}, {plural(times, 'time')} a day"


def _medication_row(medicine: Medicine, today: dt.date) -> MedicationRow:
    med = medicine.taken
    dose = _dose_words(med) + (", as needed" if med.as_needed else "")
    daily = f"{mg(round(med.daily_mg, 4))} a day" + (" at most" if med.as_needed else "")
    if med.as_needed and med.days_per_week is not None:
        daily += f", on about {number(med.days_per_week)} days a week"
    return MedicationRow(
        name=med.name,
        generic=medicine.other_generic,
        dose=dose,
        daily_total=daily,
        how_long=_duration(med.taking_since, today),
        prescribed_for=med.prescribed_for or NOT_GIVEN,
        equivalence=equivalence_text(medicine.generic, med.daily_mg),
    )


def _unknown_drugs_note(medicines: tuple[Medicine, ...]) -> str | None:
    unknown = list(dict.fromkeys(m.name for m in medicines if m.drug is None))
    if not unknown:
        return None
    names = ", ".join(unknown)
    return (
        f"Not in taperprep's drug table: {names}. The packet gives no equivalence or taper figures "
        "for it; please check the name and dose with the prescriber or pharmacist."
    )


def _evidence(selected: list[Selected]) -> tuple[EvidenceGroup, ...]:
    groups: dict[str, list[Selected]] = {}
    for item in selected:
        groups.setdefault(item.pack.id, []).append(item)
    return tuple(
        EvidenceGroup(
            items[0].pack,
            tuple(
                EvidenceItem(c, ("Quotation. " if c.quote else "") + f"Source: {c.source}")
                for c in (s.citation for s in items)
            ),
        )
        for items in groups.values()
    )


def _reference(pack: Pack) -> Reference:
    details = (
        f"{pack.title}. {pack.publisher}, {pack.date}. {pack.url} (accessed {pack.accessed}). Licence: {pack.licence}"
    )
    return Reference(pack, pack.short, details, pack.attribution)


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
    medicines = identify_medicines(story)
    tags = story_tags(story, today, medicines)
    selected = library.select(tags, story.resources)
    emergency = emergency_for(voice, library)
    sections = set(story.options.sections)
    # The "for me" guidance and the options page cite excerpts too; their packs join the references.
    guidance = guidance_for(story, tags, voice, library, emergency) if Section.for_me in sections else None
    visit = visit_cycle(story, voice, tags, library, today)
    cited_ids = [
        *(guidance.cited_ids() if guidance else []),
        *(visit.prescriber_cited_ids() if Section.prescriber in sections else []),
        *(visit.booklet_cited_ids() if Section.for_me in sections else []),
    ]
    cited_packs = [s.pack for s in selected] + [library.excerpt(i).pack for i in cited_ids]
    name = story.patient.name
    return Packet(
        title=f"Tapering conversation — {name}" if name else "Tapering conversation",
        lang="en",
        paper=story.options.paper.value,
        large_print=story.options.large_print,
        prescriber_page=Section.prescriber in sections,
        for_me_page=Section.for_me in sections,
        footer_label=f"Prepared for {name}'s appointment"
        if name
        else voice.sentence("Prepared for my appointment", "Prepared for the appointment"),
        who=_who(story, voice),
        phrasing=phrasing_for(story, voice, library.cite, medicines),
        medications=tuple(_medication_row(m, today) for m in medicines),
        equivalence_note=equivalence_note(m.generic for m in medicines),
        unknown_drugs_note=_unknown_drugs_note(medicines),
        reason_prescribed=story.reason_prescribed,
        attempts=tuple(
            AttemptRow(a.when, method_words(a.method), a.description, a.outcome or NOT_GIVEN)
            for a in story.past_attempts
        ),
        attempts_note=None if story.past_attempts else "None so far.",
        experience=story.experience,
        symptoms=tuple(story.symptoms),
        why_now=story.why_now,
        evidence=_evidence(selected) if Section.evidence in sections else (),
        scope_note=Z_DRUG_SCOPE if "z_drug" in tags else None,
        references=tuple(
            _reference(p) for p in {p.id: p for p in sorted(cited_packs, key=lambda p: (p.order, p.id))}.values()
        ),
        created=f"{today:%-d %B %Y}",
        taper=taper_section(story, library, tags, emergency, medicines),
        guidance=guidance,
        tags=frozenset(tags),
        visit=visit,
    )
