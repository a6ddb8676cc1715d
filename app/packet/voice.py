"""A Story → the Voice the packet speaks in: the patient ("I have taken…" / "He tomado…") or a caregiver ("My mother
has taken…" / "Mi madre ha tomado…")."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from app.story import Language, PreparedBy, Story

__all__ = ["Gender", "Voice", "grammatical_gender", "spanish_relationship", "voice_for"]

Gender = Literal["f", "m"]

_PRONOUNS = {
    "she": ("she", "her", "her", "has", "is"),
    "he": ("he", "him", "his", "has", "is"),
    "they": ("they", "them", "their", "have", "are"),
}

_GENDER_OF_PRONOUN: dict[str, Gender] = {
    "she": "f",
    "her": "f",
    "ella": "f",
    "he": "m",
    "him": "m",
    "él": "m",
    "el": "m",
}

_FEMININE = [
    "madre",
    "mamá",
    "mama",
    "hija",
    "esposa",
    "mujer",
    "hermana",
    "abuela",
    "tía",
    "tia",
    "amiga",
    "novia",
    "nieta",
    "sobrina",
    "suegra",
    "prima",
    "nuera",
    "cuñada",
    "madrastra",
    "hijastra",
    "madrina",
    "vecina",
    "compañera",
    "mother",
    "mom",
    "mum",
    "mommy",
    "mummy",
    "daughter",
    "wife",
    "sister",
    "grandmother",
    "grandma",
    "granny",
    "aunt",
    "auntie",
    "girlfriend",
    "granddaughter",
    "niece",
    "mother-in-law",
    "daughter-in-law",
    "sister-in-law",
    "stepmother",
    "stepdaughter",
    "godmother",
]
_MASCULINE = [
    "padre",
    "papá",
    "papa",
    "hijo",
    "esposo",
    "marido",
    "hermano",
    "abuelo",
    "tío",
    "tio",
    "amigo",
    "novio",
    "nieto",
    "sobrino",
    "suegro",
    "primo",
    "yerno",
    "cuñado",
    "padrastro",
    "hijastro",
    "padrino",
    "vecino",
    "compañero",
    "father",
    "dad",
    "daddy",
    "son",
    "husband",
    "brother",
    "grandfather",
    "grandpa",
    "uncle",
    "boyfriend",
    "grandson",
    "nephew",
    "father-in-law",
    "son-in-law",
    "brother-in-law",
    "stepfather",
    "stepson",
    "godfather",
]
_F: Gender = "f"
_M: Gender = "m"
_GENDER_OF_WORD: dict[str, Gender] = {word: _F for word in _FEMININE} | {word: _M for word in _MASCULINE}

_SPANISH_WORDS: dict[str, tuple[str, str, str]] = {
    # English relationship → Spanish (feminine, masculine, when the gender is not known)
    "mother": ("madre",) * 3,
    "mom": ("mamá",) * 3,
    "mum": ("mamá",) * 3,
    "mommy": ("mamá",) * 3,
    "mummy": ("mamá",) * 3,
    "father": ("padre",) * 3,
    "dad": ("papá",) * 3,
    "daddy": ("papá",) * 3,
    "daughter": ("hija",) * 3,
    "son": ("hijo",) * 3,
    "wife": ("esposa",) * 3,
    "husband": ("esposo",) * 3,
    "sister": ("hermana",) * 3,
    "brother": ("hermano",) * 3,
    "grandmother": ("abuela",) * 3,
    "grandma": ("abuela",) * 3,
    "granny": ("abuela",) * 3,
    "grandfather": ("abuelo",) * 3,
    "grandpa": ("abuelo",) * 3,
    "aunt": ("tía",) * 3,
    "auntie": ("tía",) * 3,
    "uncle": ("tío",) * 3,
    "girlfriend": ("novia",) * 3,
    "boyfriend": ("novio",) * 3,
    "granddaughter": ("nieta",) * 3,
    "grandson": ("nieto",) * 3,
    "niece": ("sobrina",) * 3,
    "nephew": ("sobrino",) * 3,
    "mother-in-law": ("suegra",) * 3,
    "father-in-law": ("suegro",) * 3,
    "daughter-in-law": ("nuera",) * 3,
    "son-in-law": ("yerno",) * 3,
    "sister-in-law": ("cuñada",) * 3,
    "brother-in-law": ("cuñado",) * 3,
    "stepmother": ("madrastra",) * 3,
    "stepfather": ("padrastro",) * 3,
    "partner": ("pareja",) * 3,
    "spouse": ("esposa", "esposo", "pareja"),
    "friend": ("amiga", "amigo", "persona amiga"),
    "neighbour": ("vecina", "vecino", "vecina o vecino"),
    "neighbor": ("vecina", "vecino", "vecina o vecino"),
    "cousin": ("prima", "primo", "familiar"),
    "child": ("hija", "hijo", "familiar"),
    "parent": ("madre", "padre", "familiar"),
    "grandparent": ("abuela", "abuelo", "familiar"),
    "sibling": ("hermana", "hermano", "familiar"),
    "relative": ("familiar",) * 3,
    "family member": ("familiar",) * 3,
}
_SPANISH_FORMS = {word for forms in _SPANISH_WORDS.values() for word in forms}
_KNOWN_WORDS = frozenset(_GENDER_OF_WORD) | frozenset(_SPANISH_WORDS) | _SPANISH_FORMS
"""Relationship words we know, in the form we write them (lower case): a caregiver's lines built from one hold no
text as the person typed it."""
_MY = re.compile(r"^(my|our|mi|mis|nuestra|nuestro)\s+", re.I)


@dataclass(frozen=True)
class Voice:
    """Words that change with who speaks.

    `subject` starts a sentence ("I" / "My mother") and agrees with `have`/`am` ("I have" / "My mother has");
    `subject_mid` is the same words inside a sentence ("…, my mother stopped");
    `pronoun` stands in for the patient later in a sentence and agrees with `pronoun_have` ("they have", "she has").
    In Spanish, `object` is the word after a preposition ("para ella", "para mí"), and where the patient's gender is
    not known `pronoun` and `object` repeat `subject_mid` ("para mi pareja"), so no sentence has to guess it.
    `gender` is the patient's grammatical gender when known (from the relationship word, else the pronouns).
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
    gender: Gender | None = None
    own_words: bool = True
    """Every word it puts into the packet's lines is the project's own: the patient's voice, or a caregiver's naming
    the person by a relationship word we know, as we write it ("my mother"), never by a name or a word as typed."""

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

    def gendered(self, feminine: str, masculine: str, neutral: str) -> str:
        """A word that agrees with the patient in Spanish ("cansada" / "cansado"), or wording that needs no gender."""
        return {"f": feminine, "m": masculine}.get(self.gender or "", neutral)


