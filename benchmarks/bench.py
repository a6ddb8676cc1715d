"""Fixture stories → render-speed figures (warm p50/p95 vs naive WeasyPrint, cold start, RSS, rate) → results.json."""

from __future__ import annotations

import argparse
import gc
import io
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

from benchmarks.chromium import ChromiumPrinter  # noqa: E402
from benchmarks.load import throughput  # noqa: E402
from benchmarks.old_packet import OLD_REF, old_single_packet, old_tree_of  # noqa: E402
from tests.helpers import STORY_NAMES, load_story  # noqa: E402  (the tests' own fixture loader, "@this-month" included)

__all__ = ["main"]

RESULTS = Path(__file__).resolve().parent / "results.json"
COPIES = ["prescriber", "personal", "both"]
"""The documents measured (issue 13's `Copy`): the API's default PDF is `both`."""
STEPS = ["latency", "cold", "rss", "throughput"]


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


def _ways(renderer: Any, chromium: ChromiumPrinter, copy: str) -> dict[str, Callable[[Any, bytes], Any]]:
    """What is timed, per copy: taperprep's own path, naive WeasyPrint of the same HTML, Chromium printing it."""
    from app.packet.copies import Copy

    chosen = Copy(copy)
    stylesheet = renderer.base_url + "packet.css"
    return {
        "naive": lambda packet, data: renderer.pdf_from_scratch(packet, data, chosen),
        "fast": lambda packet, data: renderer.pdf(packet, data, chosen),
        "chromium": lambda packet, _: chromium.pdf(renderer.html(packet, chosen, stylesheet), packet.paper),
    }


def _summary(samples: dict[str, list[float]]) -> dict[str, Any]:
    out: dict[str, Any] = {
        way: {"p50_s": round(statistics.median(v), 4), "p95_s": round(_percentile(v, 0.95), 4)}
        for way, v in samples.items()
    }
    for q in ("p50", "p95"):
        out[f"ratio_{q}"] = round(out["fast"][f"{q}_s"] / out["naive"][f"{q}_s"], 3)
        out[f"chromium_ratio_{q}"] = round(out["fast"][f"{q}_s"] / out["chromium"][f"{q}_s"], 3)
    return out


def warm_latency(reps: int, copies: list[str], old_tree: Path | None) -> dict[str, Any]:
    """Each story and copy `reps` times per way, the ways interleaved so machine noise hits all of them alike; with
    `old_tree`, the single packet of the version before the two documents, timed in a subprocess from that checkout."""
    from pypdf import PdfReader

    old = old_single_packet(old_tree, reps) if old_tree else {}
    renderer, packets = _renderer_and_packets()
    stories: dict[str, Any] = {}
    pooled: dict[str, dict[str, list[float]]] = {copy: {} for copy in copies}
    with ChromiumPrinter() as chromium:
        ways = {copy: _ways(renderer, chromium, copy) for copy in copies}
        for name, packet, story_json in packets:
            stories[name] = {}
            for copy in copies:
                started = time.perf_counter()
                pdf = ways[copy]["fast"](packet, story_json)  # a first render: the first person with this story
                first = time.perf_counter() - started
                for render in ways[copy].values():
                    render(packet, story_json)
                replayed = renderer.replayed_pages
                ways[copy]["fast"](packet, story_json)
                replayed = renderer.replayed_pages - replayed  # pages grafted from the part cache in a warm render
                samples: dict[str, list[float]] = {way: [] for way in ways[copy]}
                for _ in range(reps):
                    for way, render in ways[copy].items():
                        started = time.perf_counter()
                        render(packet, story_json)
                        samples[way].append(time.perf_counter() - started)
                for way, values in samples.items():
                    pooled[copy].setdefault(way, []).extend(values)
                stories[name][copy] = {
                    "pages": len(PdfReader(io.BytesIO(pdf)).pages),
                    "replayed_pages": replayed,
                    "first_render_s": round(first, 4),
                    **_summary(samples),
                }
            if name in old:
                stories[name]["old_single_packet"] = old[name]
    overall: dict[str, Any] = {copy: _summary(pooled[copy]) for copy in copies}
    if old:
        overall["old_single_packet"] = {"p50_s": round(statistics.median(o["p50_s"] for o in old.values()), 4)}
    return {"reps_per_story": reps, "copies": copies, "stories": stories, "all_stories": overall}


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


def _check(value: float, op: str, limit: float, label: str) -> dict[str, Any]:
    return {
        "label": label,
        "value": value,
        "target": f"{op} {limit}",
        "met": value <= limit if op == "<=" else value >= limit,
    }


