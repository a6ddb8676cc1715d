"""The longest story the contract allows → how long its PDF takes to render here (issue 8's bound on a render)."""

from __future__ import annotations

import statistics
import sys
import time
from typing import Any

from app.settings import Settings
from app.story import Story, story_json
from app.web.render_queue import build_service


def _fill(length: int, word: str) -> str:
    return (word * (length // len(word) + 1))[:length].strip().ljust(length, "x")


def longest_story(word: str = "tapering ") -> dict[str, Any]:
    """Every field at its maximum length and every list at its maximum count."""
    return {
        "prepared_by": "caregiver",
        "caregiver": {"name": _fill(100, word), "relationship": _fill(60, word), "phone": _fill(40, word)},
        "patient": {"name": _fill(100, word), "age": 80, "pronouns": _fill(40, word)},
        "appointment": {"prescriber_name": _fill(100, word), "clinic": _fill(120, word)},
        "medications": [
            {
                "name": name,
                "dose_mg": 2,
                "times_per_day": 3,
                "taking_since": "2010-01",
                "prescribed_for": _fill(200, word),
            }
            for name in [
                "Xanax",
                "Valium",
                "Ativan",
                "Klonopin",
                "Ambien",
                "Restoril",
                "Halcion",
                "Lunesta",
                "Sonata",
                "Librium",
            ]
        ],
        "reason_prescribed": _fill(1000, word),
        "past_attempts": [
            {
                "when": _fill(60, word),
                "method": "fast_taper",
                "description": _fill(1000, word),
                "outcome": _fill(1000, word),
            }
            for _ in range(10)
        ],
        "experience": _fill(4000, word),
        "symptoms": [_fill(80, word) for _ in range(40)],
        "why_now": _fill(1000, word),
        "goals": {
            "outcome": "reduce",
            "pace": "slow",
            "requests": [_fill(300, word) for _ in range(10)],
            "notes": _fill(1000, word),
            "target_daily_mg": 1,
        },
        "options": {"large_print": True, "include_taper_draft": True},
    }


def main() -> int:
    settings = Settings()
    service = build_service(settings)
    for label, word in [("words", "tapering "), ("one unbroken word", "w")]:
        story = Story.model_validate(longest_story(word))
        packet = service.build(story)
        times: list[float] = []
        for _ in range(3):
            started = time.perf_counter()
            pdf = service.renderer.pdf(packet, story_json(story))
            times.append(time.perf_counter() - started)
        print(
            f"longest story ({label}): median {statistics.median(times):.2f} s, max {max(times):.2f} s "
            f"over 3 renders, {len(pdf) // 1024} KB"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
