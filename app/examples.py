"""A complete example story: the OpenAPI example, the start-up warm-up render and the README's curl body."""

from __future__ import annotations

from typing import Any

__all__ = ["EXAMPLE_STORY"]

EXAMPLE_STORY: dict[str, Any] = {
    "prepared_by": "patient",
    "patient": {"name": "Sam Rivera", "age": 46, "pronouns": "he/him"},
    "appointment": {"prescriber_name": "Dr. Lee", "clinic": "Riverside Family Practice"},
    "medications": [
        {
            "name": "Klonopin",
            "dose_mg": 0.5,
            "times_per_day": 2,
            "taking_since": "2016-05",
            "prescribed_for": "panic attacks",
        }
    ],
    "reason_prescribed": "Panic attacks after a hard year at work.",
    "past_attempts": [
        {
            "when": "2021",
            "method": "fast_taper",
            "description": "Cut to half over two weeks.",
            "outcome": "Could not sleep for days, shaking and racing heart. Went back to the full dose.",
        }
    ],
    "experience": "Things are stable, but I feel foggy and I worry about taking it long term.",
    "symptoms": ["trouble sleeping", "brain fog"],
    "why_now": "I want to understand my options and make a safe plan.",
    "goals": {
        "outcome": "stop",
        "pace": "slow",
        "requests": ["Can we check in by phone two weeks after each change?"],
    },
    "options": {"paper": "letter", "include_taper_draft": True},
}
