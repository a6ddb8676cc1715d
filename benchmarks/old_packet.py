"""A checkout of the single-packet version (before issue 13) → its warm render time per fixture story, timed in a
subprocess on the same machine and in the same run as today's documents."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

__all__ = ["OLD_REF", "old_single_packet", "old_tree_of"]

ROOT = Path(__file__).resolve().parent.parent

OLD_WORKER = """
import json, statistics, sys, time
sys.path[:0] = [sys.argv[1], sys.argv[1] + "/tests"]
from tests.helpers import STORY_NAMES, load_story
from app.library.check import load_checked
from app.packet.build import build_packet
from app.render.renderer import Renderer
from app.settings import get_settings
from app.story import Story, story_json
settings = get_settings()
library = load_checked(settings.pack_folders())
renderer = Renderer(settings.templates_dir)
out = {}
for name in STORY_NAMES:
    story = Story.model_validate(load_story(name))
    packet, data = build_packet(story, library), story_json(story)
    renderer.pdf(packet, data)
    samples = []
    for _ in range(int(sys.argv[2])):
        started = time.perf_counter()
        renderer.pdf(packet, data)
        samples.append(time.perf_counter() - started)
    out[name] = {"pages": len(renderer.layout(packet).pages), "p50_s": round(statistics.median(samples), 4)}
print(json.dumps(out))
"""
"""Runs inside a checkout of the single-packet version (before issue 13), so both are timed on the same machine."""


OLD_REF = "e8d9d6e"
"""main just before issue 13 landed: the last version printing one packet (issue 12's Citation, 14's taper page)."""


def old_tree_of(ref: str, into: Path) -> Path | None:
    """`ref`'s files exported (git archive, no checkout touched) into `into`; None when git cannot (no repository)."""
    archive = subprocess.run(["git", "archive", ref], cwd=ROOT, capture_output=True, check=False)
    if archive.returncode != 0:
        print(f"bench: no old single packet to compare ({archive.stderr.decode().strip()})", file=sys.stderr)
        return None
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive.stdout, check=True)
    return into


def old_single_packet(tree: Path, reps: int) -> dict[str, Any]:
    out = subprocess.run(
        [sys.executable, "-c", OLD_WORKER, str(tree), str(reps)], check=True, capture_output=True, text=True, cwd=tree
    ).stdout
    return dict(json.loads(out.strip().splitlines()[-1]))
