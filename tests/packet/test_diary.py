"""A Story with a plan or progress → four weeks of days, each prefilled with the dose in force that day."""

from __future__ import annotations

import datetime as dt

from app.library.translations import speaking
from app.packet.diary import diary
from app.story import Story
from tests.helpers import load_story

TODAY = dt.date(2026, 12, 2)


def test_no_plan_and_no_progress_means_no_diary() -> None:
    assert diary(Story.model_validate(load_story("patient_one_drug")), TODAY) is None


def test_four_weeks_from_today_with_the_agreed_step_in_force() -> None:
    made = diary(Story.model_validate(load_story("follow_up")), TODAY)
    days = [d for week in made.weeks for d in week]
    assert len(made.weeks) == 4 and len(days) == 28
    assert days[0].date == "Wed 2 Dec" and days[-1].date == "Tue 29 Dec"
    assert {d.dose for d in days} == {"1.5 mg"}


def test_a_step_still_to_come_starts_the_diary_and_each_day_shows_its_step() -> None:
    story = load_story("patient_one_drug") | {
        "agreed": {
            "steps": [
                {"medication": 1, "daily_mg": 1.25, "from": "2026-12-10"},
                {"medication": 1, "daily_mg": 1.0, "from": "2026-12-24"},
            ]
        }
    }
    made = diary(Story.model_validate(story), TODAY)
    days = [d for week in made.weeks for d in week]
    assert days[0].date == "Thu 10 Dec"
    assert [d.dose for d in days[:14]] == ["1.25 mg"] * 14 and days[14].dose == "1 mg"


def test_a_step_far_ahead_does_not_start_the_diary() -> None:
    story = load_story("patient_one_drug") | {
        "agreed": {"steps": [{"medication": 1, "daily_mg": 1.25, "from": "9999-12-30"}]}
    }
    made = diary(Story.model_validate(story), TODAY)
    assert made.weeks[0][0].date == "Wed 2 Dec" and made.weeks[-1][-1].dose == "1.5 mg"


def test_in_spanish_the_diary_and_its_days_are_spanish() -> None:
    with speaking("es"):
        made = diary(Story.model_validate(load_story("follow_up")), TODAY)
    days = [d for week in made.weeks for d in week]
    assert made.heading == "Mi diario" and made.intro.startswith("Una línea por día. Marque la dosis")
    assert days[0].date == "mié 2 dic" and days[-1].date == "mar 29 dic"
    assert {d.dose for d in days} == {"1.5 mg"}
