"""A Story → the Voice the packet speaks in: the patient ("I have taken…") or a caregiver ("My mother has taken…")."""

from __future__ import annotations

import re
from dataclasses import dataclass

from app.story import PreparedBy, Story

__all__ = ["Voice", "voice_for"]

_PRONOUNS = {
    "she": ("she", "her", "her", "has", "is"),
    "he": ("he", "him", "his", "has", "is"),
    "they": ("they", "them", "their", "have", "are"),
}


@dataclass(frozen=True)
class Voice:
    """Words that change with who speaks.

    `subject` starts a sentence ("I" / "My mother") and agrees with `have`/`am` ("I have" / "My mother has");
    `subject_mid` is the same words inside a sentence ("…, my mother stopped");
    `pronoun` stands in for the patient later in a sentence and agrees with `pronoun_have` ("they have", "she has").
    """

    caregiving: bool
    subject: str
    subject_mid: str
    have: str
    am: str
    pronoun: str
    pronoun_have: str
    object: str
    possessive: str
    patient_name: str | None
    speaker_name: str | None
    relationship: str | None

    def sentence(self, patient_words: str, caregiver_words: str, **values: str) -> str:
        """Pick wording by voice, then `fill` it."""
        return self.fill(caregiver_words if self.caregiving else patient_words, **values)

    def fill(self, words: str, **values: str) -> str:
        """Wording may use {subject} {subject_mid} {have} {am} {pronoun} {pronoun_have} {object} {possessive}.
        Anything the person typed goes in through `values`, never into the wording itself, so a brace they typed
        stays text."""
        return words.format(
            **values,
            subject=self.subject,
            subject_mid=self.subject_mid,
            have=self.have,
            am=self.am,
            pronoun=self.pronoun,
            pronoun_have=self.pronoun_have,
            object=self.object,
            possessive=self.possessive,
        )


def _pronoun_set(pronouns: str | None) -> tuple[str, str, str, str, str]:
    first = re.split(r"[/ ,]+", (pronouns or "").strip().casefold())[0]
    return _PRONOUNS.get(first, _PRONOUNS["they"])


def voice_for(story: Story) -> Voice:
    name = story.patient.name
    if story.prepared_by is PreparedBy.patient or story.caregiver is None:
        return Voice(False, "I", "I", "have", "am", "I", "have", "me", "my", name, name, None)
    relationship = re.sub(r"^(my|our)\s+", "", story.caregiver.relationship, flags=re.I).strip()
    subject = f"my {relationship}" if relationship else (name or "the person I care for")
    pronoun, obj, poss, pronoun_have, _ = _pronoun_set(story.patient.pronouns)
    subj = subject[0].upper() + subject[1:]
    return Voice(
        True,
        subj,
        subject,
        "has",
        "is",
        pronoun,
        pronoun_have,
        obj,
        poss,
        name,
        story.caregiver.name,
        relationship or None,
    )
