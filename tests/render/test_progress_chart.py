"""A ProgressChart → SVG: the plan dashed, the doses taken solid, the title escaped, only shapes WeasyPrint draws."""

from __future__ import annotations

import datetime as dt
import re

from app.packet.follow_up import ChartLine, ProgressChart
from app.render.progress_chart import progress_chart_svg


def _chart(plan: ChartLine | None) -> ProgressChart:
    return ProgressChart(
        "Daily dose of <b>Ativan</b>", dt.date(2026, 10, 1), 60, plan, ChartLine(((0, 2.0), (14, 1.75)))
    )


def _polylines(svg: str) -> list[str]:
    return re.findall(r'<polyline points="([^"]+)" fill="none" ([^/]+)/>', svg)


def test_plan_and_taken_are_step_lines_to_the_last_day() -> None:
    svg = str(progress_chart_svg(_chart(ChartLine(((0, 2.0), (14, 1.75), (42, 1.5))))))
    (plan, plan_style), (taken, taken_style) = _polylines(svg)
    assert "dasharray" in plan_style and "dasharray" not in taken_style
    assert len(plan.split()) == 6 and len(taken.split()) == 4  # start, two corners per change, the last day
    assert plan.split()[-1].startswith("520.0,") and taken.split()[-1].startswith("520.0,")
    assert ">plan<" in svg and ">taken<" in svg and "1 Oct" in svg


def test_without_a_plan_only_what_was_taken_is_drawn() -> None:
    svg = str(progress_chart_svg(_chart(None)))
    assert len(_polylines(svg)) == 1 and ">plan<" not in svg


def test_title_is_escaped_and_only_simple_shapes_are_used() -> None:
    svg = str(progress_chart_svg(_chart(None)))
    assert "<title>Daily dose of &lt;b&gt;Ativan&lt;/b&gt;</title>" in svg
    assert set(re.findall(r"<([a-z]+)", svg)) == {"svg", "title", "rect", "text", "line", "polyline"}
