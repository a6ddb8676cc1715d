"""`taperprep build` and friends, run as real processes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from pypdf import PdfReader

from tests.helpers import FIXTURES, load_story

CLI = [sys.executable, "-m", "app.cli"]


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*CLI, *args], capture_output=True, text=True, timeout=120)


def test_build_writes_a_pdf(tmp_path: Path) -> None:
    out = tmp_path / "packet.pdf"
    result = _run("build", str(FIXTURES / "patient_one_drug.json"), "-o", str(out), "--paper", "a4")
    assert result.returncode == 0, result.stderr
    page = PdfReader(out).pages[0]
    assert round(float(page.mediabox.width)) == 595  # A4 width in points


def test_build_html(tmp_path: Path) -> None:
    out = tmp_path / "packet.html"
    assert _run("build", str(FIXTURES / "cold_turkey_seizure.json"), "-o", str(out), "--html").returncode == 0
    assert out.read_text().startswith("<!DOCTYPE html>")


def test_build_language_overrides_the_story(tmp_path: Path) -> None:
    out = tmp_path / "packet.pdf"
    story = str(FIXTURES / "patient_one_drug.json")
    assert _run("build", story, "-o", str(out), "--copy", "prescriber", "--language", "es").returncode == 0
    reader = PdfReader(out)
    assert str(reader.trailer["/Root"]["/Lang"]) == "es"
    assert "Página 1 de" in reader.pages[0].extract_text()
    assert json.loads(reader.attachments["story.json"][0])["options"]["language"] == "es"


def test_build_copy_writes_one_document(tmp_path: Path) -> None:
    prescriber, personal = tmp_path / "prescriber.pdf", tmp_path / "personal.pdf"
    story = str(FIXTURES / "caregiver_older_adult.json")
    assert _run("build", story, "-o", str(prescriber), "--copy", "prescriber").returncode == 0
    assert _run("build", story, "-o", str(personal), "--copy", "personal").returncode == 0
    first = " ".join(page.extract_text() for page in PdfReader(prescriber).pages)
    second = " ".join(page.extract_text() for page in PdfReader(personal).pages)
    assert "Talking about tapering" in first and "not for handing over" not in first
    assert "For us" in second and "Talking about tapering" not in second
    assert "story.json" in PdfReader(personal).attachments


def test_bad_story_prints_field_errors_and_fails(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"prepared_by": "caregiver", "medications": [{"name": "Xanax", "dose_mg": -1}]}))
    result = _run("build", str(bad), "-o", str(tmp_path / "x.pdf"))
    assert result.returncode != 0
    assert "caregiver:" in result.stderr
    assert "medications.0.dose_mg: Input should be greater than 0" in result.stderr
    assert "medications.0.taking_since: Field required" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "x.pdf").exists()


def test_not_json_and_missing_file(tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text("{not json")
    result = _run("build", str(broken), "-o", str(tmp_path / "x.pdf"))
    assert result.returncode != 0 and "is not valid JSON" in result.stderr
    result = _run("build", str(tmp_path / "nope.json"), "-o", str(tmp_path / "x.pdf"))
    assert result.returncode != 0 and "cannot read" in result.stderr


def test_build_imports_no_web_stack_and_no_text_grader(tmp_path: Path) -> None:
    """`taperprep build` starts fast because it imports only what it needs: no web framework or server, and no
    textstat/NLTK (only `packs check` grades text)."""
    story = tmp_path / "story.json"
    story.write_text(json.dumps(load_story("minimal")), encoding="utf-8")
    script = (
        "import sys; from app.cli import main; "
        f"code = main(['build', {str(story)!r}, '-o', {str(tmp_path / 'x.pdf')!r}]); "
        "print(' '.join(sorted({name.split('.')[0] for name in sys.modules}))); sys.exit(code)"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    imported = set(result.stdout.split())
    assert "weasyprint" in imported and "app" in imported
    assert imported.isdisjoint({"fastapi", "starlette", "uvicorn", "textstat", "nltk"})


def test_serve_defaults_to_one_worker_per_core_recycled_after_max_requests() -> None:
    import os

    from app.cli import MAX_REQUESTS, _parser

    args = _parser().parse_args(["serve"])
    assert args.workers == (os.cpu_count() or 1)
    assert args.max_requests == MAX_REQUESTS > 0


def test_an_idle_connection_outlives_the_wait_a_busy_answer_asks_for() -> None:
    """A client that comes back after Retry-After on its kept-alive connection must find it open, not closing."""
    from app.cli import KEEP_ALIVE_SECONDS
    from app.web.render_queue import RETRY_AFTER_SECONDS

    assert KEEP_ALIVE_SECONDS >= 2 * RETRY_AFTER_SECONDS
