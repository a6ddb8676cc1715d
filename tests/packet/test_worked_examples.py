"""The eight worked examples of issue 14: every dose makeable, the real % shown, and where the products stop, why,
with the options to discuss. US products unless said."""

from __future__ import annotations

from typing import Any

from app.library.packs import PackLibrary
from app.packet.guidance import emergency_for
from app.packet.medicines import identify_medicines
from app.packet.references import References
from app.packet.tags import story_tags
from app.packet.taper_page import TaperSection, taper_section
from app.packet.voice import voice_for
from app.story import Story


def _taper(story: Story, library: PackLibrary) -> TaperSection | None:
    """The taper page with the tags and emergency line build_packet would hand it."""
    emergency = emergency_for(voice_for(story), story.options.country, library)
    return taper_section(story, References(library), story_tags(story), emergency, identify_medicines(story))


def _section(library: PackLibrary, medication: dict[str, Any], goals: dict[str, Any]) -> TaperSection:
    story = Story.model_validate(
        {
            "prepared_by": "patient",
            "medications": [{"taking_since": "2019", **medication}],
            "goals": goals,
            "options": {"include_taper_draft": True},
        }
    )
    section = _taper(story, library)
    assert section is not None
    return section


def _titles(section: TaperSection) -> list[str]:
    return [o.title for o in section.options]


def test_alprazolam_half_mg_three_times_a_day_slow_stop(library: PackLibrary) -> None:
    section = _section(
        library, {"name": "alprazolam", "dose_mg": 0.5, "times_per_day": 3}, {"outcome": "stop", "pace": "slow"}
    )
    assert section.rows == ()
    assert section.stopping == (
        "The plan stops at today's dose, 1.5 mg a day: the smallest cut these products can make is 0.25 mg, which is "
        "17% of the dose, more than the 5% limit. It proposes no dose no product makes. Options to discuss:"
    )
    assert _titles(section) == ["A specially made (compounded) form", "Switching to a longer-acting medicine"]
    assert "about 1.43 mg, 1.36 mg, 1.3 mg a day" in section.options[0].text
    assert "about 15–30 mg diazepam a day (ASAM 2025, Table 7 [" in section.options[1].text


def test_klonopin_half_mg_once_a_day_slow_stop(library: PackLibrary) -> None:
    section = _section(
        library, {"name": "Klonopin", "dose_mg": 0.5, "times_per_day": 1}, {"outcome": "stop", "pace": "slow"}
    )
    assert section.rows == () and section.stopping
    assert "the smallest cut these products can make is 0.25 mg, which is 50% of the dose" in section.stopping
    assert _titles(section) == [
        "A lower strength or another form",
        "A specially made (compounded) form",
        "Switching to a longer-acting medicine",
    ]
    assert "0.125, 0.25, 0.5, 1, 2 mg orally disintegrating tablets" in section.options[0].text
    assert "smallest cut here would be 0.125 mg, 25% of the dose" in section.options[0].text


def test_lorazepam_morning_and_bedtime_as_guidelines_reduce_to_half_mg(library: PackLibrary) -> None:
    doses = [{"time": "morning", "mg": 0.5}, {"time": "bedtime", "mg": 1}]
    section = _section(
        library,
        {"name": "lorazepam", "doses": doses},
        {"outcome": "reduce", "pace": "as_guidelines", "target_daily_mg": 0.5},
    )
    assert section.pace and "faster end of that starting range" in section.pace
    assert section.rows == () and section.stopping
    assert "the smallest cut these products can make is 0.5 mg, which is 33% of the dose, more than the 10% limit" in (
        section.stopping
    )
    assert section.ending == "The goal is 0.5 mg a day."
    liquid = section.options[0]
    assert liquid.title == "A liquid" and "2 mg/mL oral concentrate" in liquid.text


def test_zolpidem_ten_mg_at_bedtime_stop(library: PackLibrary) -> None:
    section = _section(library, {"name": "zolpidem", "doses": [{"time": "bedtime", "mg": 10}]}, {"outcome": "stop"})
    assert section.rows == () and section.stopping
    assert "smallest cut these products can make is 5 mg, which is 50% of the dose" in section.stopping
    assert "1.75, 3.5 mg under-the-tongue tablets" in section.options[0].text
    assert "about 9.5 mg, 9.25 mg, 9 mg a day" in section.options[1].text
    assert "is not given here: no checked primary source lists this medicine" in section.options[2].text


def test_temazepam_thirty_mg_capsules_stop(library: PackLibrary) -> None:
    section = _section(library, {"name": "temazepam capsules", "dose_mg": 30, "times_per_day": 1}, {"outcome": "stop"})
    assert section.products and "7.5, 15, 22.5, 30 mg capsules (whole only)" in section.products
    assert section.stopping and "smallest cut these products can make is 7.5 mg, which is 25% of the dose" in (
        section.stopping
    )
    assert _titles(section) == ["A specially made (compounded) form", "Switching to a longer-acting medicine"]


def test_diazepam_forty_mg_stop(library: PackLibrary) -> None:
    section = _section(library, {"name": "diazepam", "dose_mg": 10, "times_per_day": 4}, {"outcome": "stop"})
    assert [(r.daily, r.cut) for r in section.rows] == [
        ("40 mg", "—"),
        ("38 mg", "5.0%"),
        ("37 mg", "2.6%"),
        ("36 mg", "2.7%"),
        ("35 mg", "2.8%"),
    ]
    assert section.phases == ("then 1 mg less at each step, every 2–4 weeks, until 19 mg a day (16 steps)",)
    assert len(section.appendix) == 21 and section.appendix[-1].daily == "19 mg"
    assert section.stopping and section.stopping.startswith("The plan stops at 19 mg a day")
    assert "1 mg, which is 5.3% of the dose" in section.stopping
    assert section.options[0].title == "A liquid" and "1 mg/mL oral solution" in section.options[0].text
    assert "Switching" not in " ".join(_titles(section))
    assert section.duration and "40–80 weeks" in section.duration


def test_xanax_xr_one_mg(library: PackLibrary) -> None:
    section = _section(library, {"name": "Xanax XR", "dose_mg": 1, "times_per_day": 1}, {"outcome": "stop"})
    assert section.products and "extended-release tablets (swallow whole, do not split)" in section.products
    assert section.stopping and "smallest cut these products can make is 0.5 mg, which is 50% of the dose" in (
        section.stopping
    )
    assert section.options[0].title == "A lower strength or another form"
    assert "0.25, 0.5, 1 mg tablets" in section.options[0].text


def test_alprazolam_as_needed_two_days_a_week(library: PackLibrary) -> None:
    medication = {"name": "alprazolam", "dose_mg": 0.5, "times_per_day": 1, "as_needed": True, "days_per_week": 2}
    section = _section(library, medication, {"outcome": "stop"})
    assert section.rows == () and section.stopping is None
    assert section.as_needed_note and section.as_needed_note.startswith(
        "alprazolam is taken as needed, about 2 days a week. How often it is really taken decides whether a taper is "
        "needed, and how (ASAM 2025, Table 2"
    )
    assert "4 or more days a week" in section.as_needed_note


def test_as_needed_on_most_days_is_drafted_from_a_usual_day(library: PackLibrary) -> None:
    medication = {"name": "alprazolam", "dose_mg": 1, "times_per_day": 3, "as_needed": True, "days_per_week": 5}
    section = _section(library, medication, {"outcome": "stop", "pace": "as_guidelines"})
    assert section.as_needed_note and "starts from a day it is taken" in section.as_needed_note
    assert section.rows[0].daily == "3 mg" and section.rows[1].daily == "2.75 mg"
