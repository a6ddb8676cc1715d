"""A bounded loopback soak → requests, statuses, p50/p95 latency and server RSS after warm-up and at peak (make soak).

Starts a real `taperprep serve` on 127.0.0.1, runs N client threads for S seconds with mixed traffic (valid PDFs and
previews, contract errors, malformed and oversized bodies, slow chunked uploads), then stops the server. Traffic goes
to 127.0.0.1 only. Exits non-zero if any response was an unexpected server error (≥ 500, other than the designed
"busy" 503 that carries Retry-After) or a request failed outright, or if the server's total RSS (supervisor and
workers, sampled every 2 s) ever rose more than --rss-tolerance above its value after --warm-up seconds of load.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx2

ROOT = Path(__file__).resolve().parent.parent
STORIES = [
    json.loads(p.read_text(encoding="utf-8").replace("@this-month", time.strftime("%Y-%m")))
    for p in sorted((ROOT / "tests" / "fixtures").glob("*.json"))
]


@dataclass
class Tally:
    lock: threading.Lock = field(default_factory=threading.Lock)
    statuses: Counter[str] = field(default_factory=Counter)
    latencies: list[float] = field(default_factory=list)
    unexpected: Counter[str] = field(default_factory=Counter)

    def add(self, kind: str, status: int | str, seconds: float, busy: bool = False) -> None:
        with self.lock:
            self.statuses[str(status)] += 1
            self.latencies.append(seconds)
            if isinstance(status, str) or (status >= 500 and not busy):
                self.unexpected[f"{kind}:{status}"] += 1


def _story(rng: random.Random) -> dict[str, object]:
    return json.loads(json.dumps(rng.choice(STORIES)))


def _slow_chunks(body: bytes, pieces: int, pause: float) -> Iterator[bytes]:
    step = max(1, len(body) // pieces)
    for start in range(0, len(body), step):
        yield body[start : start + step]
        time.sleep(pause)


def _one(client: httpx2.Client, rng: random.Random) -> tuple[str, httpx2.Response]:
    """One request of a weighted random kind, with the kind's name for the report."""
    kind = rng.choices(
        ["pdf", "html", "invalid", "malformed", "oversized", "slow_upload", "read"], weights=[35, 20, 15, 5, 5, 10, 10]
    )[0]
    url = "/api/v1/packets"
    if kind == "pdf":
        return kind, client.post(url, json=_story(rng))
    if kind == "html":
        return kind, client.post(url + "?format=html", json=_story(rng))
    if kind == "invalid":
        story = _story(rng)
        story["medications"] = [{"name": "", "dose_mg": -1, "times_per_day": 99, "taking_since": "1800"}]
        return kind, client.post(url, json=story)
    if kind == "malformed":
        return kind, client.post(
            url, content=b'{"prepared_by": "patient", "medications": [', headers={"content-type": "application/json"}
        )
    if kind == "oversized":
        return kind, client.post(url, content=b" " * (300 * 1024), headers={"content-type": "application/json"})
    if kind == "slow_upload":
        body = json.dumps(_story(rng)).encode()
        return kind, client.post(
            url + "?format=html", content=_slow_chunks(body, 4, 0.4), headers={"content-type": "application/json"}
        )
    return kind, client.get(rng.choice(["/healthz", "/api/v1/packs", "/"]))


def _client(base: str, deadline: float, seed: int, tally: Tally) -> None:
    rng = random.Random(seed)
    with httpx2.Client(base_url=base, timeout=120) as client:
        while time.monotonic() < deadline:
            started = time.perf_counter()
            kind = "?"
            try:
                kind, response = _one(client, rng)
            except httpx2.HTTPError as exc:
                tally.add(kind, type(exc).__name__, time.perf_counter() - started)
                continue
            busy = response.status_code == 503 and "retry-after" in response.headers
            tally.add(kind, response.status_code, time.perf_counter() - started, busy)
            time.sleep(int(response.headers["retry-after"]) if busy else rng.uniform(0.2, 1.5))


def _rss_kib(pid: int) -> int:
    """Resident memory of the server and its worker processes."""
    total = 0
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            text = status.read_text()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in text.splitlines() if ":" in line)
        if int(status.parent.name) == pid or int(fields.get("PPid", "0")) == pid:
            total += int(fields.get("VmRSS", "0 kB").split()[0])
    return total


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _start_server(port: int, workers: int, max_requests: int | None) -> subprocess.Popen[bytes]:
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "app.cli",
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            str(workers),
            *(["--max-requests", str(max_requests)] if max_requests is not None else []),
        ],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={k: v for k, v in os.environ.items() if not k.startswith("TAPERPREP_")},
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if httpx2.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code == 200:
                return server
        except httpx2.HTTPError:
            time.sleep(0.3)
    server.terminate()
    raise SystemExit("the server did not start")


def _percentile(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100)[q - 1] if len(values) > 1 else (values[0] if values else 0.0)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=180.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=8)
    parser.add_argument("--max-requests", type=int, help="the server's --max-requests (default: serve's own)")
    parser.add_argument("--warm-up", type=float, default=30.0, help="seconds of load before the RSS baseline")
    parser.add_argument("--rss-tolerance", type=float, default=0.25, help="largest RSS rise over the baseline")
    args = parser.parse_args(argv)

    port = _free_port()
    server = _start_server(port, args.workers, args.max_requests)
    try:
        time.sleep(2)
        rss_start = _rss_kib(server.pid)
        tally = Tally()
        deadline = time.monotonic() + args.seconds
        threads = [
            threading.Thread(target=_client, args=(f"http://127.0.0.1:{port}", deadline, args.seed + i, tally))
            for i in range(args.clients)
        ]
        for thread in threads:
            thread.start()
        time.sleep(min(args.warm_up, args.seconds / 2))
        rss_warm = _rss_kib(server.pid)
        rss_peak = rss_warm
        while any(thread.is_alive() for thread in threads):
            time.sleep(2)
            rss_peak = max(rss_peak, _rss_kib(server.pid))
        rss_end = _rss_kib(server.pid)
    finally:
        server.terminate()
        server.wait(timeout=30)

    total = sum(tally.statuses.values())
    print(f"soak: {args.clients} clients, {args.seconds:g} s, {args.workers} workers, 127.0.0.1:{port}")
    print(f"requests: {total}")
    print("by status: " + ", ".join(f"{status}={count}" for status, count in sorted(tally.statuses.items())))
    unexpected_503 = sum(v for k, v in tally.unexpected.items() if k.endswith(":503"))
    print(f"busy 503 with Retry-After (by design): {tally.statuses['503'] - unexpected_503}")
    print(f"unexpected server errors or failed requests: {sum(tally.unexpected.values())} {dict(tally.unexpected)}")
    p50, p95 = (_percentile(tally.latencies, q) * 1000 for q in (50, 95))
    print(f"latency p50: {p50:.0f} ms, p95: {p95:.0f} ms")
    print(
        f"server RSS (supervisor and workers): start {rss_start / 1024:.0f} MiB, "
        f"after warm-up {rss_warm / 1024:.0f} MiB, "
        f"peak {rss_peak / 1024:.0f} MiB, end {rss_end / 1024:.0f} MiB; "
        f"peak ÷ after warm-up {rss_peak / rss_warm:.2f} (limit {1 + args.rss_tolerance:.2f})"
    )
    return 1 if tally.unexpected or rss_peak > rss_warm * (1 + args.rss_tolerance) else 0


if __name__ == "__main__":
    sys.exit(main())
