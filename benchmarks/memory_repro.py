"""Plain WeasyPrint, no taperprep: the same small HTML rendered N times in one process → RSS after each batch.

The smallest reproduction of the memory a long-running renderer keeps (README "Memory"). Run it as
`python benchmarks/memory_repro.py --mode layout --renders 600` (add `--html packet.html --css
templates/assets/packet.css` to lay out a real packet, written by `taperprep build --html`);
each mode isolates one step:

- `layout`: `HTML(string=…).render(font_config=shared)` only (parse, cascade, Pango layout);
- `pdf`: the same, then `Document.write_pdf()` (drawing, HarfBuzz subsetting, serialising);
- `fresh-fonts`: `layout` with a new FontConfiguration each time (a fresh Pango font map per render);
"""

from __future__ import annotations

import argparse
import gc
import json
import sys
from pathlib import Path

from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration

__all__ = ["main"]

WORDS = [
    "Tapering",
    "slowly",
    "with",
    "a",
    "prescriber",
    "who",
    "listens",
    "makes",
    "a",
    "plan",
    "that",
    "fits",
    "the",
    "person",
    "and",
    "their",
    "life",
]
FONT = Path(__file__).resolve().parent.parent / "templates" / "assets" / "fonts" / "NotoSans-Regular.ttf"
FONT_FACE = f"@font-face {{ font-family: Bundled; src: url({FONT.as_uri()}) }} body {{ font-family: Bundled }}"


def html_source(font_face: bool) -> str:
    return (
        "<!DOCTYPE html><html lang=en><head><title>repro</title>"
        "<style>@page { size: A4 } body { font: 10pt sans-serif }"
        + (FONT_FACE if font_face else "")
        + "</style></head><body>"
        + "".join(f"<h2>Section {i}</h2><p>{' '.join(WORDS[i % 5 :] * 6)}</p>" for i in range(60))
        + "<table>"
        + "".join(f"<tr><td>Week {i}</td><td>{i * 0.25:.2f} mg</td></tr>" for i in range(40))
        + "</table></body></html>"
    )


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--mode", choices=["layout", "pdf", "fresh-fonts"], default="layout")
    parser.add_argument("--font-face", action="store_true", help="draw with a bundled font loaded by @font-face")
    parser.add_argument("--html", type=Path, help="lay out this file instead (e.g. `taperprep build --html` output)")
    parser.add_argument("--css", type=Path, help="with --html: its stylesheet (e.g. templates/assets/packet.css)")
    parser.add_argument("--renders", type=int, default=600)
    parser.add_argument("--batch", type=int, default=100)
    args = parser.parse_args(argv)

    shared = FontConfiguration()
    source = args.html.read_text(encoding="utf-8") if args.html else html_source(args.font_face)
    base_url = args.css.resolve().parent.as_uri() + "/" if args.css else None
    stylesheets = [CSS(filename=str(args.css), base_url=base_url, font_config=shared)] if args.css else []

    def once() -> None:
        font_config = FontConfiguration() if args.mode == "fresh-fonts" else shared
        document = HTML(string=source, base_url=base_url).render(stylesheets=stylesheets, font_config=font_config)
        if args.mode == "pdf":
            document.write_pdf()

    for _ in range(10):  # warm-up: caches filled, fonts loaded
        once()
    gc.collect()
    start = rss_mb()
    batches = []
    for done in range(args.batch, args.renders + 1, args.batch):
        for _ in range(args.batch):
            once()
        gc.collect()
        batches.append({"renders": done, "rss_mb": round(rss_mb(), 1)})
    growth = batches[-1]["rss_mb"] - start
    print(
        json.dumps(
            {
                "mode": args.mode,
                "font_face": args.font_face,
                "pages": len(
                    HTML(string=source, base_url=base_url).render(stylesheets=stylesheets, font_config=shared).pages
                ),
                "after_warm_up_mb": round(start, 1),
                "batches": batches,
                "growth_mb": round(growth, 1),
                "kb_per_render": round(growth * 1024 / args.renders, 1),
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
