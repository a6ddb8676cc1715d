"""A Story → the situation tags that decide which evidence, scripts and questions fit it."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

from app.library.drugs import DrugClass
from app.library.equivalence import diazepam_equivalent
from app.packet.medicines import Medicine, identify_medicines
from app.story import Method, Outcome, Pace, PreparedBy, Story, months_taking

__all__ = ["LOW_DOSE_DIAZEPAM_MG", "story_tags"]

LOW_DOSE_DIAZEPAM_MG = 10.0

# Each rule reads English and Spanish (what people type is never translated): the Spanish words follow the English.
_SEIZURE = re.compile(r"\bseiz|\bfit\b|convuls|epilep", re.I)
_SWITCH = re.compile(
    r"\bswitch|diazepam|valium|longer[- ]acting|long[- ]acting|\bcambi\w* a\b|acción (?:más )?larga", re.I
)
_ANXIETY = re.compile(r"anxi|panic|\bgad\b|nerv|ansiedad|pánico|angustia", re.I)
_SLEEP = re.compile(r"sleep|insomni|dormir|sueño", re.I)
_WITHDRAWAL = re.compile(r"withdraw|abstinencia", re.I)
_CUTOFF = re.compile(
    r"cut (?:me |her |him |them )?off|stop(?:ped)? prescribing|(?:won'?t|will not|refuse[sd]? to) "
    r"(?:refill|renew|prescribe)|no longer prescrib|(?:took|taken?) (?:me|her|him|them) off"
    r"|dej\w* de (?:recetar|prescribir)|no (?:me |le |nos )?(?:quiere|quiso|va a) (?:recetar|renovar|prescribir)"
    r"|ya no (?:me |le |nos )?(?:receta|prescribe)|(?:me|le|nos) (?:lo |la |los )?quit(?:ó|aron|a) de golpe",
    re.I,
)
_NEW_MED = re.compile(
    r"\b(?:new|another|extra) (?:medicine|medication|drug|pill)"
    r"|\b(?:add|suggest|offer|propos|recommend|put)\w*\b[^.!?\n]{0,60}?"
    r"\b(?:medicine|medication|drug|pill|gabapentin|pregabalin|lyrica|quetiapine|seroquel|mirtazapine|trazodone|"
    r"antidepressant|antipsychotic)"
    r"|\b(?:otro|nuevo) (?:medicamento|fármaco)|\botra pastilla"
    r"|\b(?:añad|agreg|suger|sugir|ofrec|propus|propon|recomend|recet)\w*\b[^.!?\n]{0,60}?"
    r"\b(?:medicamento|fármaco|pastilla|gabapentin|pregabalin|quetiapin|mirtazapin|trazodon|antidepresivo|"
    r"antipsicótico)",
    re.I,
)
_OPIOID = re.compile(
    r"opioid|opiate|oxycodone|oxycontin|percocet|hydrocodone|vicodin|morphine|codeine|tramadol|fentanyl|methadone|"
    r"buprenorphine|suboxone|tapentadol|hydromorphone"
    r"|opiáceo|oxicodona|hidrocodona|morfina|codeína|fentanilo|metadona|buprenorfina|hidromorfona",
    re.I,
)
_PREGNANCY = re.compile(r"pregnan|breast-?feed|expecting a baby|embaraz|amamant|lactancia", re.I)
_DISMISSED = re.compile(
    r"dismiss|brushed? (?:me |her |him |them )?off|(?:not|n'?t) listen|ignored|not believed"
    r"|no (?:me |le |nos )?(?:escuch|hizo caso|hicieron caso|cre[ey]ó|cre[ey]eron)|\bignor(?:ó|aron|a)\b|me despach",
    re.I,
)


def _texts(*parts: str | None) -> str:
    return "\n".join(p for p in parts if p)


def story_tags(story: Story, today: date | None = None, medicines: Sequence[Medicine] | None = None) -> set[str]:
    """Every tag in TAGS whose rule the story meets; `today` pins "how long" for tests. build_packet passes the
    medicines it identified; a caller without them gets them identified here."""
    tags = {"always"}
    medicines = identify_medicines(story) if medicines is None else medicines
    drugs = [m.drug for m in medicines]
    methods = {a.method for a in story.past_attempts}
    if methods & {Method.cold_turkey, Method.fast_taper, Method.detox, Method.hospital_stay}:
        tags.add("abrupt_stop_history")
    if Method.detox in methods:
        tags.add("detox_history")
    history = _texts(
        story.experience,
        *story.symptoms,
        *(a.description for a in story.past_attempts),
        *(a.outcome for a in story.past_attempts),
    )
    if _SEIZURE.search(history):
        tags.add("seizure_history")
    if story.patient.age is not None and story.patient.age >= 65:
        tags.add("older_adult")
    if any(d and d.drug_class is DrugClass.z_drug for d in drugs):
        tags |= {"z_drug", "insomnia"}
    if _lowest_diazepam_equivalent(medicines) > LOW_DOSE_DIAZEPAM_MG:
        tags.add("high_dose")
    if sum(d is not None for d in drugs) >= 2:
        tags.add("multiple_benzos")
    if any(months_taking(m.taking_since, today) >= 3 for m in story.medications):
        tags.add("long_term_use")
    if Method.switch in methods or _SWITCH.search(_texts(*story.goals.requests, story.goals.notes)):
        tags.add("switch_requested")
    reasons = _texts(story.reason_prescribed, *(m.prescribed_for for m in story.medications))
    if _ANXIETY.search(reasons):
        tags.add("anxiety_or_panic")
    if _SLEEP.search(reasons):
        tags.add("insomnia")
    if story.prepared_by is PreparedBy.caregiver:
        tags.add("caregiver")
    return tags | _wishes(story) | _conversation(story, history)


def _lowest_diazepam_equivalent(medicines: Sequence[Medicine]) -> float:
    """The day's total by the source that makes it smallest, so `high_dose` holds whichever figures are right."""
    total = 0.0
    for medicine in medicines:
        generic = medicine.generic
        found = diazepam_equivalent(generic, medicine.taken.daily_mg) if generic else None
        total += found.low_mg if found else 0.0
    return total


def _wishes(story: Story) -> set[str]:
    tags = set()
    if story.goals.pace is Pace.slow:
        tags.add("slow_pace")
    if story.goals.outcome is Outcome.reduce:
        tags.add("goal_reduce")
    if story.goals.outcome is Outcome.undecided:
        tags.add("goal_undecided")
    return tags


def _conversation(story: Story, history: str) -> set[str]:
    """Tags read from what the person wrote about their care so far."""
    tags = set()
    if story.symptoms or _WITHDRAWAL.search(history):
        tags.add("symptoms_reported")
        if story.past_attempts or _WITHDRAWAL.search(history):
            tags.add("symptoms_after_cut")
    everything = _texts(history, story.why_now, story.goals.notes, *story.goals.requests)
    if _CUTOFF.search(everything):
        tags.add("prescriber_stopping")
    if _NEW_MED.search(everything):
        tags.add("new_med_mentioned")
    if _DISMISSED.search(everything):
        tags.add("felt_dismissed")
    told = _texts(everything, story.reason_prescribed, *(m.name for m in story.medications))
    if _OPIOID.search(told):
        tags.add("opioids_mentioned")  # M10: ASAM Recs 16–18
    if _PREGNANCY.search(told):
        tags.add("pregnancy")  # M10: ASAM Recs 28–29
    return tags
