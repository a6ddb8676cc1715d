"""A Story → the "What we agreed" page: one fillable PDF field per agreed item, prefilled from `agreed` when given.

The field names are declared once here: the page writes them and app/web/agreed_fields.py reads them back."""

from __future__ import annotations

from dataclasses import dataclass

from app.library.translations import N_, _
from app.packet.words import number
from app.story import Agreed, Decision, Story

__all__ = ["AGREED_FIELDS", "DECISION_WORDS", "AgreedField", "AgreedPage", "agreed_page"]

DECISION_WORDS = {
    Decision.stay: N_("stay on the current dose"),
    Decision.reduce: N_("reduce"),
    Decision.stop: N_("stop, with a slow taper"),
    Decision.undecided: N_("not decided yet"),
}
"""In English; `_()` them where they are shown."""


@dataclass(frozen=True)
class AgreedField:
    """One line of the page: the PDF field `name`, its printed label, a hint for the pen, and its prefilled value.
    In AGREED_FIELDS the label and hint are English (`N_`); `agreed_page` gives them in the language spoken."""

    name: str
    label: str
    hint: str
    value: str = ""
    lines: int = 1


AGREED_FIELDS: tuple[AgreedField, ...] = (
    AgreedField("agreed_date", N_("Date of this visit"), N_("Year-month-day, e.g. 2027-01-03")),
    AgreedField("agreed_decision", N_("What we decided"), N_("Stay, reduce, stop, or not decided yet")),
    AgreedField("agreed_medicine", N_("First step: which medicine"), N_("Its name as on the label")),
    AgreedField("agreed_daily_mg", N_("First step: daily dose (mg a day)"), N_("The total for the day, e.g. 1.25")),
    AgreedField("agreed_from", N_("First step: from when"), N_("Year-month-day")),
    AgreedField(
        "agreed_check_in",
        N_("Check-in"),
        N_("How and when, e.g. a phone call two weeks after each change"),
        lines=2,
    ),
    AgreedField("agreed_if_symptoms", N_("If symptoms come"), N_("What to do first"), lines=2),
    AgreedField("agreed_contact", N_("Who to call"), N_("Name and number")),
    AgreedField("agreed_next_review", N_("Next review"), N_("Year-month-day")),
)


@dataclass(frozen=True)
class AgreedPage:
    heading: str
    intro: str
    fields: tuple[AgreedField, ...]


def _prefill(story: Story, agreed: Agreed) -> dict[str, str]:
    step = agreed.steps[0] if agreed.steps else None
    return {
        "agreed_date": agreed.date.isoformat() if agreed.date else "",
        "agreed_decision": _(DECISION_WORDS[agreed.decision])
        if agreed.decision is not Decision.undecided or agreed.steps or agreed.date
        else "",
        "agreed_medicine": story.medications[step.medication - 1].name if step else "",
        "agreed_daily_mg": number(step.daily_mg) if step else "",
        "agreed_from": step.from_.isoformat() if step and step.from_ else "",
        "agreed_check_in": agreed.check_in or "",
        "agreed_if_symptoms": agreed.if_symptoms or "",
        "agreed_contact": agreed.contact or "",
        "agreed_next_review": agreed.next_review.isoformat() if agreed.next_review else "",
    }


def agreed_page(story: Story) -> AgreedPage:
    """Blank lines to fill in at the visit (on screen or with a pen), or the plan already agreed, to confirm."""
    values = _prefill(story, story.agreed) if story.agreed else {}
    return AgreedPage(
        heading=_("What we agreed"),
        intro=_(
            "Fill this in together at the end of the visit, on screen or with a pen. Keep a copy each. "
            "taperprep can read the typed answers back when this PDF is opened again."
        ),
        fields=tuple(
            AgreedField(f.name, _(f.label), _(f.hint), values.get(f.name, ""), f.lines) for f in AGREED_FIELDS
        ),
    )
