"""The v1 input contract: what a person tells us, turned into a validated Story."""

from __future__ import annotations

import datetime as dt
import re
from enum import StrEnum
from typing import Annotated

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ModelWrapValidatorHandler,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import InitErrorDetails, PydanticCustomError

__all__ = [
    "Agreed",
    "AgreedStep",
    "Appointment",
    "Caregiver",
    "Country",
    "Decision",
    "Dose",
    "DoseTime",
    "Goals",
    "Language",
    "Medication",
    "Method",
    "Options",
    "Outcome",
    "Pace",
    "Paper",
    "PastAttempt",
    "Patient",
    "PreparedBy",
    "ProgressRow",
    "Section",
    "Story",
    "months_taking",
    "story_json",
]

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]")


def _clean(value: object) -> object:
    """Trim, normalise line ends and drop control characters that would only confuse a printout."""
    if isinstance(value, str):
        value = _CONTROL.sub("", value.replace("\r\n", "\n").replace("\r", "\n")).strip()
    return value


def _blank_to_none(value: object) -> object:
    """An empty optional answer means "not given", so forms can send every field."""
    value = _clean(value)
    return None if value == "" else value


# Text answers: trimmed and cleaned; required ones at least one character, optional ones None when left blank
# (each optional field says `= None`, so type checkers know it may be left out).
Name = Annotated[str, BeforeValidator(_clean), Field(min_length=1, max_length=100)]
ShortText = Annotated[str, BeforeValidator(_clean), Field(min_length=1, max_length=80)]
OptionalPronouns = Annotated[Annotated[str, Field(max_length=40)] | None, BeforeValidator(_blank_to_none)]
OptionalPhone = Annotated[Annotated[str, Field(max_length=40)] | None, BeforeValidator(_blank_to_none)]
OptionalName = Annotated[Annotated[str, Field(max_length=100)] | None, BeforeValidator(_blank_to_none)]
OptionalShort = Annotated[Annotated[str, Field(max_length=120)] | None, BeforeValidator(_blank_to_none)]
OptionalReason = Annotated[Annotated[str, Field(max_length=200)] | None, BeforeValidator(_blank_to_none)]
OptionalMedium = Annotated[Annotated[str, Field(max_length=1000)] | None, BeforeValidator(_blank_to_none)]
OptionalLong = Annotated[Annotated[str, Field(max_length=4000)] | None, BeforeValidator(_blank_to_none)]

_YEAR_MONTH = re.compile(r"^(\d{4})(?:-(\d{1,2}))?$")


def _since(value: str) -> str:
    """`taking_since` is a year or a year and month that exists and has begun."""
    match = _YEAR_MONTH.match(value)
    if not match:
        raise PydanticCustomError("since_format", "Enter a year like 2019, or a year and month like 2019-04")
    year, month = int(match[1]), int(match[2]) if match[2] else None
    if year < 1950:
        raise PydanticCustomError("since_too_early", "Enter a year from 1950 onwards")
    if month is not None and not 1 <= month <= 12:
        raise PydanticCustomError("since_month", "The month must be between 1 and 12")
    today = dt.date.today()
    if (year, month or 1) > (today.year, today.month):
        raise PydanticCustomError("since_future", "The date cannot be in the future")
    return f"{year:04d}-{month:02d}" if month else f"{year:04d}"


Since = Annotated[str, BeforeValidator(_clean), AfterValidator(_since)]


class PreparedBy(StrEnum):
    patient = "patient"
    caregiver = "caregiver"


class Method(StrEnum):
    cold_turkey = "cold_turkey"
    fast_taper = "fast_taper"
    slow_taper = "slow_taper"
    switch = "switch"
    detox = "detox"
    hospital_stay = "hospital_stay"
    other = "other"


class Outcome(StrEnum):
    stop = "stop"
    reduce = "reduce"
    undecided = "undecided"


class Pace(StrEnum):
    slow = "slow"
    as_guidelines = "as_guidelines"
    undecided = "undecided"


class Paper(StrEnum):
    letter = "letter"
    a4 = "a4"


class Country(StrEnum):
    """Where the person lives: chooses emergency numbers, crisis lines and support."""

    US = "US"
    GB = "GB"
    CA = "CA"
    AU = "AU"
    IE = "IE"
    NZ = "NZ"


class Language(StrEnum):
    en = "en"
    es = "es"


class DoseTime(StrEnum):
    morning = "morning"
    midday = "midday"
    afternoon = "afternoon"
    evening = "evening"
    bedtime = "bedtime"
    other = "other"


class Decision(StrEnum):
    stay = "stay"
    reduce = "reduce"
    stop = "stop"
    undecided = "undecided"


class Section(StrEnum):
    prescriber = "prescriber"
    evidence = "evidence"
    taper = "taper"
    for_me = "for_me"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False, frozen=True)


