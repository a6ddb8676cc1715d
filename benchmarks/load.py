"""`taperprep serve --workers N` on 127.0.0.1 + a bounded, niced client process → completed packets per second."""

from __future__ import annotations

import http.client
import json
import os
import resource
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

__all__ = ["throughput"]

ROOT = Path(__file__).resolve().parent.parent
CLIENT_NICENESS = 10


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _post(port: int, body: bytes) -> int:
    """One packet over a fresh connection, so each request goes to whichever worker accepts it first."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        connection.request("POST", "/api/v1/packets", body, {"content-type": "application/json", "connection": "close"})
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


def _drive(port: int, bodies: list[bytes], duration: float, concurrency: int) -> dict[str, Any]:
    """`concurrency` threads post the stories in turn until `duration` has passed; only finished requests count."""
    deadline = time.perf_counter() + duration
    counts = {"ok": 0, "failed": 0}
    lock = threading.Lock()

    def worker(offset: int) -> None:
        i = offset
        while time.perf_counter() < deadline:
            status = _post(port, bodies[i % len(bodies)])
            with lock:
                counts["ok" if status == 200 else "failed"] += 1
            i += 1

    started = time.perf_counter()
    threads = [threading.Thread(target=worker, args=(n,)) for n in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return {
        **counts,
        "elapsed_s": round(elapsed, 2),
        "per_second": round(counts["ok"] / elapsed, 3),
        "client_cpu_s": round(usage.ru_utime + usage.ru_stime, 2),
    }


def _client_main() -> None:
    """Runs as `python load.py PORT DURATION CONCURRENCY WARMUP_THREADS` at lower priority, bodies on stdin."""
    os.nice(CLIENT_NICENESS)
    port, duration, concurrency, warmup = int(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    bodies = [body.encode() for body in json.loads(sys.stdin.read())]
    warm = [threading.Thread(target=lambda: [_post(port, body) for body in bodies]) for _ in range(warmup)]
    for thread in warm:  # in parallel, so every worker lays out its parts for the stories before the clock starts
        thread.start()
    for thread in warm:
        thread.join()
    print(json.dumps(_drive(port, bodies, duration, concurrency)))


def _wait_until_ready(port: int, server: subprocess.Popen[bytes], timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError("taperprep serve exited before it was ready")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                connection.close()
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("taperprep serve did not answer /healthz")


def _run(workers: int, duration: float, concurrency: int, bodies: list[str]) -> dict[str, Any]:
    port = _free_port()
    taperprep = Path(sys.executable).with_name("taperprep")
    server = subprocess.Popen(
        [str(taperprep), "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers)],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        _wait_until_ready(port, server)
        client = subprocess.run(
            [sys.executable, __file__, str(port), str(duration), str(concurrency), str(2 * workers)],
            input=json.dumps(bodies),
            capture_output=True,
            text=True,
            check=True,
        )
        return {"workers": workers, "concurrency": concurrency, **json.loads(client.stdout.strip().splitlines()[-1])}
    finally:
        os.killpg(server.pid, signal.SIGTERM)  # the server and the worker processes it started, nothing else
        server.wait(timeout=30)


def throughput(
    duration: float, concurrency: int, names: list[str], load_story: Callable[[str], dict[str, Any]]
) -> dict[str, Any]:
    bodies = [json.dumps(load_story(name)) for name in names]
    one = _run(1, duration, concurrency, bodies)
    two = _run(2, duration, concurrency, bodies)
    return {
        "duration_s": duration,
        "workers_1": one,
        "workers_2": two,
        "ratio": round(two["per_second"] / one["per_second"], 3) if one["per_second"] else 0.0,
    }


if __name__ == "__main__":
    _client_main()
