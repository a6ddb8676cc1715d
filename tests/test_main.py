"""App start-up: packs are validated before the first request; a broken one stops start-up naming file and field."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from app.errors import PackError
from app.main import create_app
from app.settings import ROOT, Settings


def _broken_packs(tmp_path: Path, text: str) -> Path:
    folder = tmp_path / "packs"
    shutil.copytree(ROOT / "resource_packs" / "who-2023", folder / "org-pack")
    (folder / "org-pack" / "pack.yaml").write_text(text)
    return folder


def test_broken_pack_stops_start_up_naming_file_and_field(tmp_path: Path) -> None:
    original = (ROOT / "resource_packs" / "who-2023" / "pack.yaml").read_text()
    folder = _broken_packs(
        tmp_path, original.replace("id: who-2023\n", "id: org-pack\n", 1).replace("locator:", "locaton:", 1)
    )
    app = create_app(Settings(extra_packs_dir=folder))
    with pytest.raises(PackError) as caught, TestClient(app):
        pass
    assert f"{folder / 'org-pack' / 'pack.yaml'} [who-2023-" in str(caught.value)
    assert ": schema: excerpts.0.locator" in str(caught.value)


def test_duplicate_ids_across_folders_stop_start_up(tmp_path: Path) -> None:
    folder = _broken_packs(tmp_path, (ROOT / "resource_packs" / "who-2023" / "pack.yaml").read_text())
    with pytest.raises(PackError, match="already used"), TestClient(create_app(Settings(extra_packs_dir=folder))):
        pass


def test_a_working_app_has_every_part_it_needs(client: TestClient) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}
    assert client.app.state.service.library.packs  # type: ignore[attr-defined]  # TestClient.app is typed as ASGIApp
