"""A Story → the situation tags that decide which evidence, scripts and questions fit it."""

from __future__ import annotations

import re
from datetime import date

from app.drugs import DrugClass, identify
from app.story import Method, PreparedBy, Story, months_taking

__all__ = ["TAGS", "story_tags"]

TAGS: dict[str, str] = {
    "always": "every packet",
    "abrupt_stop_history": "a past cold-turkey stop, fast taper or detox",
    "detox_history": "a past inpatient detox",
    "seizure_history": "a seizure mentioned in past attempts, experience or symptoms",
    "older_adult": "the patient is 65 or older",
    "z_drug": "a Z-drug (zolpidem, zopiclone, eszopiclone, zaleplon) is listed",
    "multiple_benzos": "two or more benzodiazepines or Z-drugs are listed",
    "long_term_use": "a listed medicine has been taken for 3 months or more",
    "switch_requested": "the person asks about switching to a longer-acting drug, or switched before",
    "anxiety_or_panic": "the medicine was prescribed for anxiety or panic",
    "insomnia": "the medicine was prescribed for sleep, or a Z-drug is listed",
    "caregiver": "someone is preparing the packet for the patient",
}

_SEIZURE = re.compile(r"\bseiz|\bfit\b|convuls", re.I)
_SWITCH = re.compile(r"\bswitch|diazepam|valium|longer[- ]acting|long[- ]acting", re.I)
_ANXIETY = re.compile(r"anxi|panic|\bgad\b|nerv", re.I)
_SLEEP = re.compile(r"sleep|insomni", re.I)


def _texts(*parts: str | None) -> str:
    return "\n".join(p for p in parts if p)


def story_tags(story: Story, today: date | None = None) -> set[str]:
    tags = {"always"}
    drugs = [identify(m.name) for m in story.medications]
    methods = {a.method for a in story.past_attempts}
    if methods & {Method.cold_turkey, Method.fast_taper, Method.detox}:
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
    return tags
