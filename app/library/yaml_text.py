"""YAML text → Python data, parsed by libyaml's C parser when PyYAML was built with it (≈9× the pure-Python one)."""

from __future__ import annotations

from typing import Any

import yaml

__all__ = ["load_yaml"]

_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(text: str) -> Any:
    """Like `yaml.safe_load` (the same safe tags; errors are `yaml.YAMLError`), just faster: packs, content and the
    product catalogue are parsed on every start of `taperprep build` and of each worker."""
    return yaml.load(text, Loader=_LOADER)
