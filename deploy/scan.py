"""A local `taperprep serve` → wapiti3's findings; exits 1 on any vulnerability or anomaly (make scan).

The scanner crawls the web form from / (scope: folder) and attacks the JSON API from the app's own OpenAPI schema.
Nothing leaves 127.0.0.1: the out-of-band endpoints wapiti would otherwise call are pointed at the instance itself,
the DNS one is 127.0.0.1, the ssrf module (which needs wapiti's own public endpoint to see a callback) is left out
(the renderer fetches nothing: tests/test_render.py proves it), and crash reports are off.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MODULES = "cookieflags,csp,exec,file,http_headers,permanentxss,redirect,sql,upload,xss,crlf,methods"
"""wapiti 3.2.3's default modules without ssrf and ssl (plain HTTP here: TLS ends at the ingress), plus crlf and
methods. xxe and ssrf learn what they found from wapiti's own public server: traffic off this machine."""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_until_up(url: str, server: subprocess.Popen[bytes], timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit("scan: the server stopped before it answered")
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise SystemExit("scan: the server did not answer /healthz")


def _count(findings: dict[str, list[object]]) -> dict[str, int]:
    return {category: len(items) for category, items in findings.items() if items}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wapiti", default="wapiti", help="the wapiti command (make scan: .venv-scan/bin/wapiti)")
    parser.add_argument("--max-scan-time", type=int, default=600, help="seconds for the whole scan")
    parser.add_argument("--max-attack-time", type=int, default=60, help="seconds for each attack module")
    args = parser.parse_args(argv)

    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    env = {k: v for k, v in os.environ.items() if not k.startswith("TAPERPREP_")}
    with tempfile.TemporaryDirectory(prefix="taperprep-scan-") as work:
        server = subprocess.Popen(
            [sys.executable, "-m", "app.cli", "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", "2"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            _wait_until_up(url, server)
            report = Path(work) / "report.json"
            started = time.monotonic()
            command = [
                args.wapiti,
                "--url",
                f"{url}/",
                "--scope",
                "folder",
                "--swagger",
                f"{url}/openapi.json",
                "--module",
                MODULES,
                "--external-endpoint",
                f"{url}/",
                "--internal-endpoint",
                f"{url}/",
                "--dns-endpoint",
                "127.0.0.1",
                "--max-scan-time",
                str(args.max_scan_time),
                "--max-attack-time",
                str(args.max_attack_time),
                "--flush-session",
                "--store-session",
                str(Path(work) / "session"),
                "--store-config",
                str(Path(work) / "config"),
                "--no-bugreport",
                "--verbose",
                "0",
                "--format",
                "json",
                "--output",
                str(report),
            ]
            print("scan: " + " ".join(command), flush=True)
            finished = subprocess.run(command, check=False)
            elapsed = time.monotonic() - started
        finally:
            server.terminate()
            server.wait(timeout=60)
        if finished.returncode != 0 or not report.exists():
            print(f"scan: wapiti failed (exit {finished.returncode})", file=sys.stderr)
            return 1
        results = json.loads(report.read_text(encoding="utf-8"))

    vulnerabilities = _count(results.get("vulnerabilities", {}))
    anomalies = _count(results.get("anomalies", {}))
    crawled = results.get("infos", {}).get("crawled_pages_nbr", "?")
    print(f"scan: {elapsed:.0f} s, {crawled} pages crawled, modules {MODULES}")
    print(f"scan: vulnerabilities {sum(vulnerabilities.values())} {vulnerabilities or ''}")
    print(f"scan: anomalies {sum(anomalies.values())} {anomalies or ''}")
    print(f"scan: informational findings (not failures) {_count(results.get('additionals', {})) or 0}")
    for kind in ("vulnerabilities", "anomalies"):
        for category, items in results.get(kind, {}).items():
            for item in items:
                print(f"  {kind[:-1]}: {category}: {item.get('method')} {item.get('path')} {item.get('info')}")
    return 1 if vulnerabilities or anomalies else 0


if __name__ == "__main__":
    sys.exit(main())
