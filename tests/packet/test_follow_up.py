"""A Story with `progress` → the follow-up summary: the last agreed step, the dose taken now, each step, the ask."""

from __future__ import annotations

import datetime as dt

from app.library.check import load_checked
from app.library.translations import speaking
from app.packet.follow_up import follow_up, plan_dose_on
from app.packet.visit import HOLD_EXCERPT
from app.packet.voice import voice_for
from app.settings import Settings
from app.story import AgreedStep, Story
from tests.helpers import load_story, pdf_pages

TODAY = dt.date(2026, 12, 2)
HOLD = load_checked(Settings().pack_folders()).cite(HOLD_EXCERPT)


def _follow(story: dict) -> object:
    parsed = Story.model_validate(story)
    return follow_up(parsed, voice_for(parsed), TODAY, HOLD)


def test_a_first_visit_has_no_follow_up() -> None:
    assert _follow(load_story("patient_one_drug")) is None


def test_names_the_last_agreed_step_and_the_dose_taken_now() -> None:
    summary = _follow(load_story("follow_up"))
    assert summary.plan == "1.5 mg a day of Ativan from 12 Nov 2026 (step 2 of 2)"
    assert summary.now == "1.75 mg a day of Ativan, since 12 Nov 2026"
    assert summary.comparison == "Above the plan for today (1.5 mg a day)."
    assert [(s.dose, s.planned, s.how_it_went) for s in summary.steps] == [
        ("1.75 mg a day", "1.75 mg a day", "6 of 10"),
        ("1.75 mg a day", "1.5 mg a day", "2 of 10"),
    ]
    assert summary.next_review == "14 Jan 2027"


def test_a_hard_last_step_asks_about_holding_first_and_cites_it() -> None:
    summary = _follow(load_story("follow_up"))
    assert "holding at this dose" in summary.ask and summary.ask_citation.source.startswith("ASAM 2025, Rec. 11")


def test_steps_on_the_plan_ask_to_agree_the_next_step_without_a_citation() -> None:
    story = load_story("follow_up")
    story["progress"][1].update(daily_mg=1.5, how_it_went=7)
    summary = _follow(story)
    assert summary.comparison == "On the plan."
    assert "agree the next step" in summary.ask and summary.ask_citation is None


def test_a_caregiver_asks_in_their_own_voice() -> None:
    story = load_story("follow_up") | {
        "prepared_by": "caregiver",
        "caregiver": {"name": "Ana", "relationship": "husband"},
    }
    assert _follow(story).ask.startswith("The last step was hard for him. We would like")


def test_chart_numbers_are_days_from_the_first_date_and_the_plan_steps() -> None:
    chart = _follow(load_story("follow_up")).chart
    assert chart.first_day == dt.date(2026, 10, 1)
    assert chart.plan.points == ((0, 2.0), (14, 1.75), (42, 1.5))
    assert chart.actual.points == ((0, 2.0), (14, 1.75), (42, 1.75))
    assert chart.days == (TODAY - dt.date(2026, 10, 1)).days


def test_progress_without_a_plan_says_so() -> None:
    story = load_story("follow_up")
    del story["agreed"]
    summary = _follow(story)
    assert summary.plan == "No agreed plan was recorded." and summary.chart.plan is None


def test_only_the_latest_steps_are_listed_and_the_rest_counted() -> None:
    story = load_story("follow_up")
    story["progress"] = [
        {"date": (dt.date(2026, 1, 1) + dt.timedelta(days=7 * i)).isoformat(), "medication": 1, "daily_mg": 2.0}
        for i in range(30)
    ]
    summary = _follow(story)
    assert len(summary.steps) == 6 and summary.earlier_steps == 24


def test_plan_dose_on_a_day_is_the_last_step_begun() -> None:
    steps = [
        AgreedStep(medication=1, daily_mg=1.5, from_=dt.date(2027, 1, 3)),
        AgreedStep(medication=1, daily_mg=1.0, from_=dt.date(2027, 2, 1)),
    ]
    assert plan_dose_on(dt.date(2027, 1, 2), 2.0, steps) == 2.0
    assert plan_dose_on(dt.date(2027, 1, 3), 2.0, steps) == 1.5
    assert plan_dose_on(dt.date(2027, 3, 1), 2.0, steps) == 1.0


def test_follow_up_packet_page_1_names_the_plan_the_dose_now_and_has_the_chart(client) -> None:
    pages = pdf_pages(client.post("/api/v1/packets?copy=prescriber", json=load_story("follow_up")).content)
    first = pages[0]
    assert "What we agreed" in pages[-1] and "Learning more" not in pages[-1].split("What we agreed")[1]
    assert "Since my last visit" in first
    assert "Last agreed step: 1.5 mg a day of Ativan from 12 Nov 2026 (step 2 of 2)" in first
    assert "Taking now: 1.75 mg a day of Ativan, since 12 Nov 2026" in first
    assert "For this visit: The last step was hard." in first
    assert all(words in first for words in ("mg a day", "taken", "plan", "1 Oct"))  # the chart's own text
    assert first.index("Since my last visit") < first.index("What I'm asking for")
    assert "Page 1 of" in first and "What we agreed" not in first


def _follow_es(story: dict) -> object:
    with speaking("es"):
        return _follow(story)


def test_in_spanish_the_plan_the_dose_now_and_each_step_are_spanish_sentences() -> None:
    summary = _follow_es(load_story("follow_up"))
    assert summary.heading == "Desde mi última consulta"
    assert summary.plan == "1.5 mg al día de Ativan desde el 12 nov 2026 (paso 2 de 2)"
    assert summary.now == "1.75 mg al día de Ativan, desde el 12 nov 2026"
    assert summary.comparison == "Por encima del plan para hoy (1.5 mg al día)."
    assert [(s.date, s.dose, s.how_it_went) for s in summary.steps] == [
        ("15 oct 2026", "1.75 mg al día", "6 de 10"),
        ("12 nov 2026", "1.75 mg al día", "2 de 10"),
    ]
    assert summary.next_review == "14 ene 2027"
    assert summary.ask.startswith("El último paso fue difícil. Me gustaría hablar de mantener esta dosis")
    assert summary.chart.title == "Dosis diaria de Ativan: el plan y lo que se tomó"


def test_in_spanish_a_caregiver_asks_without_a_gendered_word_about_the_patient() -> None:
    story = load_story("follow_up") | {
        "prepared_by": "caregiver",
        "caregiver": {"name": "Ana", "relationship": "esposo"},
    }
    hard = _follow_es(story)
    assert hard.heading == "Desde la última consulta"
    assert hard.ask.startswith("El último paso le resultó difícil. Nos gustaría")
    story["progress"][1].update(how_it_went=7)
    behind = _follow_es(story)
    assert behind.ask.endswith("Nos gustaría revisar el plan con usted y acordar un ritmo que pueda mantener.")
    for english in ("him", "his", "taking more", "We would like"):
        assert english not in hard.ask + behind.ask


def test_in_spanish_a_step_still_to_come_says_so_and_no_plan_says_so() -> None:
    story = load_story("follow_up")
    story["agreed"]["steps"][1]["from"] = "2027-01-07"
    assert _follow_es(story).plan == "1.75 mg al día de Ativan desde el 15 oct 2026 (paso 1 de 2)"
    story["agreed"]["steps"] = [{"medication": 1, "daily_mg": 1.5, "from": "2027-01-07"}]
    assert _follow_es(story).plan == "1.5 mg al día de Ativan desde el 7 ene 2027 (paso 1 de 1), aún sin empezar"
    del story["agreed"]
    assert _follow_es(story).plan == "No se anotó ningún plan acordado."