class Caregiver(_Model):
    name: Name
    relationship: Annotated[
        str,
        BeforeValidator(_clean),
        Field(
            min_length=1,
            max_length=60,
            description="Who the patient is to you, e.g. 'mother', 'husband', 'friend'. "
            "The packet says 'My mother has taken…'.",
        ),
    ]
    phone: OptionalPhone = None
    patient_knows: bool | None = Field(default=None, description="Does the patient know about and agree to this?")
    coming_together: bool | None = Field(default=None, description="Will you come to the appointment together?")


class Patient(_Model):
    name: OptionalName = None
    age: int | None = Field(default=None, ge=0, le=120)
    pronouns: OptionalPronouns = None


class Appointment(_Model):
    prescriber_name: OptionalName = None
    date: dt.date | None = None
    clinic: OptionalShort = None

    @field_validator("date")
    @classmethod
    def _recent(cls, value: dt.date | None) -> dt.date | None:
        if value is None:
            return value
        today = dt.date.today()
        if value < today - dt.timedelta(days=366):
            raise PydanticCustomError(
                "date_too_old", "The appointment date must be within the last year or in the future"
            )
        if value > today + dt.timedelta(days=3 * 366):
            raise PydanticCustomError("date_too_far", "The appointment date must be within the next three years")
        return value


class Dose(_Model):
    time: DoseTime
    mg: float = Field(gt=0, le=1000, description="The dose taken at this time, in milligrams.")


def _not_both(field: str, value: object, info: ValidationInfo) -> None:
    """A medicine gives `doses`, or `dose_mg` × `times_per_day`: exactly one form, named where it goes wrong."""
    if "doses" not in info.data:  # `doses` itself was invalid: its own error says so
        return
    if info.data["doses"] is not None and value is not None:
        raise PydanticCustomError("dose_forms_both", "Give either doses, or dose_mg and times_per_day, not both")
    if info.data["doses"] is None and value is None:
        raise PydanticCustomError("dose_form_missing", f"Enter {field}, or give doses at each time of day instead")


class Medication(_Model):
    name: Annotated[str, BeforeValidator(_clean), Field(min_length=1, max_length=80, examples=["Xanax"])]
    doses: list[Dose] | None = Field(
        default=None,
        min_length=1,
        max_length=8,
        description="The doses at each time of day; the alternative to dose_mg × times_per_day.",
    )
    dose_mg: float | None = Field(
        default=None, gt=0, le=1000, description="One dose, in milligrams.", validate_default=True
    )
    times_per_day: float | None = Field(default=None, gt=0, le=12, validate_default=True)
    as_needed: bool = False
    days_per_week: float | None = Field(
        default=None,
        ge=0,
        le=7,
        description="With as_needed: on how many days a week it is taken, on average. "
        "The doses then describe a day when it is taken.",
    )
    taking_since: Since
    prescribed_for: OptionalReason = None

    @field_validator("dose_mg")
    @classmethod
    def _dose_form(cls, value: float | None, info: ValidationInfo) -> float | None:
        _not_both("dose_mg", value, info)
        return value

    @field_validator("times_per_day")
    @classmethod
    def _times_form(cls, value: float | None, info: ValidationInfo) -> float | None:
        _not_both("times_per_day", value, info)
        return value

    @field_validator("days_per_week")
    @classmethod
    def _days_when_as_needed(cls, value: float | None, info: ValidationInfo) -> float | None:
        if value is not None and not info.data.get("as_needed"):
            raise PydanticCustomError("days_not_as_needed", "days_per_week is only for a medicine taken as needed")
        return value

    @property
    def daily_mg(self) -> float:
        """The total on a day it is taken, from whichever dose form was given."""
        if self.doses is not None:
            return sum(dose.mg for dose in self.doses)
        return (self.dose_mg or 0) * (self.times_per_day or 0)


class PastAttempt(_Model):
    when: Annotated[str, BeforeValidator(_clean), Field(min_length=1, max_length=60)]
    method: Method
    description: OptionalMedium = None
    outcome: OptionalMedium = None


class Goals(_Model):
    outcome: Outcome = Outcome.undecided
    pace: Pace = Pace.undecided
    requests: list[Annotated[str, BeforeValidator(_clean), Field(min_length=1, max_length=300)]] = Field(
        default_factory=list, max_length=10
    )
    notes: OptionalMedium = None
    target_daily_mg: float | None = Field(
        default=None, gt=0, le=1000, description="With outcome 'reduce': the daily dose to reduce to, in mg."
    )
    values: list[Annotated[str, BeforeValidator(_clean), Field(min_length=1, max_length=120)]] = Field(
        default_factory=list, max_length=8, description="What matters most, e.g. 'keep working'."
    )


class Options(_Model):
    paper: Paper = Paper.letter
    large_print: bool = False
    include_taper_draft: bool = False
    sections: list[Section] = Field(default_factory=lambda: list(Section), min_length=1, max_length=4)
    taper_medication: int | None = Field(
        default=None, ge=1, le=10, description="Which medicine (1 = the first listed) the draft taper discusses first."
    )
    country: Country = Field(default=Country.US, description="Chooses emergency numbers, crisis lines and support.")
    language: Language = Language.en

    @field_validator("sections")
    @classmethod
    def _unique(cls, value: list[Section]) -> list[Section]:
        return list(dict.fromkeys(value))


