"""What people type for doses, months and dates ("½", "500 mcg", "Apr 2019", "14/1/2027") → the values Story takes."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace

from app.web.form import DOSE_TIMES, FormState

__all__ = ["DAY_FIRST", "read_date", "read_days", "read_dose", "read_month", "read_state"]

_MONTHS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
_MESES = (
    "enero",
    "febrero",
    "marzo",
    "abril",
    "mayo",
    "junio",
    "julio",
    "agosto",
    "septiembre",
    "octubre",
    "noviembre",
    "diciembre",
)
"""Spanish month names, read in either language ("3 de enero de 2027", "abril 2019"); "de" between is skipped."""
_JOINING = frozenset({"de", "del"})
_FRACTIONS = {"½": 0.5, "¼": 0.25, "¾": 0.75, "⅓": 1 / 3, "⅔": 2 / 3, "⅛": 0.125}
_DOSE = re.compile(
    r"^(?P<number>\d+(?:[.,]\d+)?|[.,]\d+|\d+\s*/\s*\d+|\d*\s*[½¼¾⅓⅔⅛])\s*(?P<unit>mg|milligrams?|mcg|µg|μg|micrograms?)?\.?$"
)
_NUMBER_SLASH = re.compile(r"^(\d+)\s*/\s*(\d+)$")
DAY_FIRST = frozenset({"GB", "AU", "IE", "NZ"})
"""Countries whose people write the day before the month ("14/1/2027"); the US and Canada put the month first."""


def _number(text: str) -> float | None:
    text = text.replace(" ", "")
    if (fraction := _NUMBER_SLASH.match(text)) is not None:
        top, bottom = int(fraction[1]), int(fraction[2])
        return top / bottom if bottom else None
    if text and text[-1] in _FRACTIONS:
        return (int(text[:-1]) if text[:-1] else 0) + _FRACTIONS[text[-1]]
    return float(text.replace(",", "."))


def read_dose(text: str) -> float | None:
    """ "0.5 mg", "0.5mg", "0,5", "½", "1/2", "500 mcg" → milligrams; None when it cannot be read."""
    match = _DOSE.match(text.strip().casefold())
    if match is None:
        return None
    number = _number(match["number"])
    if number is None:
        return None
    unit = match["unit"] or "mg"
    return (
        round(number / 1000, 6) if unit[0] in "mµμ" and unit not in {"mg"} and not unit.startswith("milli") else number
    )


_DAYS = re.compile(
    r"^(?:about|around|roughly|usually|maybe|~)?\s*(?P<number>\d+(?:[.,]\d+)?|[.,]\d+|\d*\s*[½¼¾])"
    r"(?:\s*(?:-|–|to|or)\s*(?P<upper>\d+(?:[.,]\d+)?))?\s*"
    r"(?:days?)?\s*(?:(?:a|per|each|every|in\s+a)\s+week|/\s*(?:wk|week))?\.?$"
)


def read_days(text: str) -> float | None:
    """ "3", "about 3", "3 days a week", "2,5", "2-3" (the middle: 2.5) → days a week; None when it cannot be read."""
    match = _DAYS.match(text.strip().casefold())
    if match is None:
        return None
    days = _number(match["number"])
    if days is None or match["upper"] is None:
        return days
    return (days + float(match["upper"].replace(",", "."))) / 2


def _month_number(word: str) -> int | None:
    word = word.casefold().rstrip(".")
    if word.isdigit():
        return int(word) if 1 <= int(word) <= 12 else None
    if len(word) >= 3:
        for names in (_MONTHS, _MESES):
            found = next((i for i, name in enumerate(names, start=1) if name.startswith(word)), None)
            if found is not None:
                return found
    return None


def _words(text: str) -> list[str]:
    return [w for w in re.split(r"[\s/.,-]+", text.strip()) if w and w.casefold() not in _JOINING]


def read_month(text: str) -> str | None:
    """ "April 2019", "Apr 2019", "abril de 2019", "04/2019", "2019-04", "2019" → "2019-04" or "2019"; None when it
    cannot be read."""
    words = _words(text)
    if len(words) == 1 and re.fullmatch(r"\d{4}", words[0]):
        return words[0]
    if len(words) == 2:
        year_first = re.fullmatch(r"\d{4}", words[0]) is not None
        year, month = (words[0], words[1]) if year_first else (words[1], words[0])
        number = _month_number(month)
        if re.fullmatch(r"\d{4}", year) and number is not None:
            return f"{year}-{number:02d}"
    return None


def read_date(text: str, day_first: bool) -> dt.date | None:
    """ "14 Jan 2027", "Jan 14 2027", "14 de enero de 2027", "14/1/2027", "2027-01-14" → a date; numeric day/month
    order by the country."""
    words = _words(text)
    if len(words) != 3:
        return None
    if re.fullmatch(r"\d{4}", words[0]):
        year, month, day = words
    elif not words[0].isdigit():
        month, day, year = words
    elif not words[1].isdigit() or day_first:
        day, month, year = words
    else:
        month, day, year = words
    number = _month_number(month)
    if number is None or not day.isdigit() or not re.fullmatch(r"\d{2}|\d{4}", year):
        return None
    try:
        return dt.date(int(year) + (2000 if len(year) == 2 else 0), number, int(day))
    except ValueError:
        return None


def _plain(number: float) -> str:
    """0.5 → "0.5", 2.0 → "2", 100.6875 → "100.6875": every digit a dose or a saved story can have, no ".0"."""
    return f"{number:.12g}"


def _dose_text(text: str) -> str:
    mg = read_dose(text)
    return text if mg is None else _plain(mg)


def _date_text(text: str, day_first: bool) -> str:
    """A typed date → ISO for Story; what cannot be read stays as typed, for Story to name."""
    date = read_date(text, day_first) if text.strip() else None
    return text if date is None else date.isoformat()


def _visit_row(row: dict[str, str], date_key: str, day_first: bool) -> dict[str, str]:
    read = dict(row)
    if read.get(date_key):
        read[date_key] = _date_text(read[date_key], day_first)
    if read.get("daily_mg"):
        read["daily_mg"] = _dose_text(read["daily_mg"])
    return read


def read_state(state: FormState) -> FormState:
    """The answers as typed → the same answers with doses and months as Story reads them; what cannot be read
    stays as typed, so Story's own message names it and the page shows the person's text."""
    meds = []
    for row in state.meds:
        row = dict(row)
        for name in ("dose_mg", *(f"dose_{time}" for time in DOSE_TIMES)):
            if row.get(name):
                row[name] = _dose_text(row[name])
        if row.get("days_per_week"):
            days = read_days(row["days_per_week"])
            row["days_per_week"] = row["days_per_week"] if days is None else _plain(days)
        if row.get("taking_since"):
            row["taking_since"] = read_month(row["taking_since"]) or row["taking_since"]
        meds.append(row)
    values = dict(state.values)
    if values.get("goals-target_daily_mg"):
        values["goals-target_daily_mg"] = _dose_text(values["goals-target_daily_mg"])
    day_first = values.get("options-country", "US") in DAY_FIRST
    for name in ("agreed-date", "agreed-next_review"):
        values[name] = _date_text(values.get(name, ""), day_first)
    plan = [_visit_row(row, "from", day_first) for row in state.plan]
    progress = [_visit_row(row, "date", day_first) for row in state.progress]
    text = values.pop("appointment-date-text", "").strip()
    if text:
        date = read_date(text, day_first=values.get("options-country", "US") in DAY_FIRST)
        if date is not None:
            values.update(
                {
                    "appointment-date-day": str(date.day),
                    "appointment-date-month": str(date.month),
                    "appointment-date-year": str(date.year),
                }
            )
        else:
            values.update({"appointment-date-day": "", "appointment-date-month": "", "appointment-date-year": text})
    return replace(state, meds=meds, values=values, plan=plan, progress=progress)
