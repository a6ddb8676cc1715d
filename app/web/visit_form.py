"""A Story's visit-cycle answers (`agreed`, `progress`, `goals.values`) ⇄ one hidden form field.

Until the form has its own questions for them, opening a saved file (with its filled "What we agreed" fields) and
continuing keeps them: the server still keeps nothing between pages."""

from __future__ import annotations

import json
from typing import Any

from app.story import Story

__all__ = ["VISIT_FIELD", "carried_visit", "visit_field_value"]

VISIT_FIELD = "visit-carried"


def visit_field_value(story: Story) -> str:
    """ "" when the story has none of them, so a first-visit form posts nothing extra."""
    data = story.model_dump(mode="json", include={"agreed", "progress", "goals"}, exclude_none=True, by_alias=True)
    carried = {
        k: v
        for k, v in (
            ("agreed", data.get("agreed")),
            ("progress", data.get("progress")),
            ("values", data["goals"].get("values")),
        )
        if v
    }
    return json.dumps(carried, ensure_ascii=False) if carried else ""


def carried_visit(value: str, data: dict[str, Any]) -> dict[str, Any]:
    """The submission dict with the carried parts put back; anything unreadable is dropped (it came from a page we
    wrote, so only tampering breaks it), and the Story validates what is kept like every other answer."""
    try:
        carried = json.loads(value) if value else {}
    except json.JSONDecodeError:
        return data
    if not isinstance(carried, dict):
        return data
    out = dict(data)
    if "agreed" in carried:
        out["agreed"] = carried["agreed"]
    if "progress" in carried:
        out["progress"] = carried["progress"]
    if "values" in carried:
        out["goals"] = {**out.get("goals", {}), "values": carried["values"]}
    return out
