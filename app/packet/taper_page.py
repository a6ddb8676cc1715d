"""A Story + the resource packs → the "Draft taper to discuss" section: wording, table rows and chart, all decided."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from fractions import Fraction

from app.library.drugs import Drug
from app.library.packs import Citation, sources
from app.library.translations import N_, _, ngettext
from app.packet.guidance import Emergency
from app.packet.medicines import Medicine
from app.packet.plan import Ending
from app.packet.plan_options import Option
from app.packet.references import References
from app.packet.taper_plan import PlanPart, PlanRow, plan_part, split_rule
from app.packet.words import mg
from app.story import Medication, Outcome, Section, Story

__all__ = [
    "NOT_A_PRESCRIPTION",
    "PAUSE_NOTE",
    "EquivalenceRow",
    "SwitchInfo",
    "TaperChart",
    "TaperSection",
    "taper_section",
]

NOT_A_PRESCRIPTION = N_("A starting point for the patient and prescriber to discuss. It is not a prescription.")  # T2
PAUSE_NOTE = N_("A pause is possible at any step: stay on that dose for as long as needed before the next cut.")
_REC_6_FALLBACK = "ASAM 2025, Rec. 6; pocket guide p. 8"
_TABLE_2_FALLBACK = "ASAM 2025, Table 2; pocket guide p. 9"


@dataclass(frozen=True)
class TaperChart:
    """What the chart shows, as numbers: app/render/chart.py draws it. `title` is its alt text; `points` are
    (start week, mg a day), today first; `end_label` marks the last dose."""

    title: str
    points: tuple[tuple[int, float], ...]
    table_weeks: int
    end_label: str | None


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
    guideline: Citation | None


@dataclass(frozen=True)
class TaperSection:
    """`rows` and `phases` fit one page; `appendix` is every step, for the personal booklet's optional appendix."""

    medicine: str
    intro: str
    intro_citation: str
    held_steady: str | None
    switch: SwitchInfo | None
    pause_note: str
    pause_citation: str | None
    emergency: str
    emergency_citation: str
    pace: str | None = None
    rows: tuple[PlanRow, ...] = ()
    phases: tuple[str, ...] = ()
    appendix: tuple[PlanRow, ...] = ()
    chart: TaperChart | None = None
    steps_words: str | None = None
    duration: str | None = None
    products: str | None = None
    product_sources: tuple[str, ...] = ()
    split_rule: str | None = None
    stopping: str | None = None
    options: tuple[Option, ...] = ()
    ending: str | None = None
    unknown_note: str | None = None
    as_needed_note: str | None = None
    not_a_prescription: str = NOT_A_PRESCRIPTION


def _chosen(story: Story, medicines: Sequence[Medicine]) -> tuple[int, Drug | None]:
    """The medicine the person picked, else the first one listed (O7: taperprep does not choose)."""
    index = (story.options.taper_medication or 1) - 1
    return index, medicines[index].drug


def _which_first(story: Story, index: int) -> str | None:
    if len(story.medications) < 2:
        return None
    chosen = story.medications[index].name
    if story.options.taper_medication is None:
        return _(
            "taperprep drafted the first medicine listed, {chosen}. Which to taper first, and what happens to the "
            "others meanwhile, is a question for the prescriber."
        ).format(chosen=chosen)
    return _(
        "This draft is for {chosen}, as chosen. What happens to the other medicines meanwhile is a question for the "
        "prescriber."
    ).format(chosen=chosen)


def _goal(medication: Medication, outcome: Outcome, target: float | None) -> tuple[Fraction, str]:
    """Stop → 0; reduce with a target → the target; otherwise half way, which the guideline counts as a goal too."""
    start = Fraction(str(medication.daily_mg))
    if outcome is Outcome.stop:
        return Fraction(0), _("The goal is to stop.")
    if outcome is Outcome.reduce and target is not None:
        return min(Fraction(str(target)), start), _("The goal is {dose} a day.").format(
            dose=mg(min(target, float(start)))
        )
    half = mg(float(start / 2))
    if outcome is Outcome.undecided:
        return start / 2, _("No goal was chosen yet, so the draft aims half way, at about {dose} a day.").format(
            dose=half
        )
    return start / 2, _("No target dose was given, so the draft aims half way, at about {dose} a day.").format(
        dose=half
    )


def _ending(part: PlanPart, goal_words: str, references: References) -> str | None:
    plan = part.plan
    if plan.goal_mg == 0:
        return None
    if plan.ending is Ending.products:
        return goal_words
    ending = _("{goal} The plan ends at {dose} a day, the nearest dose the products make.").format(
        goal=goal_words, dose=mg(float(plan.end))
    )
    if plan.end == plan.goal_mg:
        ending = _("{goal} The plan ends there.").format(goal=goal_words)
    goal = references.cite("asam-2025-goal")
    if goal is not None:
        ending += " " + _("The guideline counts a lower dose as a valid goal, not only stopping ({source}).").format(
            source=goal.source
        )
    return ending


def _as_needed(medication: Medication, references: References) -> str:
    """No draft from the most an as-needed medicine could be: how often it is taken decides (ASAM Table 2)."""
    table_2 = references.cite("asam-2025-table-2")
    source = table_2.source if table_2 else _TABLE_2_FALLBACK
    days = medication.days_per_week
    taken = (
        _("{name} is taken as needed, about {days} days a week.").format(name=medication.name, days=f"{days:g}")
        if days is not None
        else _("{name} is taken as needed.").format(name=medication.name)
    )
    return (
        taken
        + " "
        + _(
            "How often it is really taken decides whether a taper is needed, and how ({source}). taperprep drafts "
            "steps only from a usual day when it is taken on 4 or more days a week; the prescriber can draft a plan "
            "from how often it is actually taken."
        ).format(source=source)
    )


