"""Story + resource packs + phrasing → Packet: everything each page shows, already decided."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace

from app.library.content import load_content
from app.library.equivalence import NO_EQUIVALENCE
from app.library.packs import PackLibrary
from app.library.translations import N_, _, language, ngettext, speaking
from app.packet.copies import (
    ContinuedAnswer,
    PersonalBooklet,
    PrescriberCopy,
    booklet_for,
    prescriber_copy_for,
    prescriber_evidence,
    shortened,
)
from app.packet.guidance import Guidance, emergency_for, guidance_for
from app.packet.medicines import Medicine, identify_medicines
from app.packet.phrasing import Phrasing, method_words, phrasing_for
from app.packet.references import References
from app.packet.tags import story_tags
from app.packet.taper_page import taper_section
from app.packet.visit import VisitCycle, visit_cycle
from app.packet.voice import Voice, voice_for
from app.packet.words import TIME_WORDS, long_date, mg, months_words, number, plural_n
from app.story import DoseTime, Language, Medication, PreparedBy, Section, Story, months_taking

__all__ = [
    "DISCLAIMER",
    "NOT_GIVEN",
    "Z_DRUG_SCOPE",
    "AttemptRow",
    "MedicationRow",
    "Packet",
    "build_packet",
    "shorten_answers",
]

DISCLAIMER = N_(
    "This packet is not medical advice. It was prepared by the patient or someone helping them, "
    "with taperprep, to support a conversation with a prescriber. Decisions about medicines belong "
    "to the patient and their prescriber together. Do not stop or change a benzodiazepine or Z-drug "
    "suddenly: stopping abruptly can be dangerous."
)

NOT_GIVEN = "—"
"""What an empty table cell shows."""

Z_DRUG_SCOPE = N_(
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
class Packet:
    """Everything both documents print, decided: page 1's fields, then each copy's own parts."""

    title: str
    lang: Language
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
    attempts_note: str | None
    experience: str | None
    symptoms: tuple[str, ...]
    why_now: str | None
    prescriber: PrescriberCopy
    booklet: PersonalBooklet
    created: str
    guidance: Guidance
    disclaimer: str = DISCLAIMER
    tags: frozenset[str] = field(default_factory=frozenset)
    continued: tuple[ContinuedAnswer, ...] = ()
    visit: VisitCycle | None = None

    @property
    def continued_keys(self) -> frozenset[str]:
        return frozenset(c.key for c in self.continued)

    def answers(self) -> list[tuple[str, str, str]]:
        """The typed answers page 1 may have to shorten: (key, label, text)."""
        found = [
            ("reason_prescribed", _("Why it was prescribed"), self.reason_prescribed),
            ("experience", _("How things are now"), self.experience),
            ("why_now", _("Why now"), self.why_now),
        ]
        for i, attempt in enumerate(self.attempts):
            found += [
                (
                    f"attempt-{i}-description",
                    _("Past attempt {n} ({when}): what was tried").format(n=i + 1, when=attempt.when),
                    attempt.description,
                ),
                (
                    f"attempt-{i}-outcome",
                    _("Past attempt {n} ({when}): what happened").format(n=i + 1, when=attempt.when),
                    attempt.outcome,
                ),
            ]
        return [(key, label, text) for key, label, text in found if text and text != NOT_GIVEN]


def _duration(since: str, today: dt.date) -> str:
    return _("since {since} ({how_long})").format(since=since, how_long=months_words(months_taking(since, today)))


def _time_word(time: DoseTime) -> str:
    """ "morning", "other" (as the contract names it); in another language, its word for the time of day."""
    return time.value if language() is Language.en else _(TIME_WORDS[time]).lower()


def _dose_words(med: Medication) -> str:
    """As the person takes it: "0.5 mg morning, 1 mg bedtime", or "0.5 mg, 2 times a day"."""
    if med.doses is not None:
        return ", ".join(f"{mg(dose.mg)} {_time_word(dose.time)}" for dose in med.doses)
    times = med.times_per_day or 0
    return ngettext("{dose}, {n} time a day", "{dose}, {n} times a day", plural_n(times)).format(
        dose=mg(med.dose_mg or 0), n=number(times)
    )


def _medication_row(medicine: Medicine, today: dt.date, references: References) -> MedicationRow:
    med = medicine.taken
    dose = _("{dose}, as needed").format(dose=_dose_words(med)) if med.as_needed else _dose_words(med)
    total = mg(round(med.daily_mg, 4))
    daily = _("{dose} a day at most").format(dose=total) if med.as_needed else _("{dose} a day").format(dose=total)
    if med.as_needed and med.days_per_week is not None:
        daily = _("{daily}, on about {n} days a week").format(daily=daily, n=number(med.days_per_week))
    return MedicationRow(
        name=med.name,
        generic=medicine.other_generic,
        dose=dose,
        daily_total=daily,
        how_long=_duration(med.taking_since, today),
        prescribed_for=med.prescribed_for or NOT_GIVEN,
        equivalence=references.equivalence(medicine.generic, med.daily_mg),
    )


def _unknown_drugs_note(medicines: tuple[Medicine, ...]) -> str | None:
    unknown = list(dict.fromkeys(m.name for m in medicines if m.drug is None))
    if not unknown:
        return None
    return _(
        "Not in taperprep's drug table: {names}. The packet gives no equivalence or taper figures "
        "for it; please check the name and dose with the prescriber or pharmacist."
    ).format(names=", ".join(unknown))


def _who(story: Story, voice: Voice) -> tuple[tuple[str, str], ...]:
    patient, appt = story.patient, story.appointment
    rows = [(_("Patient"), patient.name or _("Not given"))]
    if patient.age is not None:
        rows.append((_("Age"), str(patient.age)))
    if patient.pronouns:
        rows.append((_("Pronouns"), patient.pronouns))
    if story.prepared_by is PreparedBy.caregiver and story.caregiver:
        carer = story.caregiver
        prepared = _("{name}, caregiver — the patient is their {relationship}").format(
            name=carer.name, relationship=voice.relationship or carer.relationship
        )
        rows.append((_("Prepared by"), prepared))
        if carer.phone:
            rows.append((_("Caregiver phone"), carer.phone))
    else:
        rows.append((_("Prepared by"), _("the patient")))
    if appt.prescriber_name:
        rows.append((_("Prescriber"), appt.prescriber_name))
    if appt.date:
        rows.append((_("Appointment"), long_date(appt.date)))
    if appt.clinic:
        rows.append((_("Clinic"), appt.clinic))
    return tuple(rows)


def build_packet(story: Story, library: PackLibrary, today: dt.date | None = None) -> Packet:
    """Decide every word and number the pages show, in the story's language; raises UnknownResources for bad
    `resources` ids."""
    with speaking(story.options.language):
        return _packet(story, library, today or dt.date.today())


def _packet(story: Story, library: PackLibrary, today: dt.date) -> Packet:
    voice = voice_for(story)
    medicines = identify_medicines(story)
    tags = story_tags(story, today, medicines)
    selected = library.select(tags, story.resources)
    content = load_content()
    emergency = emergency_for(voice, story.options.country, library, content)
    sections = set(story.options.sections)
    # The prescriber copy numbers its sources in the order it first cites them: page 1, the taper page, the points.
    references = References(library)
    visit = visit_cycle(story, voice, tags, library, references, today)  # its page-1 ask is cited first
    phrasing = phrasing_for(story, voice, references.cite, medicines)
    medications = tuple(_medication_row(m, today, references) for m in medicines)
    taper = taper_section(story, references, tags, emergency, medicines)
    points = prescriber_evidence(selected, taper is not None) if Section.evidence in sections else []
    scope = _(Z_DRUG_SCOPE) if "z_drug" in tags else None
    prescriber = prescriber_copy_for(taper, points, references, scope, content)
    guidance = guidance_for(story, tags, voice, library, emergency, content)
    name = story.patient.name
    return Packet(
        title=_("Tapering conversation — {name}").format(name=name) if name else _("Tapering conversation"),
        lang=story.options.language,
        paper=story.options.paper.value,
        large_print=story.options.large_print,
        sections=frozenset(s.value for s in sections),
        footer_label=_("Prepared for {name}'s appointment").format(name=name)
        if name
        else voice.sentence(_("Prepared for my appointment"), _("Prepared for the appointment")),
        who=_who(story, voice),
        phrasing=phrasing,
        medications=medications,
        equivalence_note=references.equivalence_note,
        unknown_drugs_note=_unknown_drugs_note(medicines),
        reason_prescribed=story.reason_prescribed,
        attempts=tuple(
            AttemptRow(a.when, method_words(a.method), a.description, a.outcome or NOT_GIVEN)
            for a in story.past_attempts
        ),
        attempts_note=None if story.past_attempts else _("None so far."),
        experience=story.experience,
        symptoms=tuple(story.symptoms),
        why_now=story.why_now,
        prescriber=prescriber,
        booklet=booklet_for(
            guidance, selected, library, voice.caregiving, taper, visit.booklet_citations(), voice.own_words
        ),
        created=long_date(today),
        guidance=guidance,
        disclaimer=_(DISCLAIMER),
        tags=frozenset(tags),
        visit=visit,
    )


def shorten_answers(packet: Packet, cap: int) -> Packet:
    """Every typed answer on page 1 cut to `cap` characters; each one cut is given whole on a later page."""
    with speaking(packet.lang):  # the labels of the answers given whole later, in the packet's language
        answers = packet.answers()
    cut = {key: shortened(text, cap) for key, _, text in answers if len(text) > cap}
    continued = tuple(ContinuedAnswer(key, label, text) for key, label, text in answers if key in cut)
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