def _targets(results: dict[str, Any]) -> dict[str, Any]:
    """Issue 16's acceptance figures, each from the steps this run made."""
    out: dict[str, Any] = {}
    if "latency" in results:
        overall = results["latency"]["all_stories"]
        default = "both" if "both" in overall else next(iter(overall))  # the API's default PDF
        versus = "prescriber" if "prescriber" in overall else default
        out["p50_ratio"] = _check(overall[default]["ratio_p50"], "<=", 0.35, f"warm p50, {default}: fast ÷ naive")
        out["p95_ratio"] = _check(overall[default]["ratio_p95"], "<=", 0.5, f"warm p95, {default}: fast ÷ naive")
        out["chromium_ratio"] = _check(
            overall[versus]["chromium_ratio_p50"], "<=", 1.0, f"warm p50, {versus}: fast ÷ headless Chromium"
        )
    if "cold" in results:
        c = results["cold"]
        label = (
            f"cold `taperprep build` {c['taperprep_build']['p50_s']:.2f} s ÷ bare WeasyPrint "
            f"{c['bare_weasyprint']['p50_s']:.2f} s"
        )
        out["cold_ratio"] = _check(c["ratio"], "<=", 1.5, label)
    if "rss" in results:
        r = results["rss"]
        label = f"RSS {r['before_mb']} → {r['after_mb']} MB over {r['renders']} renders (growth, MB)"
        out["rss_growth_mb"] = _check(r["growth_mb"], "<=", 10.0, label)
    if "throughput" in results:
        t = results["throughput"]
        label = f"throughput {t['workers_2']['per_second']:.2f} ÷ {t['workers_1']['per_second']:.2f} packets/s"
        out["throughput_ratio"] = _check(t["ratio"], ">=", 1.8, label + " (2 workers ÷ 1)")
    return out


def _table(results: dict[str, Any]) -> str:
    lines = []
    if "latency" in results:
        latency = results["latency"]
        lines += [
            "| story | copy | pages | naive p50 / p95 (s) | Chromium p50 / p95 (s) | fast p50 / p95 (s) "
            "| fast ÷ naive p50 / p95 | fast ÷ Chromium p50 |",
            "|---|---|---|---|---|---|---|---|",
        ]
        rows = [
            (name, copy, row)
            for name, by_copy in [*latency["stories"].items(), ("**all stories**", latency["all_stories"])]
            for copy, row in by_copy.items()
            if copy != "old_single_packet"
        ]
        for name, copy, row in rows:
            lines.append(
                f"| {name} | {copy} | {row.get('pages', '')} | "
                + " | ".join(
                    f"{row[way]['p50_s']:.3f} / {row[way]['p95_s']:.3f}" for way in ("naive", "chromium", "fast")
                )
                + f" | {row['ratio_p50']:.2f} / {row['ratio_p95']:.2f} | {row['chromium_ratio_p50']:.2f} |"
            )
        old = {name: row["old_single_packet"] for name, row in latency["stories"].items() if "old_single_packet" in row}
        if old:
            lines += [
                "",
                "Before issue 13 (one packet, timed in the same run): p50 "
                + ", ".join(f"{name} {row['p50_s']:.3f} s ({row['pages']} pages)" for name, row in old.items()),
            ]
        lines.append("")
    lines += ["| figure | value | target | met |", "|---|---|---|---|"]
    for check in results["targets"].values():
        lines.append(f"| {check['label']} | {check['value']} | {check['target']} | {'yes' if check['met'] else 'NO'} |")
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
    parser.add_argument("--copies", nargs="+", default=COPIES, choices=COPIES, help="documents to time (default: all)")
    parser.add_argument("--only", nargs="+", choices=STEPS, default=STEPS, help="run only these steps (default: all)")
    parser.add_argument("--output", type=Path, default=RESULTS)
    parser.add_argument("--old-tree", type=Path, help="a checkout of the single-packet version, timed alongside")
    parser.add_argument(
        "--old-ref",
        default=OLD_REF,
        help=f"else this git ref, exported and timed (default {OLD_REF}; '' skips)",
    )
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
    old_tree = old_tree if "latency" in args.only else None
    steps: list[tuple[str, Callable[[], dict[str, Any]]]] = [
        ("latency", lambda: warm_latency(args.reps, args.copies, old_tree)),
        ("cold", lambda: cold(args.cold_reps, args.cold_story)),
        ("rss", lambda: rss(args.renders)),
        ("throughput", lambda: throughput(args.duration, args.concurrency, STORY_NAMES, load_story)),
    ]
    for name, step in [(name, step) for name, step in steps if name in args.only]:
        print(f"bench: {name} …", file=sys.stderr, flush=True)
        results[name] = step()
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