def _switch(medicines: Sequence[Medicine], references: References, tags: set[str]) -> SwitchInfo | None:
    if "switch_requested" not in tags:
        return None
    rows = tuple(EquivalenceRow(m.name, references.equivalence(m.generic, m.taken.daily_mg)) for m in medicines)
    return SwitchInfo(
        note=_(
            "Switching to a longer-acting medicine such as diazepam came up. taperprep drafts no switch schedule: "
            "whether to switch, and how, is for you and your prescriber to decide together. These are the approximate "
            "diazepam equivalents of the current doses, as ranges from the sources named."
        ),
        equivalences=rows,
        equivalence_note=references.equivalence_note,
        guideline=references.cite("asam-2025-rec-7"),
    )


def taper_section(
    story: Story, references: References, tags: set[str], emergency: Emergency, medicines: Sequence[Medicine]
) -> TaperSection | None:
    """None unless the person asked for the draft; a medicine taperprep does not know gets a note, never numbers.
    Its citations are the prescriber copy's numbered ones (`references`)."""
    if not story.options.include_taper_draft or Section.taper not in story.options.sections:
        return None
    index, drug = _chosen(story, medicines)
    medication = story.medications[index]
    rec_6 = references.cite("asam-2025-rec-6")
    pause = references.cite("asam-2025-rec-11") or references.cite("asam-2025-rec-8-9")
    base = TaperSection(
        medicine=medication.name,
        intro=_(
            "The joint guideline led by ASAM suggests starting with cuts of 5–10%, usually every "
            "2–4 weeks, and generally going no faster than 25% every 2 weeks."
        ),
        intro_citation=rec_6.source if rec_6 else _REC_6_FALLBACK,
        held_steady=_which_first(story, index),
        switch=_switch(medicines, references, tags),
        pause_note=_(PAUSE_NOTE),
        pause_citation=(
            _("The guideline puts slowing down or pausing first when withdrawal symptoms appear ({source}).").format(
                source=pause.source
            )
            if pause
            else None
        ),
        emergency=emergency.text,
        emergency_citation=sources(n for c in emergency.backed_by if (n := references.cite(c.excerpt_id))),
        not_a_prescription=_(NOT_A_PRESCRIPTION),
    )
    if drug is None:
        return replace(
            base,
            unknown_note=_(
                "taperprep does not recognise “{name}”, so this section proposes no doses for it. "
                "The prescriber can draft a plan within the same bounds."
            ).format(name=medication.name),
        )
    as_needed_note = None
    if medication.as_needed:
        days = medication.days_per_week
        if days is None or days < 4:
            return replace(base, as_needed_note=_as_needed(medication, references))
        as_needed_note = _(
            "{name} is taken as needed, about {days} days a week: this draft starts from a day it is "
            "taken, not from the most it could be."
        ).format(name=medication.name, days=f"{days:g}")
    goals = story.goals
    goal_mg, goal_words = _goal(medication, goals.outcome, goals.target_daily_mg)
    if goal_mg >= Fraction(str(medication.daily_mg)):
        nothing = _("The goal of {dose} a day is not below the current dose, so there is nothing to draft.").format(
            dose=mg(float(goal_mg))
        )
        return replace(base, ending=nothing, as_needed_note=as_needed_note)
    part = plan_part(
        medication,
        drug.generic,
        goals.pace,
        goal_mg,
        story.options.country,
        lambda excerpt_id: c.source if (c := references.cite(excerpt_id)) else None,
        references.equivalence,
    )
    plan = part.plan
    low, high = plan.duration_weeks
    chart = None
    if plan.cuts:
        title = ngettext(
            "Chart of the draft taper for {name}: from {start} to {end} a day in {n} steps, over about {low}–{high} "
            "weeks.",
            "Chart of the draft taper for {name}: from {start} to {end} a day in {n} steps, over about {low}–{high} "
            "weeks.",
            plan.cuts,
        ).format(
            name=medication.name, start=mg(float(plan.start)), end=mg(float(plan.end)), n=plan.cuts, low=low, high=high
        )
        label = _("where the products stop") if plan.ending is Ending.products else _("goal of this draft")
        chart = TaperChart(title, part.chart_points, plan.bounds.table_weeks, label)
    switch = base.switch
    switch_citation = switch.guideline.source if switch is not None and switch.guideline else None
    if switch is not None and any(o.citation == switch_citation for o in part.options if switch.guideline):
        switch = replace(switch, guideline=None)  # the switching option already cites Rec. 7 on this page
    return replace(
        base,
        switch=switch,
        as_needed_note=as_needed_note,
        pace=part.pace_words,
        rows=part.rows if plan.cuts else (),
        phases=part.phases,
        appendix=part.appendix if plan.cuts else (),
        chart=chart,
        steps_words=part.steps_words,
        duration=part.duration,
        products=part.products_words,
        product_sources=part.product_sources,
        split_rule=split_rule(),
        stopping=part.stopping,
        options=part.options,
        ending=_ending(part, goal_words, references),
    )
