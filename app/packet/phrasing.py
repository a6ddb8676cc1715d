"""A Story and its Voice → collaborative words: the ask for page 1 and what to say in the room."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from app.library.packs import Citation
from app.library.translations import N_, _
from app.packet.medicines import Medicine
from app.packet.voice import Voice
from app.packet.words import and_list, mg
from app.story import Method, Outcome, Pace, Story

__all__ = ["Ask", "Phrasing", "medicine_names", "method_words", "phrasing_for"]

Cite = Callable[[str], Citation | None]
"""Excerpt id → its Citation (PackLibrary.cite), or None when the library lacks it (then the sentence is left out)."""

_METHOD_WORDS: dict[Method, str] = {
    Method.cold_turkey: N_("stopped all at once"),
    Method.fast_taper: N_("came off quickly, over a short time"),
    Method.slow_taper: N_("tried a gradual taper"),
    Method.switch: N_("switched to another medicine to taper"),
    Method.detox: N_("went through a detox programme"),
    Method.hospital_stay: N_("had it stopped or changed during a hospital stay"),
    Method.other: N_("tried to stop in another way"),
}

_ATTEMPT_SENTENCES: dict[Method, tuple[str, str]] = {
    Method.cold_turkey: (N_("In {when}, I stopped all at once."), N_("In {when}, {subject_mid} stopped all at once.")),
    Method.fast_taper: (
        N_("In {when}, I came off quickly, over a short time."),
        N_("In {when}, {subject_mid} came off quickly, over a short time."),
    ),
    Method.slow_taper: (
        N_("In {when}, I tried a gradual taper."),
        N_("In {when}, {subject_mid} tried a gradual taper."),
    ),
    Method.switch: (
        N_("In {when}, I switched to another medicine to taper."),
        N_("In {when}, {subject_mid} switched to another medicine to taper."),
    ),
    Method.detox: (
        N_("In {when}, I went through a detox programme."),
        N_("In {when}, {subject_mid} went through a detox programme."),
    ),
    Method.hospital_stay: (
        N_("In {when}, I had it stopped or changed during a hospital stay."),
        N_("In {when}, {subject_mid} had it stopped or changed during a hospital stay."),
    ),
    Method.other: (
        N_("In {when}, I tried to stop in another way."),
        N_("In {when}, {subject_mid} tried to stop in another way."),
    ),
}
"""Each method as a whole sentence per voice (`In {when}, I {method}.`), so a language that conjugates can."""


@dataclass(frozen=True)
class Ask:
    text: str
    citation: str | None = None


@dataclass(frozen=True)
class Phrasing:
    ask_heading: str
    asks: tuple[Ask, ...]
    opening: str
    past_attempts: tuple[str, ...]
    pace: str
    closing: str


def method_words(method: Method) -> str:
    return _(_METHOD_WORDS[method])


def medicine_names(medicines: Sequence[Medicine]) -> str:
    """ "Xanax (alprazolam)", "Xanax (alprazolam) and Ambien (zolpidem)", "A, B and C"."""
    return and_list(m.label for m in medicines)


def _asks(story: Story, medicines: Sequence[Medicine], cite: Cite) -> tuple[Ask, ...]:
    meds = medicine_names(medicines)
    goals = story.goals
    if goals.outcome is Outcome.stop:
        outcome = _("A gradual plan, made together, to stop {meds}.").format(meds=meds)
    elif goals.outcome is Outcome.reduce and goals.target_daily_mg:
        outcome = _("A gradual plan, made together, to reduce {meds} to {dose} a day.").format(
            meds=meds, dose=mg(goals.target_daily_mg)
        )
    elif goals.outcome is Outcome.reduce:
        outcome = _("A gradual plan, made together, to reduce {meds}.").format(meds=meds)
    else:
        outcome = _("Time to talk through whether, and how, to reduce {meds}.").format(meds=meds)
    asks = [Ask(outcome)]
    if goals.pace is Pace.slow:
        asks.append(
            Ask(_("A slow pace that we can adjust, with the option to pause at any step if symptoms get hard."))
        )
    elif goals.pace is Pace.as_guidelines and (rec6 := cite("asam-2025-rec-6")):
        pace = _("A pace inside the 2025 joint guideline: small cuts of 5–10%, usually every 2–4 weeks.")
        asks.append(Ask(pace, rec6.source))
    else:
        asks.append(Ask(_("Your advice on a pace that fits, with the option to pause if symptoms get hard.")))
    if check_in := cite("asam-2025-rec-8-9"):
        asks.append(Ask(_("A check-in after each dose change, so the plan can be adjusted together."), check_in.source))
    asks.extend(Ask(r if r.endswith((".", "?", "!")) else r + ".") for r in goals.requests)
    return tuple(asks)


def _attempt_lines(story: Story, voice: Voice) -> tuple[str, ...]:
    lines = []
    for attempt in story.past_attempts:
        mine, theirs = _ATTEMPT_SENTENCES[attempt.method]
        line = voice.sentence(_(mine), _(theirs), when=attempt.when)
        if attempt.outcome:
            line += " " + _("What happened: {outcome}").format(outcome=attempt.outcome)
        lines.append(line)
    if lines:
        lines.append(_("I'm sharing this so we can plan around what happened before, not to blame anyone."))
    return tuple(lines)


def phrasing_for(story: Story, voice: Voice, cite: Cite, medicines: Sequence[Medicine]) -> Phrasing:
    opening = voice.sentence(
        _(
            "Thank you for making time for this. "
            "I'd like to talk about {meds} and make a plan with you that feels safe."
        ),
        _(
            "Thank you for seeing us. I'm here to help {object} talk about {meds}. "
            "We'd like to make a plan with you that feels safe for {object}."
        ),
        meds=medicine_names(medicines),
    )
    pace = {
        Pace.slow: voice.sentence(
            _("I would feel safest going slowly: small cuts, and holding at a step if symptoms get hard."),
            _("{subject} would feel safest going slowly: small cuts, and holding at a step if symptoms get hard."),
        ),
        Pace.as_guidelines: voice.sentence(
            _("I'd like a pace inside the guideline, and to adjust it if symptoms get hard."),
            _("We'd like a pace inside the guideline, and to adjust it if symptoms get hard."),
        ),
        Pace.undecided: voice.sentence(
            _("I'm not sure what pace is right for me. What would you suggest, and can we adjust it as we go?"),
            _("We're not sure what pace is right for {object}. What would you suggest, and can we adjust it as we go?"),
        ),
    }[story.goals.pace]
    closing = voice.sentence(
        _("I'd really value your help with this. Could we agree on a first step and a time to check in?"),
        _("We'd really value your help with this. Could we agree on a first step and a time to check in?"),
    )
    heading = voice.sentence(_("What I'm asking for"), _("What we're asking for"))
    return Phrasing(heading, _asks(story, medicines, cite), opening, _attempt_lines(story, voice), pace, closing)
