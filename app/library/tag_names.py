"""The tag vocabulary → what each situation tag means; packs and content may only use these names."""

from __future__ import annotations

__all__ = ["TAGS"]

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
    "symptoms_reported": "the story lists symptoms, or describes withdrawal",
    "symptoms_after_cut": "symptoms are tied to a dose cut: a past attempt to stop or reduce, or withdrawal named",
    "slow_pace": "the person wants a slow taper",
    "goal_reduce": "the person wants to lower the dose rather than stop",
    "goal_undecided": "the person has not decided whether to stop or reduce",
    "prescriber_stopping": "the story says the prescriber wants to stop prescribing, or has cut the person off",
    "new_med_mentioned": "the story mentions a new medicine proposed or added to cover withdrawal",
    "opioids_mentioned": "the story mentions an opioid taken as well",
    "pregnancy": "the story mentions a pregnancy (or a plan for one) or breastfeeding",
    "felt_dismissed": "the story says the person felt dismissed or not listened to",
    "high_dose": (
        "the listed medicines add up to more than 10 mg diazepam-equivalent a day by every source's figures "
        "(ASAM 2025 Table 2 calls 10 mg or less a low dose)"
    ),
}
