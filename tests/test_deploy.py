"""deploy/: the Kubernetes manifests (probes, security, resources sized from `make bench`), image and README agree."""

from __future__ import annotations

import json
import math
import re
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest
import yaml

from app.settings import ROOT, Settings

KUBERNETES = ROOT / "deploy" / "kubernetes"
README = (ROOT / "README.md").read_text(encoding="utf-8")
BENCH = json.loads((ROOT / "benchmarks" / "results.json").read_text(encoding="utf-8"))
SUPERVISOR_MB = 64
"""The supervisor process and multiprocessing's resource tracker (≈40 MB RSS together, measured with --workers 2)."""


def _manifests() -> dict[str, dict[str, Any]]:
    found = {}
    for path in sorted(KUBERNETES.glob("*.yaml")):
        for document in yaml.safe_load_all(path.read_text(encoding="utf-8")):
            found[document["kind"]] = document
    return found


MANIFESTS = _manifests()
POD = MANIFESTS["Deployment"]["spec"]["template"]["spec"]
CONTAINER = POD["containers"][0]
ENV = {item["name"]: item["value"] for item in CONTAINER["env"]}


def _quantity(value: str) -> float:
    """A Kubernetes quantity in cores or MiB."""
    units = {"m": 1 / 1000, "Mi": 1, "Gi": 1024, "": 1}
    number, unit = re.fullmatch(r"([0-9.]+)([A-Za-z]*)", str(value)).groups()  # type: ignore[union-attr]
    return float(number) * units[unit]


def test_the_four_objects_select_the_same_pods() -> None:
    assert set(MANIFESTS) == {"Deployment", "Service", "HorizontalPodAutoscaler", "PodDisruptionBudget"}
    labels = MANIFESTS["Deployment"]["spec"]["template"]["metadata"]["labels"]
    assert MANIFESTS["Deployment"]["spec"]["selector"]["matchLabels"].items() <= labels.items()
    assert MANIFESTS["Service"]["spec"]["selector"].items() <= labels.items()
    assert MANIFESTS["PodDisruptionBudget"]["spec"]["selector"]["matchLabels"].items() <= labels.items()
    assert (
        MANIFESTS["HorizontalPodAutoscaler"]["spec"]["scaleTargetRef"]["name"]
        == MANIFESTS["Deployment"]["metadata"]["name"]
    )


def test_security_context_non_root_read_only_no_privileges() -> None:
    pod, container = POD["securityContext"], CONTAINER["securityContext"]
    assert pod["runAsNonRoot"] is True and pod["runAsUser"] != 0
    assert container["readOnlyRootFilesystem"] is True
    assert container["allowPrivilegeEscalation"] is False
    assert container["capabilities"]["drop"] == ["ALL"] and "add" not in container["capabilities"]
    assert POD["automountServiceAccountToken"] is False
    # Service links would put TAPERPREP_PORT=tcp://… and friends (named after the Service) among our settings.
    assert POD["enableServiceLinks"] is False


def test_only_the_temporary_folder_is_writable() -> None:
    mounts = {m["mountPath"]: m["name"] for m in CONTAINER["volumeMounts"]}
    assert mounts == {ENV["TMPDIR"]: "tmp"}
    (volume,) = POD["volumes"]
    assert volume["name"] == "tmp" and "emptyDir" in volume


def test_the_image_runs_as_the_same_user_with_the_same_temporary_folder() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    assert f"USER {POD['securityContext']['runAsUser']}\n" in dockerfile
    assert f"TMPDIR={ENV['TMPDIR']} " in dockerfile
    assert "ARG BASE=python:3.11-slim-bookworm\n" in dockerfile


def test_probes_ask_healthz_on_the_served_port() -> None:
    port_names = {p["name"] for p in CONTAINER["ports"]}
    for probe in ("startupProbe", "readinessProbe", "livenessProbe"):
        check = CONTAINER[probe]["httpGet"]
        assert check["path"] == "/healthz" and check["port"] in port_names, probe
    # Liveness gives up later than readiness: a worker busy rendering is taken out of rotation, not restarted.
    liveness, readiness = CONTAINER["livenessProbe"], CONTAINER["readinessProbe"]
    assert (
        liveness["periodSeconds"] * liveness["failureThreshold"]
        > readiness["periodSeconds"] * readiness["failureThreshold"]
    )


