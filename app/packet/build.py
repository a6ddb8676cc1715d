"""Story + resource packs + phrasing → Packet: everything each page shows, already decided."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace

from app.library.content import load_content
from app.library.drugs import identify
from app.library.equivalence import NO_EQUIVALENCE, diazepam_equivalent
from app.library.packs import PackLibrary
from app.packet.copies import (
    TABLE_7,
    ContinuedAnswer,
    PersonalBooklet,
    PrescriberCopy,
    References,
    booklet_for,
    equivalence_for_prescriber,
    prescriber_copy_for,
    prescriber_evidence,
    shortened,
)
from app.packet.guidance import Guidance, guidance_for
from app.packet.phrasing import Phrasing, method_words, phrasing_for
from app.packet.tags import story_tags
from app.packet.taper_page import TaperSection, taper_section
from app.packet.voice import Voice, voice_for
from app.story import Medication, PreparedBy, Section, Story, months_taking

__all__ = [
    "DISCLAIMER",
    "EQUIVALENCE_NOTE",
    "Z_DRUG_SCOPE",
    "AttemptRow",
    "MedicationRow",
    "Packet",
    "build_packet",
    "shorten_answers",
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


EQUIVALENCE_NOTE = (
    "Diazepam equivalents are rough guides, from the Ashton Manual and VA/DoD 2021 columns of ASAM's Table 7: "
    "people differ, and so do tables."
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
    prescriber: PrescriberCopy
    booklet: PersonalBooklet
    created: str
    guidance: Guidance
    disclaimer: str = DISCLAIMER
    taper: TaperSection | None = None
    tags: frozenset[str] = field(default_factory=frozenset)
    continued: tuple[ContinuedAnswer, ...] = ()

    @property
    def continued_keys(self) -> frozenset[str]:
        return frozenset(c.key for c in self.continued)

    def answers(self) -> list[tuple[str, str, str]]:
        """The typed answers page 1 may have to shorten: (key, label, text)."""
        found = [
            ("reason_prescribed", "Why it was prescribed", self.reason_prescribed),
            ("experience", "How things are now", self.experience),
            ("why_now", "Why now", self.why_now),
        ]
        for i, attempt in enumerate(self.attempts):
            found += [
                (
                    f"attempt-{i}-description",
                    f"Past attempt {i + 1} ({attempt.when}): what was tried",
                    attempt.description,
                ),
                (f"attempt-{i}-outcome", f"Past attempt {i + 1} ({attempt.when}): what happened", attempt.outcome),
            ]
        return [(key, label, text) for key, label, text in found if text]


def _number(value: float) -> str:
    return f"{value:g}"


def _duration(since: str, today: dt.date) -> str:
    months = months_taking(since, today)
    if months < 1:
        span = "less than a month"
    elif months < 24:
        span = f"about {months} month{'s' if months != 1 else ''}"
    else:
        span = f"about {round(months / 12)} years"  # nearest year (M11): 8 years 9 months is "about 9 years"
    return f"since {since} ({span})"


def _dose_words(med: Medication) -> str:
    """As the person takes it: "0.5 mg morning, 1 mg bedtime", or "0.5 mg, 2 times a day"."""
    if med.doses is not None:
        return ", ".join(f"{_number(dose.mg)} mg {dose.time.value}" for dose in med.doses)
    times = med.times_per_day or 0
    return f"{_number(med.dose_mg or 0)} mg, {_number(times)} time{'s' if times != 1 else ''} a day"


def _medication_row(med: Medication, today: dt.date, references: References) -> MedicationRow:
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
        equivalence=equivalence_for_prescriber(drug.generic if drug else None, med.daily_mg, references),
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


def _equivalence_shown(story: Story) -> bool:
    """Some medicine's row shows a Table 7 range, so the page cites ASAM's reference."""
    for med in story.medications:
        found = diazepam_equivalent(g, med.daily_mg) if (g := _generic(med.name)) else None
        if found and not any("secondary" in source for source in found.sources):
            return True
    return False


def build_packet(story: Story, library: PackLibrary, today: dt.date | None = None) -> Packet:
    """Decide every word and number the pages show; raises UnknownResources for bad `resources` ids."""
    today = today or dt.date.today()
    voice = voice_for(story)
    tags = story_tags(story, today)
    selected = library.select(tags, story.resources)
    content = load_content()
    sections = frozenset(s.value for s in story.options.sections)
    points = prescriber_evidence(selected) if Section.evidence.value in sections else []
    taper = taper_section(story, library) if Section.taper.value in sections else None

    asked: list[str] = []

    def note_cited(excerpt_id: str) -> None:
        """A first pass over page 1's asks only to learn which sources they cite, so the references can be numbered."""
        asked.append(excerpt_id)

    phrasing_for(story, voice, note_cited)
    known = {e.id: p.id for p in library.packs for e in p.excerpts}
    cited = {known[i] for i in asked if i in known} | {s.pack.id for s in points}
    if _equivalence_shown(story):
        cited.add(TABLE_7)
    if taper is not None:  # the taper page cites ASAM's pace and FDA's warning
        cited |= {"asam-2025", "fda-2020"}
    references = References(library, cited)

    guidance = guidance_for(story, tags, library, content)
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
        phrasing=phrasing_for(story, voice, references.cite),
        medications=tuple(_medication_row(m, today, references) for m in story.medications),
        equivalence_note=EQUIVALENCE_NOTE if _equivalence_shown(story) else None,
        unknown_drugs_note=_unknown_drugs_note(story),
        reason_prescribed=story.reason_prescribed,
        attempts=tuple(
            AttemptRow(a.when, method_words(a.method), a.description, a.outcome) for a in story.past_attempts
        ),
        experience=story.experience,
        symptoms=tuple(story.symptoms),
        why_now=story.why_now,
        prescriber=prescriber_copy_for(points, references, Z_DRUG_SCOPE if "z_drug" in tags else None, content),
        booklet=booklet_for(guidance, selected, library, voice.caregiving),
        created=f"{today:%-d %B %Y}",
        taper=taper,
        guidance=guidance,
        tags=frozenset(tags),
    )


def shorten_answers(packet: Packet, cap: int) -> Packet:
    """Every typed answer on page 1 cut to `cap` characters; each one cut is given whole on a later page."""
    cut = {key: shortened(text, cap) for key, _, text in packet.answers() if len(text) > cap}
    continued = tuple(ContinuedAnswer(key, label, text) for key, label, text in packet.answers() if key in cut)
    attempts = tuple(
        replace(
            a,
            description=cut.get(f"attempt-{i}-description", a.description),
            outcome=cut.get(f"attempt-{i}-outcome", a.outcome),
        )
        for i, a in enumerate(packet.attempts)
    )
    return replace(
        packet,
        reason_prescribed=cut.get("reason_prescribed", packet.reason_prescribed),
        experience=cut.get("experience", packet.experience),
        why_now=cut.get("why_now", packet.why_now),
        attempts=attempts,
        continued=continued,
    )
