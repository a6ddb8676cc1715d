"""One form value ⇄ one Story value: whether what was typed is an answer, and how a stored value shows in a box."""

from __future__ import annotations

__all__ = ["given", "shown"]


def given(value: str | None) -> bool:
    """Typed and not just spaces: only answers reach the Story, so it decides what is optional."""
    return value is not None and value.strip() != ""


def shown(value: object) -> str:
    """A stored value as the form shows it: 1.0 → "1", 0.25 → "0.25", True → "yes", None → ""."""
    if value is None or value is False:
        return ""
    if value is True:
        return "yes"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value)
