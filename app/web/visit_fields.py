"""The "Since your last visit" step's fields ⇄ the Story's `agreed` (the plan made then) and `progress` (each step).

Rows are "plan-0-daily_mg" (an agreed step) and "progress-0-date" (a step taken), as many as Story accepts so a
saved file's rows are all kept; the rest of `agreed` is "agreed-check_in" and so on. Medicines are chosen by their
row on the medicines step, as the draft taper's medicine is."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from app.web.form_values import given, shown

__all__ = [
    "AGREED_KEYS",
    "MAX_PROGRESS_ROWS",
    "PLAN_FIELDS",
    "PROGRESS_FIELDS",
    "VISIT_SCALARS",
    "VisitAnswers",
    "medicine_number",
    "visit_answers",
    "visit_values",
]

PLAN_FIELDS = ("medication", "daily_mg", "from")
PROGRESS_FIELDS = ("date", "medication", "daily_mg", "how_it_went", "note")
MAX_PROGRESS_ROWS = 200
AGREED_KEYS = ("date", "decision", "check_in", "if_symptoms", "contact", "next_review")
FOLLOW_UP = "visit-follow_up"
"""The step's first question; only "yes" sends the plan and the steps to the Story."""
VISIT_SCALARS = (FOLLOW_UP, *(f"agreed-{key}" for key in AGREED_KEYS))


@dataclass(frozen=True)
class VisitAnswers:
    """The Story's `agreed` and `progress` (absent keys: not answered), and which form row each agreed step and each
    step taken came from, so errors point at the right row."""

    data: dict[str, Any] = field(default_factory=dict)
    plan_rows: list[int] = field(default_factory=list)
    progress_rows: list[int] = field(default_factory=list)


def medicine_number(number: str, med_rows: list[int]) -> int | str:
    """A medicine chosen by its row in the form (1-based) → its number in the Story; as typed when there is none."""
    row = int(number) - 1 if number.isdigit() else -1
    return med_rows.index(row) + 1 if row in med_rows else number


def _rows(rows: list[dict[str, str]], med_rows: list[int]) -> tuple[list[int], list[dict[str, Any]]]:
    """Rows with an answer (the medicine list alone is not one: it starts chosen when only one is listed) → their
    form rows and Story dicts; with one medicine listed, a row is about it."""
    kept = [i for i, row in enumerate(rows) if any(given(v) for k, v in row.items() if k != "medication")]
    out: list[dict[str, Any]] = []
    for i in kept:
        row: dict[str, Any] = {k: v for k, v in rows[i].items() if given(v)}
        if "medication" in row:
            row["medication"] = medicine_number(row["medication"], med_rows)
        elif len(med_rows) == 1:
            row["medication"] = 1
        out.append(row)
    return kept, out


def visit_answers(
    values: dict[str, str], plan: list[dict[str, str]], progress: list[dict[str, str]], med_rows: list[int]
) -> VisitAnswers:
    """Nothing unless the person said yes; then the plan and the steps as typed, for Story to check."""
    if values.get(FOLLOW_UP) != "yes":
        return VisitAnswers()
    plan_rows, steps = _rows(plan, med_rows)
    progress_rows, taken = _rows(progress, med_rows)
    agreed: dict[str, Any] = {k: values[f"agreed-{k}"] for k in AGREED_KEYS if given(values.get(f"agreed-{k}"))}
    if steps:
        agreed["steps"] = steps
    data: dict[str, Any] = {"progress": taken, **({"agreed": agreed} if agreed else {})}
    return VisitAnswers(data, plan_rows, progress_rows)


def visit_values(data: dict[str, Any]) -> tuple[dict[str, str], list[dict[str, str]], list[dict[str, str]]]:
    """A Story (as JSON) → the step's boxes, plan rows and progress rows; "yes" when it has a plan or steps."""
    agreed = data.get("agreed") or {}
    plan = [{k: shown(v) for k, v in step.items()} for step in agreed.get("steps", [])]
    progress = [{k: shown(v) for k, v in row.items()} for row in data.get("progress", [])]
    if not data.get("agreed") and not progress:
        return {}, plan, progress
    return {FOLLOW_UP: "yes", **{f"agreed-{k}": shown(agreed.get(k)) for k in AGREED_KEYS}}, plan, progress
