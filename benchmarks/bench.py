"""Fixture stories → render-speed figures (warm p50/p95 vs naive WeasyPrint, cold start, RSS, rate) → results.json."""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from benchmarks.load import throughput  # noqa: E402
from tests.helpers import STORY_NAMES, load_story  # noqa: E402  (the tests' own fixture loader, "@this-month" included)

__all__ = ["main"]

RESULTS = Path(__file__).resolve().parent / "results.json"
TARGETS = {
    "p50_ratio": 0.5,
    "p50_ratio_stretch": 0.35,
    "p95_ratio": 0.6,
    "cold_ratio": 1.5,
    "rss_growth_mb": 10.0,
    "throughput_ratio": 1.7,
}


def _percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


def _renderer_and_packets() -> tuple[Any, list[tuple[str, Any, bytes]]]:
    from app.settings import get_settings
    from app.story import Story, story_json
    from app.web.render_queue import build_service

    service = build_service(get_settings())
    packets = []
    for name in STORY_NAMES:
        story = Story.model_validate(load_story(name))
        packets.append((name, service.build(story), story_json(story)))
    return service.renderer, packets


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


def warm_latency(reps: int, old_tree: Path | None) -> dict[str, Any]:
    """Each story `reps` times per way, the ways interleaved so machine noise hits all of them alike: each copy on
    its own, both in one PDF, and both laid out naively (fresh fonts and CSS); with `old_tree`, the single packet
    of the version before the two documents, timed in a subprocess from that checkout."""
    from app.packet.copies import Copy

    renderer, packets = _renderer_and_packets()
    ways: dict[str, Callable[[Any, bytes], bytes]] = {
        "naive_both": renderer.pdf_from_scratch,
        "prescriber": lambda packet, data: renderer.pdf(packet, data, Copy.prescriber),
        "personal": lambda packet, data: renderer.pdf(packet, data, Copy.personal),
        "both": renderer.pdf,
    }
    old = old_single_packet(old_tree, reps) if old_tree else {}
    stories: dict[str, Any] = {}
    pooled: dict[str, list[float]] = {way: [] for way in ways}
    for name, packet, story_json in packets:
        for render in ways.values():
            render(packet, story_json)
        pages = {c.value: n for c, n in renderer.page_counts(packet).items()}
        samples: dict[str, list[float]] = {way: [] for way in ways}
        for _ in range(reps):
            for way, render in ways.items():
                started = time.perf_counter()
                render(packet, story_json)
                samples[way].append(time.perf_counter() - started)
        stories[name] = {"pages": pages}
        for way, values in samples.items():
            pooled[way].extend(values)
            stories[name][way] = {
                "p50_s": round(statistics.median(values), 4),
                "p95_s": round(_percentile(values, 0.95), 4),
            }
        if name in old:
            stories[name]["old_single_packet"] = old[name]
    overall = {
        way: {"p50_s": round(statistics.median(v), 4), "p95_s": round(_percentile(v, 0.95), 4)}
        for way, v in pooled.items()
    }
    if old:
        overall["old_single_packet"] = {"p50_s": round(statistics.median(o["p50_s"] for o in old.values()), 4)}
    return {
        "reps_per_story": reps,
        "stories": stories,
        "all_stories": overall,
        "ratio_p50": round(overall["both"]["p50_s"] / overall["naive_both"]["p50_s"], 3),
        "ratio_p95": round(overall["both"]["p95_s"] / overall["naive_both"]["p95_s"], 3),
    }


def _rss_worker(renders: int) -> None:
    """Runs in its own process: RSS after one warm render per story, then after `renders` more renders."""
    renderer, packets = _renderer_and_packets()
    for _, packet, story_json in packets:
        renderer.pdf(packet, story_json)
    gc.collect()
    before = _rss_mb()
    for i in range(renders):
        _, packet, story_json = packets[i % len(packets)]
        renderer.pdf(packet, story_json)
    gc.collect()
    print(
        json.dumps(
            {
                "renders": renders,
                "before_mb": round(before, 1),
                "after_mb": round(_rss_mb(), 1),
                "growth_mb": round(_rss_mb() - before, 1),
            }
        )
    )


