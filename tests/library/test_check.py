"""The pack linter: the shipped packs pass; a fixture pack breaking each rule fails, naming file, excerpt and rule."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.cli import main
from app.library.check import RULES, Problem, check_folders, format_problems
from app.settings import ROOT
from tests.helpers import FIXTURES

BROKEN = FIXTURES / "packs" / "broken"
SAMPLE_ORG = FIXTURES / "packs" / "sample_org"

# (pack folder, excerpt id or None, rule) — one fixture pack per rule.
EXPECTED = [
    ("bad-schema", None, "schema"),
    ("dup-id", "dup-id-one", "unique-id"),
    ("id-prefix", "other-one", "id-prefix"),
    ("no-source", None, "source"),
    ("no-locator", "no-locator-one", "locator"),
    ("quote-not-public", "quote-not-public-one", "quote-licence"),
    ("unsure-text", "unsure-text-one", "unconfirmed"),
    ("too-long", "too-long-one", "word-limit"),
    ("hard-reading", "hard-reading-one", "reading-grade"),
    ("unknown-tag", "unknown-tag-one", "unknown-tag"),
]


@pytest.fixture(scope="module")
def broken_problems() -> list[Problem]:
    return check_folders([BROKEN])


def test_shipped_packs_pass() -> None:
    assert check_folders([ROOT / "resource_packs"]) == []


def test_shipped_packs_and_the_sample_org_pack_pass_together() -> None:
    assert check_folders([ROOT / "resource_packs", SAMPLE_ORG]) == []


@pytest.mark.parametrize(("folder", "excerpt", "rule"), EXPECTED)
def test_each_broken_pack_is_reported_with_file_excerpt_and_rule(
    broken_problems: list[Problem], folder: str, excerpt: str | None, rule: str
) -> None:
    path = BROKEN / folder / "pack.yaml"
    assert any(p.file == path and p.excerpt == excerpt and p.rule == rule for p in broken_problems), format_problems(
        [p for p in broken_problems if p.file == path]
    )


def test_every_rule_has_a_breaking_fixture(broken_problems: list[Problem]) -> None:
    assert {rule for _, _, rule in EXPECTED} | {"folder", "cited"} == set(RULES)
    assert {p.rule for p in broken_problems} == set(RULES) - {"cited"}  # tests/test_broken_packs.py breaks "cited"


def test_a_folder_without_pack_yaml_is_reported(broken_problems: list[Problem]) -> None:
    assert Problem(BROKEN / "no-pack-file", None, "folder", "has no pack.yaml") in broken_problems


def test_all_problems_are_reported_not_just_the_first(broken_problems: list[Problem]) -> None:
    schema = [p for p in broken_problems if p.file == BROKEN / "bad-schema" / "pack.yaml"]
    assert {p.message.split(":")[0] for p in schema} == {"title", "licence_kind"}
    assert len({p.file for p in broken_problems}) == len(EXPECTED) + 1


def test_ids_must_be_unique_across_folders() -> None:
    problems = check_folders([SAMPLE_ORG, SAMPLE_ORG])
    assert [(p.rule, p.excerpt) for p in problems] == [("unique-id", None), ("unique-id", "org-sample-peer-line")]


def test_a_missing_folder_is_a_problem(tmp_path: Path) -> None:
    assert check_folders([tmp_path / "nope"]) == [
        Problem(tmp_path / "nope", None, "folder", "is not a folder of resource packs")
    ]


def test_unreadable_yaml_is_a_schema_problem(tmp_path: Path) -> None:
    (tmp_path / "bad").mkdir()
    (tmp_path / "bad" / "pack.yaml").write_text("id: [unclosed\n", encoding="utf-8")
    [problem] = check_folders([tmp_path])
    assert (problem.rule, problem.excerpt) == ("schema", None)


def test_format_names_file_excerpt_and_rule() -> None:
    text = format_problems([Problem(Path("p/x/pack.yaml"), "x-one", "word-limit", "text has 120 words")])
    assert text.splitlines()[1] == "p/x/pack.yaml [x-one]: word-limit: text has 120 words"
    assert format_problems([]) == "Resource packs OK: no problems found."


def test_cli_exits_non_zero_on_broken_packs(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["packs", "check", str(BROKEN)]) == 1
    out = capsys.readouterr().out
    assert f"{BROKEN / 'too-long' / 'pack.yaml'} [too-long-one]: word-limit:" in out


def test_cli_passes_on_the_shipped_packs(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["packs", "check"]) == 0
    assert "no problems" in capsys.readouterr().out


def test_cli_checks_the_extra_packs_folder_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("TAPERPREP_EXTRA_PACKS_DIR", str(BROKEN))
    from app.settings import get_settings

    get_settings.cache_clear()
    try:
        assert main(["packs", "check"]) == 1
    finally:
        get_settings.cache_clear()
    assert "unknown-tag" in capsys.readouterr().out
