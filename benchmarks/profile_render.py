"""One fixture story → cProfile of warm fast and naive renders, own time summed by pipeline stage, in ms per render."""

from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from tests.helpers import STORY_NAMES, load_story  # noqa: E402

__all__ = ["main"]

# First match wins: a function's own time goes to the stage its file belongs to.
STAGES = [
    ("parse HTML (tinyhtml5)", ("tinyhtml5",)),
    ("cascade (css, cssselect2, tinycss2)", ("weasyprint/css", "cssselect2", "tinycss2")),
    ("boxes (formatting_structure)", ("weasyprint/formatting_structure",)),
    ("text shaping (Pango via text/)", ("weasyprint/text",)),
    ("layout (layout/)", ("weasyprint/layout",)),
    ("draw pages (draw/, pdf/stream)", ("weasyprint/draw", "weasyprint/pdf/stream", "weasyprint/matrix")),
    ("tags + fonts + anchors (pdf/)", ("weasyprint/pdf",)),
    ("serialise + compress (pydyf, zlib)", ("pydyf", "zlib", "compress")),
    ("fontTools / subsetting", ("fontTools",)),
    ("taperprep + Jinja", ("/app/", "jinja2", "markupsafe")),
]


def _stage(filename: str) -> str:
    for stage, needles in STAGES:
        if any(needle in filename for needle in needles):
            return stage
    return "other (cffi, gc, builtins)"


def _profile(render: object, packet: object, story_json: bytes, reps: int) -> dict[str, float]:
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(reps):
        render(packet, story_json)  # type: ignore[operator]
    profiler.disable()
    totals: dict[str, float] = defaultdict(float)
    for (filename, _, name), (_, _, own, _, _) in pstats.Stats(profiler).stats.items():  # type: ignore[attr-defined]
        totals[_stage(f"{filename}:{name}")] += own * 1000 / reps
    return totals


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="profile_render", description=__doc__)
    parser.add_argument("--story", default="patient_one_drug", choices=STORY_NAMES)
    parser.add_argument("--reps", type=int, default=5)
    args = parser.parse_args(argv)

    from app.settings import get_settings
    from app.story import Story, story_json
    from app.web.render_queue import build_service

    service = build_service(get_settings())
    story = Story.model_validate(load_story(args.story))
    packet = service.build(story)
    renderer = service.renderer
    data = story_json(story)
    renderer.pdf(packet, data)
    renderer.pdf_from_scratch(packet, data)
    naive = _profile(renderer.pdf_from_scratch, packet, data, args.reps)
    fast = _profile(renderer.pdf, packet, data, args.reps)
    print(f"{args.story}: own time per render under cProfile (ms; profiling inflates Python-heavy stages)")
    print("| stage | naive | fast | saved |\n|---|---|---|---|")
    for stage in sorted(set(naive) | set(fast), key=lambda s: -naive.get(s, 0)):
        print(
            f"| {stage} | {naive.get(stage, 0):.0f} | {fast.get(stage, 0):.0f} | "
            f"{naive.get(stage, 0) - fast.get(stage, 0):.0f} |"
        )
    print(
        f"| **total** | {sum(naive.values()):.0f} | {sum(fast.values()):.0f} | "
        f"{sum(naive.values()) - sum(fast.values()):.0f} |"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
