"""A date → its words in the language spoken: English as the pages always printed it, Spanish as babel's CLDR says."""

from __future__ import annotations

import datetime as dt

import pytest

from app.library.translations import speaking
from app.packet.dates import long_date, short_date, weekday_date

YEAR = [dt.date(2026, 1, 1) + dt.timedelta(days=i) for i in range(365)]


def test_english_dates_read_as_before_on_every_day_of_a_year() -> None:
    assert [long_date(d) for d in YEAR] == [f"{d:%-d %B %Y}" for d in YEAR]
    assert [short_date(d) for d in YEAR] == [f"{d:%-d %b %Y}" for d in YEAR]
    assert [weekday_date(d) for d in YEAR] == [f"{d:%a %-d %b}" for d in YEAR]


@pytest.mark.parametrize(
    ("day", "long", "short", "weekday"),
    [
        (dt.date(2026, 12, 2), "2 de diciembre de 2026", "2 dic 2026", "mié 2 dic"),
        (dt.date(2027, 1, 14), "14 de enero de 2027", "14 ene 2027", "jue 14 ene"),
        (dt.date(2027, 9, 5), "5 de septiembre de 2027", "5 sept 2027", "dom 5 sept"),
    ],
)
def test_spanish_dates(day: dt.date, long: str, short: str, weekday: str) -> None:
    with speaking("es"):
        assert (long_date(day), short_date(day), weekday_date(day)) == (long, short, weekday)
