"""Broken resource packs → start-up, `taperprep build` and `taperprep packs check` refuse alike: the same message
naming file and field, a non-zero status, and no traceback (one validator: app/library/check.py)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from app.errors import PackError
from app.main import create_app
from app.settings import ROOT, Settings
from tests.helpers import FIXTURES, free_port

DUPLICATE = """\
id: org-pack
title: An organisation pack
short: Org 2026
publisher: Org
date: '2026'
url: https://example.org/
accessed: '2026-11-24'
licence: Ours.
licence_kind: all_rights_reserved
attribution: Written by Org.
excerpts:
- {id: org-pack-line, title: One, text: Call us., locator: p. 1, tags: [always]}
- {id: org-pack-line, title: Two, text: Call us again., locator: p. 2, tags: [always]}
"""


def _missing_fda(tmp_path: Path) -> dict[str, str]:
    shutil.copytree(ROOT / "resource_packs", tmp_path / "packs", ignore=shutil.ignore_patterns("fda-2020"))
    return {"TAPERPREP_PACKS_DIR": str(tmp_path / "packs")}


def _extra_pack(tmp_path: Path, text: str) -> dict[str, str]:
    (tmp_path / "extra" / "org-pack").mkdir(parents=True)
    (tmp_path / "extra" / "org-pack" / "pack.yaml").write_text(text)
    return {"TAPERPREP_EXTRA_PACKS_DIR": str(tmp_path / "extra")}


CASES = {
    "missing fda-2020": (_missing_fda, "[fda-2020-withdrawal]: cited:"),
    "broken yaml": (
        lambda tmp: _extra_pack(tmp, "id: [unclosed\n"),
        "org-pack/pack.yaml: schema: cannot be read as YAML",
    ),
    "duplicate excerpt id": (lambda tmp: _extra_pack(tmp, DUPLICATE), "[org-pack-line]: unique-id: id 'org-pack-line'"),
}


def _run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("TAPERPREP_")}
    command = [sys.executable, "-m", "app.cli", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, env={**clean, **env}, cwd=ROOT)


@pytest.mark.parametrize("case", CASES)
def test_start_up_build_and_packs_check_refuse_with_one_message(case: str, tmp_path: Path) -> None:
    make, expected = CASES[case]
    env = make(tmp_path)
    settings = Settings(**{k.removeprefix("TAPERPREP_").lower(): Path(v) for k, v in env.items()})
    with pytest.raises(PackError) as caught, TestClient(create_app(settings)):
        pass
    message = str(caught.value)
    assert expected in message

    serve = _run(env, "serve", "--port", str(free_port()))
    build = _run(env, "build", str(FIXTURES / "patient_one_drug.json"), "-o", str(tmp_path / "packet.pdf"))
    check = _run(env, "packs", "check")
    for result in (serve, build):
        assert result.returncode != 0
        assert result.stderr == f"taperprep: {message}\n"
    assert check.returncode != 0
    assert check.stdout == f"{message}\n"
    assert "Traceback" not in serve.stderr + build.stderr + check.stderr + check.stdout
    assert not (tmp_path / "packet.pdf").exists()
