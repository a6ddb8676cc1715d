"""A Story and its Voice → collaborative words: the ask for page 1 and what to say in the room."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from app.library.packs import Citation
from app.packet.medicines import Medicine
from app.packet.voice import Voice
from app.packet.words import and_list, mg
from app.story import Method, Outcome, Pace, Story

__all__ = ["Ask", "Phrasing", "medicine_names", "method_words", "phrasing_for"]

Cite = Callable[[str], Citation | None]
"""Excerpt id → its Citation (PackLibrary.cite), or None when the library lacks it (then the sentence is left out)."""

_METHOD_WORDS: dict[Method, str] = {
    Method.cold_turkey: "stopped all at once",
    Method.fast_taper: "came off quickly, over a short time",
    Method.slow_taper: "tried a gradual taper",
    Method.switch: "switched to another medicine to taper",
    Method.detox: "went through a detox programme",
    Method.hospital_stay: "had it stopped or changed during a hospital stay",
    Method.other: "tried to stop in another way",
}


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
    return _METHOD_WORDS[method]


def medicine_names(medicines: Sequence[Medicine]) -> str:
    """ "Xanax (alprazolam)", "Xanax (alprazolam) and Ambien (zolpidem)", "A, B and C"."""
    return and_list(m.label for m in medicines)


def _asks(story: Story, medicines: Sequence[Medicine], cite: Cite) -> tuple[Ask, ...]:
    meds = medicine_names(medicines)
    goals = story.goals
    target = f" to {mg(goals.target_daily_mg)} a day" if goals.target_daily_mg else ""
    outcome = {
        Outcome.stop: f"A gradual plan, made together, to stop {meds}.",
        Outcome.reduce: f"A gradual plan, made together, to reduce {meds}{target}.",
        Outcome.undecided: f"Time to talk through whether, and how, to reduce {meds}.",
    }[goals.outcome]
    asks = [Ask(outcome)]
    if goals.pace is Pace.slow:
        asks.append(Ask("A slow pace that we can adjust, with the option to pause at any step if symptoms get hard."))
    elif goals.pace is Pace.as_guidelines and (rec6 := cite("asam-2025-rec-6")):
        pace = "A pace inside the 2025 joint guideline: small cuts of 5–10%, usually every 2–4 weeks."
        asks.append(Ask(pace, rec6.source))
    else:
        asks.append(Ask("Your advice on a pace that fits, with the option to pause if symptoms get hard."))
    if check_in := cite("asam-2025-rec-8-9"):
        asks.append(Ask("A check-in after each dose change, so the plan can be adjusted together.", check_in.source))
    asks.extend(Ask(r if r.endswith((".", "?", "!")) else r + ".") for r in goals.requests)
    return tuple(asks)


def _attempt_lines(story: Story, voice: Voice) -> tuple[str, ...]:
    lines = []
    for attempt in story.past_attempts:
        line = voice.sentence(
            "In {when}, I {method}.",
            "In {when}, {subject_mid} {method}.",
            when=attempt.when,
            method=method_words(attempt.method),
        )
        if attempt.outcome:
            line += f" What happened: {attempt.outcome}"
        lines.append(line)
    if lines:
        lines.append(
            voice.sentence(
                "I'm sharing this so we can plan around what happened before, not to blame anyone.",
                "I'm sharing this so we can plan around what happened before, not to blame anyone.",
            )
        )
    return tuple(lines)


def phrasing_for(story: Story, voice: Voice, cite: Cite, medicines: Sequence[Medicine]) -> Phrasing:
    opening = voice.sentence(
        "Thank you for making time for this. I'd like to talk about {meds} and make a plan with you that feels safe.",
        "Thank you for seeing us. I'm here to help {object} talk about {meds}. "
        "We'd like to make a plan with you that feels safe for {object}.",
        meds=medicine_names(medicines),
    )
    pace = {
        Pace.slow: voice.sentence(
            "I would feel safest going slowly: small cuts, and holding at a step if symptoms get hard.",
            "{subject} would feel safest going slowly: small cuts, and holding at a step if symptoms get hard.",
        ),
        Pace.as_guidelines: voice.sentence(
            "I'd like a pace inside the guideline, and to adjust it if symptoms get hard.",
            "We'd like a pace inside the guideline, and to adjust it if symptoms get hard.",
        ),
        Pace.undecided: voice.sentence(
            "I'm not sure what pace is right for me. What would you suggest, and can we adjust it as we go?",
            "We're not sure what pace is right for {object}. What would you suggest, and can we adjust it as we go?",
        ),
    }[story.goals.pace]
    closing = voice.sentence(
        "I'd really value your help with this. Could we agree on a first step and a time to check in?",
        "We'd really value your help with this. Could we agree on a first step and a time to check in?",
    )
    heading = voice.sentence("What I'm asking for", "What we're asking for")
    return Phrasing(heading, _asks(story, medicines, cite), opening, _attempt_lines(story, voice), pace, closing)
