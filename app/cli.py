"""Command line → `taperprep serve | build | packs check`; each imports only what it needs, so `build` starts fast."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

__all__ = ["BUILD_GC_THRESHOLDS", "KEEP_ALIVE_SECONDS", "MAX_REQUESTS", "SHUTDOWN_MARGIN_SECONDS", "main"]

SHUTDOWN_MARGIN_SECONDS = 5
"""At SIGTERM a worker waits for its requests this long past the render time limit, then cancels what is left."""
KEEP_ALIVE_SECONDS = 15
"""How long a worker keeps an idle connection open: well past the Retry-After of a busy 503 (5 s,
web/render_queue.RETRY_AFTER_SECONDS), so a client that waits as told does not send its retry just as the connection
closes (uvicorn's default of 5 s met it exactly)."""
MAX_REQUESTS = 300
"""A worker holds ≈125 MB after its warm-up and WeasyPrint's layout keeps ≈60-100 KB per packet (README "Memory"), so
recycling after about 300 requests (±10%) keeps each worker within ≈25% of its warm-up size even if every request
were a PDF; replacing one costs a few seconds of one core while the others serve."""
BUILD_GC_THRESHOLDS = (100_000, 20, 100)
"""A build is one short process: Python's cyclic GC runs far less often while it imports and renders (see
app/render/collector.py for what that buys a render)."""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="taperprep", description="Prepare for a benzodiazepine tapering conversation."
    )
    commands = parser.add_subparsers(dest="command", required=True)

    serve = commands.add_parser("serve", help="run the web app")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8000, help="port to listen on (default 8000)")
    serve.add_argument(
        "--workers",
        type=int,
        default=os.cpu_count() or 1,
        help="worker processes, each rendering one packet at a time (default: one per core, here %(default)s)",
    )
    serve.add_argument(
        "--max-requests",
        type=int,
        default=MAX_REQUESTS,
        metavar="N",
        help="replace a worker after about N requests (±10%%), handing back the memory renders leave behind; "
        "0: never (default %(default)s)",
    )

    build = commands.add_parser("build", help="turn a story JSON file into a packet")
    build.add_argument("story", type=Path, help="the story, as v1 JSON")
    build.add_argument("-o", "--output", type=Path, required=True, help="where to write the packet")
    build.add_argument("--paper", choices=["letter", "a4"], help="paper size (overrides the story's options)")
    build.add_argument("--language", choices=["en", "es"], help="language (overrides the story's options)")
    build.add_argument("--html", action="store_true", help="write the HTML packet instead of a PDF")
    build.add_argument(
        "--copy",
        choices=["prescriber", "personal", "both"],
        default="both",
        help="the prescriber copy, the personal booklet, or both in one PDF (default both)",
    )

    packs = commands.add_parser("packs", help="resource packs")
    packs_commands = packs.add_subparsers(dest="packs_command", required=True)
    check = packs_commands.add_parser(
        "check", help="lint resource packs: the shipped ones and the extra folder, plus any folders named"
    )
    check.add_argument(
        "folders",
        type=Path,
        nargs="*",
        help="more folders of packs, checked together with the shipped ones so id clashes show",
    )
    return parser


def _serve(args: argparse.Namespace) -> int:
    """uvicorn's own supervisor runs the workers, even just one: it replaces a worker that dies (or that reached
    --max-requests), and at SIGTERM or SIGINT each worker stops accepting, finishes the requests it holds (a render
    ends within the render time limit) and exits; then the supervisor exits 0, or 3 if a worker could not start."""
    import math

    import uvicorn
    from uvicorn.config import STARTUP_FAILURE
    from uvicorn.supervisors import Multiprocess

    from app.errors import CatalogueError, PackError
    from app.library.check import load_checked
    from app.library.products import products
    from app.settings import get_settings
    from app.web.connection import Connection
    from app.web.middleware.access_log import LOG_CONFIG

    class Supervisor(Multiprocess):
        """Also closes its own copy of the listening socket when told to stop, so new connections are refused at
        once instead of waiting in the backlog of a server that is going away."""

        def handle_term(self) -> None:
            self.stop_listening()
            super().handle_term()

        def handle_int(self) -> None:
            self.stop_listening()
            super().handle_int()

        def stop_listening(self) -> None:
            for sock in self.sockets:
                sock.close()

    try:
        load_checked(get_settings().pack_folders())
        products()
    except (PackError, CatalogueError) as exc:
        print(f"taperprep: {exc}", file=sys.stderr)
        return 2
    # Our access log (method, path, status, time) goes to stderr; uvicorn's own stays off.
    config = uvicorn.Config(
        "app.main:app",
        host=args.host,
        port=args.port,
        workers=args.workers,
        http=Connection,
        access_log=False,
        log_config=LOG_CONFIG,
        timeout_keep_alive=KEEP_ALIVE_SECONDS,
        timeout_graceful_shutdown=math.ceil(get_settings().render_timeout_seconds) + SHUTDOWN_MARGIN_SECONDS,
        limit_max_requests=args.max_requests or None,
        limit_max_requests_jitter=args.max_requests // 10,
    )
    supervisor = Supervisor(config, sockets=[config.bind_socket()])
    supervisor.run()
    return STARTUP_FAILURE if any(p.exitcode == STARTUP_FAILURE for p in supervisor.processes) else 0


def _build(args: argparse.Namespace) -> int:
    import gc

    gc.set_threshold(*BUILD_GC_THRESHOLDS)
    from pydantic import ValidationError

    from app.errors import TaperprepError
    from app.packet.copies import Copy
    from app.packet.medicines import identify_medicines
    from app.settings import get_settings
    from app.story import Story, story_json
    from app.web.render_queue import build_service

    try:
        raw = json.loads(args.story.read_text(encoding="utf-8"))
        if args.paper and isinstance(raw, dict):
            raw.setdefault("options", {})["paper"] = args.paper
        if args.language and isinstance(raw, dict):
            raw.setdefault("options", {})["language"] = args.language
        story = Story.model_validate(raw)
        identify_medicines(story)
    except OSError as exc:
        print(f"taperprep: cannot read {args.story}: {exc.strerror}", file=sys.stderr)
        return 2
    except json.JSONDecodeError as exc:
        print(f"taperprep: {args.story} is not valid JSON (line {exc.lineno}, column {exc.colno})", file=sys.stderr)
        return 2
    except ValidationError as exc:
        print(f"taperprep: {args.story} does not fit the story contract:", file=sys.stderr)
        for error in exc.errors():
            field = ".".join(str(p) for p in error["loc"]) or "(whole story)"
            print(f"  {field}: {error['msg']}", file=sys.stderr)
        return 2
    try:
        service = build_service(get_settings(), replay_parts=False)
        packet = service.build(story)
    except TaperprepError as exc:
        print(f"taperprep: {exc}", file=sys.stderr)
        return 2
    copy = Copy(args.copy)
    if args.html:
        args.output.write_text(service.renderer.html(packet, copy), encoding="utf-8")
    else:
        args.output.write_bytes(service.renderer.pdf(packet, story_json(story), copy))
    return 0


def _packs_check(args: argparse.Namespace) -> int:
    from app.library.check import check_folders, format_problems
    from app.library.content import load_content
    from app.settings import get_settings

    shipped = get_settings().pack_folders()
    folders = list(dict.fromkeys([*shipped, *args.folders]))
    problems = check_folders(folders, frozenset(load_content().cited()))
    print(format_problems(problems))
    return 1 if problems else 0


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "serve":
        return _serve(args)
    if args.command == "build":
        return _build(args)
    return _packs_check(args)


if __name__ == "__main__":
    sys.exit(main())