def _known_word(relationship: str) -> bool:
    return relationship in _KNOWN_WORDS


def _pronoun_set(pronouns: str | None) -> tuple[str, str, str, str, str]:
    first = re.split(r"[/ ,]+", (pronouns or "").strip().casefold())[0]
    return _PRONOUNS.get(first, _PRONOUNS["they"])


def grammatical_gender(relationship: str | None, pronouns: str | None) -> Gender | None:
    """From the relationship word when it tells (madre, mother → f; hijo, son → m), else from the pronouns."""
    word = _MY.sub("", relationship or "").strip().casefold()
    if word in _GENDER_OF_WORD:
        return _GENDER_OF_WORD[word]
    first = re.split(r"[/ ,]+", (pronouns or "").strip().casefold())[0]
    return _GENDER_OF_PRONOUN.get(first)


def spanish_relationship(relationship: str, gender: Gender | None) -> str:
    """An English relationship word in Spanish ("mother" → "madre"); any other word as typed."""
    forms = _SPANISH_WORDS.get(relationship.casefold())
    if forms is None:
        return relationship
    return forms[{"f": 0, "m": 1}.get(gender or "", 2)]


def _spanish_voice(story: Story) -> Voice:
    name = story.patient.name
    if story.prepared_by is PreparedBy.patient or story.caregiver is None:
        gender = grammatical_gender(None, story.patient.pronouns)
        return Voice(False, "Yo", "yo", "he", "estoy", "yo", "he", "mí", "mi", name, name, None, gender)
    typed = _MY.sub("", story.caregiver.relationship).strip()
    gender = grammatical_gender(typed, story.patient.pronouns)
    relationship = spanish_relationship(typed, gender) if typed else ""
    subject = f"mi {relationship}" if relationship else (name or "la persona que cuido")
    them = {"f": "ella", "m": "él"}.get(gender or "", subject)
    subj = subject[0].upper() + subject[1:]
    return Voice(
        True,
        subj,
        subject,
        "ha",
        "está",
        them,
        "ha",
        them,
        "su",
        name,
        story.caregiver.name,
        relationship or None,
        gender,
        own_words=_known_word(typed),
    )


def voice_for(story: Story) -> Voice:
    if story.options.language is Language.es:
        return _spanish_voice(story)
    name = story.patient.name
    gender = grammatical_gender(story.caregiver.relationship if story.caregiver else None, story.patient.pronouns)
    if story.prepared_by is PreparedBy.patient or story.caregiver is None:
        return Voice(False, "I", "I", "have", "am", "I", "have", "me", "my", name, name, None, gender)
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
        gender,
        own_words=_known_word(relationship),
    )