def test_grace_period_outlasts_the_render_time_limit_and_the_drain() -> None:
    from app.cli import SHUTDOWN_MARGIN_SECONDS

    render_limit = float(ENV.get("TAPERPREP_RENDER_TIMEOUT_SECONDS", Settings().render_timeout_seconds))
    pre_stop = int(CONTAINER["lifecycle"]["preStop"]["exec"]["command"][-1])
    drain = math.ceil(render_limit) + SHUTDOWN_MARGIN_SECONDS
    assert POD["terminationGracePeriodSeconds"] > pre_stop + drain


def test_resources_are_sized_from_the_bench_per_worker_figures() -> None:
    workers = int(ENV["WORKERS"])
    requests, limits = CONTAINER["resources"]["requests"], CONTAINER["resources"]["limits"]
    # One render at a time per worker, each on its own core (throughput ×1.83 with 2 workers on 2 cores).
    assert _quantity(requests["cpu"]) == workers == _quantity(limits["cpu"])
    # Memory: each worker after its warm-up plus the growth of MAX_REQUESTS renders (+10% jitter) before it is
    # recycled, and the supervisor; the limit leaves room above the request.
    rss = BENCH["rss"]
    growth_per_render = rss["growth_mb"] / rss["renders"]
    worker_mb = rss["before_mb"] + growth_per_render * int(ENV["MAX_REQUESTS"]) * 1.1
    needed_mib = (workers * worker_mb + SUPERVISOR_MB) * 1e6 / 2**20
    assert needed_mib <= _quantity(requests["memory"]) < _quantity(limits["memory"])
    assert _quantity(limits["memory"]) <= 1.5 * _quantity(requests["memory"])


def test_autoscaling_on_cpu_and_disruption_budget() -> None:
    hpa = MANIFESTS["HorizontalPodAutoscaler"]["spec"]
    (metric,) = hpa["metrics"]
    assert metric["resource"]["name"] == "cpu" and 0 < metric["resource"]["target"]["averageUtilization"] <= 80
    assert 2 <= hpa["minReplicas"] < hpa["maxReplicas"]
    pdb = MANIFESTS["PodDisruptionBudget"]["spec"]
    assert pdb["maxUnavailable"] == 1 < hpa["minReplicas"]
    rolling = MANIFESTS["Deployment"]["spec"]["strategy"]["rollingUpdate"]
    assert rolling["maxUnavailable"] == 0


def test_manifests_pass_kubernetes_validate_strict_for_the_readme_version() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    version = re.search(r"^KUBERNETES_VERSION := (\S+)$", makefile, re.M).group(1)  # type: ignore[union-attr]
    assert f"Kubernetes {version.rsplit('.', 1)[0]}" in README
    result = subprocess.run(
        [
            Path(sys.executable).with_name("kubernetes-validate"),
            "--strict",
            "--kubernetes-version",
            version,
            *sorted(map(str, KUBERNETES.glob("*.yaml"))),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.count("passed") == len(list(KUBERNETES.glob("*.yaml")))


def test_strict_validation_catches_a_misspelt_field(tmp_path: Path) -> None:
    broken = tmp_path / "deployment.yaml"
    broken.write_text(
        (KUBERNETES / "deployment.yaml").read_text().replace("readOnlyRootFilesystem", "readOnlyRootFileSystem")
    )
    result = subprocess.run(
        [Path(sys.executable).with_name("kubernetes-validate"), "--strict", str(broken)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0


def _deploy_commands() -> list[str]:
    section = README.split("### One container\n", 1)[1].split("\n### ", 1)[0]
    blocks = re.findall(r"```sh\n(.*?)```", section, re.S)
    text = "\n".join(blocks).replace("\\\n", " ")
    return [
        " ".join(line.split())
        for line in text.splitlines()
        if line.strip() and not line.lstrip().startswith("#") and not re.match(r"\s*[A-Z_]+=", line)
    ]


@pytest.mark.parametrize("command", _deploy_commands())
def test_readme_deploy_commands_are_the_ones_image_test_runs(command: str) -> None:
    script = (ROOT / "deploy" / "image-test.sh").read_text(encoding="utf-8").replace("\\\n", " ")
    script_lines = {" ".join(line.split()) for line in script.splitlines()}
    assert any(command in line for line in script_lines), command


def test_every_data_file_in_the_package_ships_in_the_wheel() -> None:
    """The image installs the wheel: a data file under app/ that no package-data glob names is missing at run time."""
    settings = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    globs = settings["package-data"]
    shipped = {
        path
        for package, patterns in globs.items()
        for pattern in patterns
        for path in (ROOT / package.replace(".", "/")).glob(pattern)
    }
    data = {path for path in (ROOT / "app").rglob("*") if path.is_file() and path.suffix not in (".py", ".pyc")}
    assert data, "no data files found under app/: the test would pass vacuously"
    assert data - shipped == set()
