"""The docs keep up with the code: every setting, CLI flag and pack is documented; every module says what it is."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from app.cli import _parser
from app.library.check import load_checked
from app.settings import ROOT, Settings

README = (ROOT / "README.md").read_text(encoding="utf-8")
MODULES = sorted((ROOT / "app").rglob("*.py"))
IDS = [str(p.relative_to(ROOT / "app")) for p in MODULES]
PACKAGES = ["library", "packet", "render", "web", "web/middleware"]


@pytest.mark.parametrize("name", sorted(Settings.model_fields))
def test_every_setting_is_documented(name: str) -> None:
    assert f"TAPERPREP_{name.upper()}" in README


def _flags() -> list[str]:
    flags = []
    pending = [_parser()]
    while pending:
        parser = pending.pop()
        for action in parser._actions:
            flags.extend(o for o in action.option_strings if o.startswith("--") and o != "--help")
            if action.choices and isinstance(action.choices, dict):
                pending.extend(action.choices.values())
    return sorted(set(flags))


@pytest.mark.parametrize("flag", _flags())
def test_every_cli_flag_is_documented(flag: str) -> None:
    assert re.search(rf"{re.escape(flag)}\b", README)


def test_every_pack_is_documented() -> None:
    guide = (ROOT / "resource_packs" / "README.md").read_text(encoding="utf-8")
    for pack in load_checked([ROOT / "resource_packs"]).packs:
        assert f"`{pack.id}`" in guide, pack.id


@pytest.mark.parametrize("path", MODULES, ids=IDS)
def test_every_module_opens_with_a_one_line_docstring_and_exports(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstring = ast.get_docstring(tree)
    assert docstring, f"{path.name} has no module docstring"
    if path.name == "__init__.py":
        return
    exported = [
        n
        for n in tree.body
        if isinstance(n, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "__all__" for t in n.targets)
    ]
    assert exported, f"{path.name} has no __all__"
    names = ast.literal_eval(exported[0].value)
    defined = {n.name for n in tree.body if isinstance(n, ast.FunctionDef | ast.ClassDef | ast.AsyncFunctionDef)}
    defined |= {
        t.id
        for n in tree.body
        if isinstance(n, ast.Assign | ast.AnnAssign)
        for t in (n.targets if isinstance(n, ast.Assign) else [n.target])
        if isinstance(t, ast.Name)
    }
    assert set(names) <= defined, f"{path.name}: __all__ names something it does not define"


@pytest.mark.parametrize("path", MODULES, ids=IDS)
def test_modules_stay_small(path: Path) -> None:
    # The contract is one idea read top to bottom (and imports nothing of app), so it may be longer than the rest.
    limit = 460 if path == ROOT / "app" / "story.py" else 330
    assert len(path.read_text(encoding="utf-8").splitlines()) <= limit, f"{path.name} grew past one idea; split it"


def test_every_stage_is_a_package_and_the_top_stays_small() -> None:
    """The tree shows the flow: story, main, cli and a few shared modules on top; every other module in its stage."""
    top = sorted(p.name for p in (ROOT / "app").glob("*.py") if p.name != "__init__.py")
    assert len(top) <= 8, top
    assert {p.relative_to(ROOT / "app").parent.as_posix() for p in MODULES} == {".", *PACKAGES}


@pytest.mark.parametrize("package", [".", *PACKAGES])
def test_package_inits_hold_a_docstring_only(package: str) -> None:
    """No re-exports: importing app.render must not pull in WeasyPrint for `taperprep build`'s neighbours."""
    tree = ast.parse((ROOT / "app" / package / "__init__.py").read_text(encoding="utf-8"))
    assert ast.get_docstring(tree)
    assert len(tree.body) == 1, f"app/{package}/__init__.py holds more than its docstring"