def rss(renders: int) -> dict[str, Any]:
    out = subprocess.run(
        [sys.executable, __file__, "--rss-worker", str(renders)], check=True, capture_output=True, text=True, cwd=ROOT
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def cold(reps: int, story_name: str) -> dict[str, Any]:
    """`taperprep build` as a new process against a bare process that imports WeasyPrint and renders one line."""
    taperprep = Path(sys.executable).with_name("taperprep")
    with tempfile.TemporaryDirectory(prefix="taperprep-bench-") as tmp:
        story = Path(tmp) / f"{story_name}.json"
        story.write_text(json.dumps(load_story(story_name)), encoding="utf-8")
        commands = {
            "bare_weasyprint": [
                sys.executable,
                "-c",
                f"from weasyprint import HTML; HTML(string='<p>Hello</p>').write_pdf({str(Path(tmp) / 'bare.pdf')!r})",
            ],
            "taperprep_build": [str(taperprep), "build", str(story), "-o", str(Path(tmp) / "packet.pdf")],
        }
        samples: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(reps):
            for name, command in commands.items():
                started = time.perf_counter()
                subprocess.run(command, check=True, cwd=ROOT, capture_output=True)
                samples[name].append(time.perf_counter() - started)
    result: dict[str, Any] = {"story": story_name, "reps": reps}
    result.update({name: {"p50_s": round(statistics.median(v), 3)} for name, v in samples.items()})
    result["ratio"] = round(result["taperprep_build"]["p50_s"] / result["bare_weasyprint"]["p50_s"], 3)
    return result


def _targets(results: dict[str, Any]) -> dict[str, Any]:
    checks = {
        "p50_ratio": (results["latency"]["ratio_p50"], TARGETS["p50_ratio"]),
        "p95_ratio": (results["latency"]["ratio_p95"], TARGETS["p95_ratio"]),
        "cold_ratio": (results["cold"]["ratio"], TARGETS["cold_ratio"]),
        "rss_growth_mb": (results["rss"]["growth_mb"], TARGETS["rss_growth_mb"]),
    }
    out = {
        name: {"value": value, "target": f"<= {limit}", "met": value <= limit}
        for name, (value, limit) in checks.items()
    }
    out["throughput_ratio"] = {
        "value": results["throughput"]["ratio"],
        "target": f">= {TARGETS['throughput_ratio']}",
        "met": results["throughput"]["ratio"] >= TARGETS["throughput_ratio"],
    }
    out["p50_ratio_stretch"] = {
        "value": results["latency"]["ratio_p50"],
        "target": f"<= {TARGETS['p50_ratio_stretch']}",
        "met": results["latency"]["ratio_p50"] <= TARGETS["p50_ratio_stretch"],
    }
    return out


def _copies_table(latency: dict[str, Any]) -> str:
    lines = [
        "| story | pages (prescriber + personal) | old single packet p50 (s) | prescriber p50 (s) | personal p50 (s) "
        "| both p50 (s) | both, naive p50 (s) |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, row in [*latency["stories"].items(), ("**all stories**", {**latency["all_stories"], "pages": {}})]:
        pages = " + ".join(str(n) for n in row["pages"].values())
        old = row.get("old_single_packet", {}).get("p50_s")
        lines.append(
            f"| {name} | {pages} | {old if old is not None else '—'} | {row['prescriber']['p50_s']:.3f} | "
            f"{row['personal']['p50_s']:.3f} | {row['both']['p50_s']:.3f} | {row['naive_both']['p50_s']:.3f} |"
        )
    return "\n".join(lines)


def _table(results: dict[str, Any]) -> str:
    lines = [_copies_table(results["latency"])]
    c, r, t = results["cold"], results["rss"], results["throughput"]
    lines += ["", "| figure | value | target | met |", "|---|---|---|---|"]
    labels = {
        "p50_ratio": "warm p50, both ÷ naive",
        "p50_ratio_stretch": "warm p50, stretch",
        "p95_ratio": "warm p95, both ÷ naive",
        "cold_ratio": f"cold `taperprep build` {c['taperprep_build']['p50_s']:.2f} s ÷ bare WeasyPrint "
        f"{c['bare_weasyprint']['p50_s']:.2f} s",
        "rss_growth_mb": f"RSS {r['before_mb']} → {r['after_mb']} MB over {r['renders']} renders (growth, MB)",
        "throughput_ratio": f"throughput {t['workers_2']['per_second']:.2f} ÷ {t['workers_1']['per_second']:.2f} "
        "packets/s (2 workers ÷ 1)",
    }
    for name, check in results["targets"].items():
        lines.append(f"| {labels[name]} | {check['value']} | {check['target']} | {'yes' if check['met'] else 'NO'} |")
    return "\n".join(lines)


def _machine() -> dict[str, Any]:
    import weasyprint

    return {
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "weasyprint": weasyprint.__version__,
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench", description=__doc__)
    parser.add_argument("--reps", type=int, default=10, help="warm renders per story and way (default 10)")
    parser.add_argument("--renders", type=int, default=1000, help="renders for the RSS figure (default 1000)")
    parser.add_argument("--duration", type=float, default=60, help="seconds per throughput run (default 60)")
    parser.add_argument("--cold-reps", type=int, default=7, help="process starts per command (default 7)")
    parser.add_argument("--cold-story", default="patient_one_drug", choices=STORY_NAMES)
    parser.add_argument("--concurrency", type=int, default=4, help="requests in flight during throughput runs")
    parser.add_argument("--output", type=Path, default=RESULTS)
    parser.add_argument("--old-tree", type=Path, help="a checkout of the single-packet version, timed alongside")
    parser.add_argument(
        "--old-ref",
        default=OLD_REF,
        help=f"else this git ref, exported and timed (default {OLD_REF}; '' skips)",
    )
    parser.add_argument("--only-latency", action="store_true", help="only the warm figures (skip cold, RSS, load)")
    parser.add_argument("--rss-worker", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.rss_worker is not None:
        _rss_worker(args.rss_worker)
        return 0
    started = time.perf_counter()
    results: dict[str, Any] = {
        "machine": _machine(),
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "args": {k: v for k, v in vars(args).items() if k not in ("output", "rss_worker")},
    }
    exported = tempfile.TemporaryDirectory(prefix="taperprep-old-")
    old_tree = args.old_tree or (old_tree_of(args.old_ref, Path(exported.name)) if args.old_ref else None)
    steps: list[tuple[str, Callable[[], dict[str, Any]]]] = [
        ("latency", lambda: warm_latency(args.reps, old_tree)),
        ("cold", lambda: cold(args.cold_reps, args.cold_story)),
        ("rss", lambda: rss(args.renders)),
        ("throughput", lambda: throughput(args.duration, args.concurrency, STORY_NAMES, load_story)),
    ]
    for name, step in steps[:1] if args.only_latency else steps:
        print(f"bench: {name} …", file=sys.stderr, flush=True)
        results[name] = step()
    if args.only_latency:
        args.output.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
        print(_copies_table(results["latency"]))
        return 0
    results["targets"] = _targets(results)
    results["machine"]["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    results["machine"]["bench_cpu_s"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_utime, 1)
    results["wall_s"] = round(time.perf_counter() - started, 1)
    args.output.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(_table(results))
    print(
        f"\n{args.output.relative_to(ROOT) if args.output.is_relative_to(ROOT) else args.output} written "
        f"in {results['wall_s']} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