def _not_future(value: dt.date) -> dt.date:
    if value > dt.date.today():
        raise PydanticCustomError("date_future", "The date cannot be in the future")
    return value


MedicineNumber = Annotated[int, Field(ge=1, le=10, description="Which medicine: 1 = the first listed.")]


class AgreedStep(_Model):
    medication: MedicineNumber
    daily_mg: float = Field(gt=0, le=1000)
    from_: dt.date | None = Field(default=None, alias="from", description="From when (YYYY-MM-DD).")

    model_config = ConfigDict(validate_by_name=True, validate_by_alias=True, serialize_by_alias=True)


class Agreed(_Model):
    """What patient and prescriber decided at a visit: typed in afterwards, or read back from a filled PDF."""

    date: dt.date | None = None
    decision: Decision = Decision.undecided
    steps: list[AgreedStep] = Field(default_factory=list, max_length=10)
    check_in: OptionalMedium = None
    if_symptoms: OptionalMedium = None
    contact: OptionalShort = None
    next_review: dt.date | None = None


class ProgressRow(_Model):
    """One step taken since the agreed plan."""

    date: Annotated[dt.date, AfterValidator(_not_future)]
    medication: MedicineNumber
    daily_mg: float = Field(gt=0, le=1000)
    how_it_went: int | None = Field(default=None, ge=0, le=10, description="0 = very hard, 10 = fine.")
    note: OptionalMedium = None


class Story(_Model):
    prepared_by: PreparedBy
    caregiver: Caregiver | None = Field(default=None, validate_default=True)
    patient: Patient = Field(default_factory=Patient)
    appointment: Appointment = Field(default_factory=Appointment)
    medications: list[Medication] = Field(min_length=1, max_length=10)
    reason_prescribed: OptionalMedium = None
    past_attempts: list[PastAttempt] = Field(default_factory=list, max_length=10)
    experience: OptionalLong = None
    symptoms: list[ShortText] = Field(default_factory=list, max_length=40)
    why_now: OptionalMedium = None
    goals: Goals = Field(default_factory=Goals)
    resources: list[Annotated[str, BeforeValidator(_clean), Field(min_length=1, max_length=80)]] | None = Field(
        default=None, max_length=60, description="Pack or excerpt ids; omitted = chosen from the story."
    )
    options: Options = Field(default_factory=Options)
    agreed: Agreed | None = None
    progress: list[ProgressRow] = Field(default_factory=list, max_length=200)

    @field_validator("caregiver")
    @classmethod
    def _caregiver_when_caregiving(cls, value: Caregiver | None, info: ValidationInfo) -> Caregiver | None:
        if value is None and info.data.get("prepared_by") == PreparedBy.caregiver:
            raise PydanticCustomError("caregiver_required", "Tell us who is preparing this packet for the patient")
        return value

    @field_validator("options")
    @classmethod
    def _taper_medication_exists(cls, value: Options, info: ValidationInfo) -> Options:
        meds = info.data.get("medications")
        if value.taper_medication is not None and meds is not None and value.taper_medication > len(meds):
            raise PydanticCustomError(
                "taper_medication_missing",
                "options.taper_medication names medicine {n}, but only {count} are listed",
                {"n": value.taper_medication, "count": len(meds)},
            )
        return value

    @model_validator(mode="wrap")
    @classmethod
    def _medicine_numbers_exist(cls, data: object, handler: ModelWrapValidatorHandler[Story]) -> Story:
        """Agreed steps and progress rows name a listed medicine; the error names the exact row."""
        story = handler(data)
        count = len(story.medications)
        named: list[tuple[tuple[str | int, ...], int]] = [
            (("progress", i), row.medication) for i, row in enumerate(story.progress)
        ]
        if story.agreed is not None:
            named += [(("agreed", "steps", i), step.medication) for i, step in enumerate(story.agreed.steps)]
        errors = [
            InitErrorDetails(
                type=PydanticCustomError(
                    "medication_missing",
                    "This names medicine {n}, but only {count} are listed",
                    {"n": number, "count": count},
                ),
                loc=(*where, "medication"),
                input=number,
            )
            for where, number in named
            if number > count
        ]
        if errors:
            raise ValidationError.from_exception_data(cls.__name__, errors)
        return story


def months_taking(since: str, today: dt.date | None = None) -> int:
    """Whole months from `taking_since` to today; a bare year counts from its January."""
    today = today or dt.date.today()
    year, _, month = since.partition("-")
    return max(0, (today.year - int(year)) * 12 + today.month - int(month or 1))


def story_json(story: Story) -> bytes:
    """The v1 JSON of a story, as embedded in every PDF and offered as "Save my answers"."""
    return story.model_dump_json(indent=2, exclude_none=True).encode()
