"""An agreed plan → an iCalendar file (text/calendar): the agreed check-ins that can be dated, and the next review.

Only what patient and prescriber agreed: never a draft taper's steps. A check-in is dated when its words say how
long after each change ("a phone call two weeks after each change") or give a date; otherwise it is left out."""

from __future__ import annotations

import datetime as dt
import re

from icalendar import Calendar, Event

from app.library.translations import _, speaking
from app.story import Agreed, Story

__all__ = ["PRODID", "calendar_filename", "calendar_ics", "check_in_dates"]

PRODID = "-//taperprep//visit cycle//EN"
_COUNTS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "ten": 10,
    "twelve": 12,
    # Spanish ("dos semanas después de cada cambio")
    "un": 1,
    "una": 1,
    "dos": 2,
    "tres": 3,
    "cuatro": 4,
    "cinco": 5,
    "seis": 6,
    "siete": 7,
    "ocho": 8,
    "diez": 10,
    "doce": 12,
}
_AFTER = re.compile(
    r"\b(\d{1,2}|" + "|".join(_COUNTS) + r")\s+(day|week|día|dia|semana)s?\s+(?:after|después|despues)\b", re.I
)
_WEEK = ("week", "semana")
_LAST = dt.date.max - dt.timedelta(days=1)
"""An all-day event ends the next day, so no event can start on the last day a date can hold."""
_ISO_DATE = re.compile(r"\b(\d{4}-\d{2}-\d{2})\b")


def calendar_filename(today: dt.date | None = None) -> str:
    return f"taperprep-plan-{(today or dt.date.today()).isoformat()}.ics"


def check_in_dates(agreed: Agreed) -> list[dt.date]:
    """The days the agreed check-in words point to, earliest first; [] when they cannot be dated."""
    words = agreed.check_in or ""
    days: set[dt.date] = set()
    for found in _ISO_DATE.findall(words):
        try:
            days.add(dt.date.fromisoformat(found))
        except ValueError:
            continue
    if match := _AFTER.search(words):
        count = int(match[1]) if match[1].isdigit() else _COUNTS[match[1].casefold()]
        offset = dt.timedelta(days=count * (7 if match[2].casefold() in _WEEK else 1))
        days |= {step.from_ + offset for step in agreed.steps if step.from_ is not None and step.from_ < _LAST - offset}
    return sorted(d for d in days if d < _LAST)


def _event(uid: str, day: dt.date, summary: str, description: str, stamp: dt.datetime) -> Event:
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp)
    event.add("dtstart", day)
    event.add("dtend", day + dt.timedelta(days=1))
    event.add("summary", summary)
    event.add("description", description)
    return event


def calendar_ics(story: Story, agreed: Agreed, now: dt.datetime | None = None) -> bytes:
    """All-day events, so no time zone is assumed. `agreed` is passed apart from `story` so only a Story that has
    one can be turned into a calendar."""
    with speaking(story.options.language):
        return _calendar(story, agreed, now or dt.datetime.now(dt.UTC))


def _calendar(story: Story, agreed: Agreed, stamp: dt.datetime) -> bytes:
    details = [
        line
        for line in (
            _("If symptoms come: {what}").format(what=agreed.if_symptoms) if agreed.if_symptoms else None,
            _("Who to call: {who}").format(who=agreed.contact) if agreed.contact else None,
            _("Made with taperprep. Not medical advice."),
        )
        if line
    ]
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    for n, day in enumerate(check_in_dates(agreed), start=1):
        calendar.add_component(
            _event(
                f"check-in-{day.isoformat()}-{n}@taperprep",
                day,
                _("Taper check-in"),
                "\n".join([_("Agreed check-in: {when}").format(when=agreed.check_in), *details]),
                stamp,
            )
        )
    if agreed.next_review and agreed.next_review < _LAST:
        day = agreed.next_review
        calendar.add_component(
            _event(
                f"review-{day.isoformat()}@taperprep",
                day,
                _("Taper review with {who}").format(who=story.appointment.prescriber_name)
                if story.appointment.prescriber_name
                else _("Taper review with the prescriber"),
                "\n".join([_("The next review agreed at the last visit."), *details]),
                stamp,
            )
        )
    body: bytes = calendar.to_ical()
    return body
