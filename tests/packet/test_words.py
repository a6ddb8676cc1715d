"""Numbers, lists and dates → words, in English and in Spanish (the language being spoken)."""

from __future__ import annotations

import datetime as dt

from app.library.translations import speaking
from app.packet.words import and_list, long_date, months_words, short_date
from app.story import Language


def test_lists_join_with_the_language_s_and() -> None:
    assert and_list(["A", "B", "C"]) == "A, B and C"
    with speaking(Language.es):
        assert and_list(["A", "B", "C"]) == "A, B y C"
        assert and_list(["Ativan", "A"]) == "Ativan y A"


def test_spanish_says_e_before_a_word_that_starts_with_the_i_sound() -> None:
    with speaking(Language.es):
        assert and_list(["madre", "hija"]) == "madre e hija"
        assert and_list(["Xanax", "Intermezzo"]) == "Xanax e Intermezzo"
        assert and_list(["agua", "hielo"]) == "agua y hielo"  # "hie-" is /je/, not /i/


def test_dates_and_durations_in_each_language() -> None:
    day = dt.date(2027, 1, 15)
    assert (long_date(day), short_date(day), months_words(30)) == ("15 January 2027", "15 Jan", "about 2 years")
    with speaking(Language.es):
        assert (long_date(day), short_date(day)) == ("15 de enero de 2027", "15 ene")
        assert [months_words(n) for n in (0, 1, 5, 30)] == [
            "menos de un mes",
            "alrededor de 1 mes",
            "alrededor de 5 meses",
            "alrededor de 2 años",
        ]
