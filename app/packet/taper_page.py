"""A Story + the resource packs → the "Draft taper to discuss" section: wording, table rows and chart, all decided."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, replace

from markupsafe import Markup

from app.library.drugs import Drug, identify
from app.library.equivalence import equivalence_note, equivalence_text
from app.library.packs import PackLibrary
from app.packet.chart import taper_chart_svg
from app.packet.guidance import emergency_for
from app.packet.tags import story_tags
from app.packet.taper import Goal, TaperDraft, draft_taper, precision_for
from app.story import Outcome, Pace, Section, Story

__all__ = [
    "NOT_A_PRESCRIPTION",
    "PAUSE_NOTE",
    "CitedExcerpt",
    "EquivalenceRow",
    "SwitchInfo",
    "TaperRow",
    "TaperSection",
    "taper_section",
]

NOT_A_PRESCRIPTION = "This is a starting point for discussion with your prescriber, not a prescription."
PAUSE_NOTE = "A pause is possible at any step: stay on that dose for as long as needed before the next cut."
_REC_6_FALLBACK = "ASAM 2025, Rec. 6; pocket guide p. 8"
_TABLE_2_FALLBACK = "ASAM 2025, Table 2; pocket guide p. 9"


@dataclass(frozen=True)
class CitedExcerpt:
    title: str
    text: str
    citation: str


@dataclass(frozen=True)
class TaperRow:
    step: str
    start_week: str
    daily_dose: str
    cut: str
    of_start: str


@dataclass(frozen=True)
class EquivalenceRow:
    medicine: str
    equivalence: str


@dataclass(frozen=True)
class SwitchInfo:
    """Shown when the person asks about switching: ranges and the guideline, never a switch schedule."""

    note: str
    equivalences: tuple[EquivalenceRow, ...]
    equivalence_note: str | None
    guideline: CitedExcerpt | None


@dataclass(frozen=True)
class TaperSection:
    """`small_doses` asks the packet to show the "making small doses" questions beside the ending."""

    medicine: str
    intro: str
    intro_citation: str
    held_steady: str | None
    switch: SwitchInfo | None
    pause_note: str
    pause_citation: str | None
    emergency: str
    emergency_citation: str
    plan: str | None = None
    rows: tuple[TaperRow, ...] = ()
    chart: Markup | None = None
    duration: str | None = None
    rounding: str | None = None
    ending: str | None = None
    small_doses: bool = False
    unknown_note: str | None = None
    as_needed_note: str | None = None
    not_a_prescription: str = NOT_A_PRESCRIPTION


def _cite(library: PackLibrary, excerpt_id: str) -> CitedExcerpt | None:
    try:
        found = library.excerpt(excerpt_id)
    except KeyError:
        return None
    return CitedExcerpt(found.excerpt.title, found.excerpt.text, f"{found.pack.short}, {found.excerpt.locator}")


def _mg(value: float) -> str:
    return f"{value:g} mg"


def _percent(value: float) -> str:
    return f"{value:.0f}%" if value >= 10 else f"{value:.1f}%"


def _chosen(story: Story) -> tuple[int, Drug | None]:
    """The medicine the person picked, else the first one taperprep recognises, else the first listed."""
    meds = story.medications
    if story.options.taper_medication is not None:
        index = story.options.taper_medication - 1
        return index, identify(meds[index].name)
    for index, med in enumerate(meds):
        if (drug := identify(med.name)) is not None:
            return index, drug
    return 0, None


def _rows(draft: TaperDraft) -> tuple[TaperRow, ...]:
    return tuple(
        TaperRow(
            step=str(s.number) if s.number else "Now",
            start_week=str(s.start_week),
            daily_dose=_mg(s.daily_mg),
            cut=_percent(s.cut_percent) if s.number else "—",
            of_start=_percent(s.percent_of_start),
        )
        for s in draft.steps
    )


def _steps_words(draft: TaperDraft) -> str:
    """What the cuts in milligrams do: rounding to the grid can make them equal, and the text must not say otherwise."""
    doses = [s.daily_mg for s in draft.steps]
    cuts = [round(a - b, 6) for a, b in itertools.pairwise(doses)]
    smallest, grid = min(cuts), draft.precision_mg
    never_grows = all(later <= earlier + grid / 2 for earlier, later in itertools.pairwise(cuts))
    if never_grows and cuts[-1] < cuts[0] and 2 * cuts.count(smallest) <= len(cuts):
        return (
            f"Each cut is a share of the current dose, so the steps get smaller as the dose falls, down to "
            f"{_mg(smallest)}."
        )
    rounded = f"Because doses are rounded to the nearest {_mg(grid)}"
    if len(set(cuts)) == 1:
        return f"{rounded}, every cut here is {_mg(smallest)}: the cuts do not get smaller as the dose falls."
    common = max(sorted(set(cuts)), key=cuts.count)
    most = f", and most are {_mg(common)}" if 2 * cuts.count(common) > len(cuts) else ""
    return (
        f"{rounded}, the cuts here are between {_mg(smallest)} and {_mg(max(cuts))}{most}: "
        "they do not get smaller steadily as the dose falls."
    )


def _plan(draft: TaperDraft, medicine: str, pace: Pace) -> str:
    bounds = draft.bounds
    low, high = bounds.weeks_between
    plan = (
        f"This draft lowers {medicine} from {_mg(draft.start_mg)} a day by at most {bounds.max_cut_percent:g}% of the "
        f"current dose at each step, one step every {low} to {high} weeks (the table shows a step every "
        f"{bounds.table_weeks} weeks). {_steps_words(draft)}"
    )
    if pace is Pace.undecided:
        plan += " No pace was chosen yet, so the draft uses the gentler end; it can be made faster or slower together."
    return plan


def _ending(draft: TaperDraft, outcome: Outcome, library: PackLibrary) -> str:
    if draft.floor_reached:
        return (
            f"The draft stops proposing doses at {_mg(draft.end_mg)} a day: below that, a "
            f"{draft.bounds.max_cut_percent:g}% cut would be smaller than the {_mg(draft.precision_mg)} steps it "
            "rounds to. How to finish from there, including how to make very small doses, is for discussion with "
            "the prescriber."
        )
    if draft.goal is Goal.target:
        return f"The draft ends at the goal of {_mg(draft.goal_mg)} a day."
    why = "No goal was chosen yet" if outcome is Outcome.undecided else "No target dose was given"
    ending = (
        f"{why}, so the draft goes half way, to {_mg(draft.goal_mg)} a day; from there, the next steps can be "
        "decided together."
    )
    goal = _cite(library, "asam-2025-goal")
    if goal is not None:
        ending += f" The guideline counts a lower dose as a valid goal, not only stopping ({goal.citation})."
    return ending


def _duration(draft: TaperDraft) -> str:
    low, high = draft.duration_weeks
    step_low, step_high = draft.bounds.weeks_between
    months = f" (about {low / 4.35:.0f}–{high / 4.35:.0f} months)" if low >= 9 else ""
    more = " Finishing from the last dose takes further time, to be discussed." if draft.floor_reached else ""
    return (
        f"If each step lasts {step_low} to {step_high} weeks, this draft takes {low}–{high} weeks{months}; "
        f"pauses make it longer.{more}"
    )


def _held_steady(story: Story, index: int, drafted: bool) -> str | None:
    others = [m.name for i, m in enumerate(story.medications) if i != index]
    if not others:
        return None
    names = list(dict.fromkeys(others))
    listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    chosen = story.medications[index].name
    verb = "stays" if len(names) == 1 else "stay"
    first = f"This draft tapers {chosen} first." if drafted else f"{chosen} is the medicine to discuss first."
    return f"{first} {listed} {verb} at the same dose while {chosen} is reduced."


def _as_needed(medicine: str, library: PackLibrary) -> str:
    """No draft from the most an as-needed medicine could be: how often it is taken decides (ASAM Table 2)."""
    table_2 = _cite(library, "asam-2025-table-2")
    source = table_2.citation if table_2 else _TABLE_2_FALLBACK
    return (
        f"{medicine} is taken as needed. How often it is really taken decides whether a taper is needed, and how "
        f"({source}). So this section drafts no steps from the most it could be; the prescriber can draft a plan "
        "from how often it is actually taken."
    )


def _equivalence(name: str, daily_mg: float) -> str:
    drug = identify(name)
    return equivalence_text(drug.generic if drug else None, daily_mg)


def _switch(story: Story, library: PackLibrary) -> SwitchInfo | None:
    if "switch_requested" not in story_tags(story):
        return None
    return SwitchInfo(
        note=(
            "Switching to a longer-acting medicine such as diazepam came up. taperprep drafts no switch schedule: "
            "whether to switch, and how, is for the prescriber to decide. These are the approximate "
            "diazepam equivalents of the current doses, as ranges from the sources named."
        ),
        equivalences=tuple(EquivalenceRow(m.name, _equivalence(m.name, m.daily_mg)) for m in story.medications),
        equivalence_note=equivalence_note(d.generic if (d := identify(m.name)) else None for m in story.medications),
        guideline=_cite(library, "asam-2025-rec-7"),
    )


def taper_section(story: Story, library: PackLibrary) -> TaperSection | None:
    """None unless the person asked for the draft; a medicine taperprep does not know gets a note, never numbers."""
    if not story.options.include_taper_draft or Section.taper not in story.options.sections:
        return None
    index, drug = _chosen(story)
    medication = story.medications[index]
    rec_6 = _cite(library, "asam-2025-rec-6")
    pause = _cite(library, "asam-2025-rec-11") or _cite(library, "asam-2025-rec-8-9")
    emergency = emergency_for(story, library)
    base = TaperSection(
        medicine=medication.name,
        intro=(
            "The joint guideline led by ASAM suggests starting with cuts of 5–10%, usually every "
            "2–4 weeks, and generally going no faster than 25% every 2 weeks."
        ),
        intro_citation=rec_6.citation if rec_6 else _REC_6_FALLBACK,
        held_steady=_held_steady(story, index, drafted=drug is not None),
        switch=_switch(story, library),
        pause_note=PAUSE_NOTE,
        pause_citation=(
            f"The guideline puts slowing down or pausing first when withdrawal symptoms appear ({pause.citation})."
            if pause
            else None
        ),
        emergency=emergency.text,
        emergency_citation="; ".join(f"{c.short}, {c.locator}" for c in emergency.backed_by),
    )
    if drug is None:
        return replace(
            base,
            unknown_note=(
                f"taperprep does not recognise “{medication.name}”, so this section proposes no doses for it. "
                "The prescriber can draft a plan within the same bounds."
            ),
        )
    if medication.as_needed:
        return replace(base, as_needed_note=_as_needed(medication.name, library))
    goals = story.goals
    target = goals.target_daily_mg if goals.outcome is Outcome.reduce else None
    draft = draft_taper(
        medication.daily_mg, goals.pace, goals.outcome, target, precision_for(drug.generic, medication.daily_mg)
    )
    if draft.cuts == 0 and not draft.floor_reached:
        nothing = f"The goal of {_mg(draft.goal_mg)} a day is not below the current dose, so there is nothing to draft."
        return replace(base, ending=nothing)
    ending = _ending(draft, goals.outcome, library)
    if draft.cuts == 0:
        return replace(base, ending=ending, small_doses=True)
    low, high = draft.duration_weeks
    title = (
        f"Chart of the draft taper for {medication.name}: from {_mg(draft.start_mg)} to {_mg(draft.end_mg)} a day "
        f"in {draft.cuts} steps, over about {low}–{high} weeks. The table gives every step."
    )
    return replace(
        base,
        plan=_plan(draft, medication.name, goals.pace),
        rows=_rows(draft),
        chart=taper_chart_svg(draft, title),
        duration=_duration(draft),
        rounding=(
            f"Doses are rounded up to the nearest {_mg(draft.precision_mg)}, so rounding never makes a cut bigger. "
            "How to make up each dose is for the prescriber and pharmacist to decide."
        ),
        ending=ending,
        small_doses=draft.floor_reached,
    )
