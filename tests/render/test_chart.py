"""app/render/chart.py: a vector-only, greyscale, escaped SVG step chart with a <title> for alt text."""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from itertools import pairwise

from app.packet.follow_up import ChartLine, ProgressChart
from app.packet.taper_page import TaperChart
from app.render.chart import progress_chart_svg, taper_chart_svg

SVG = "{http://www.w3.org/2000/svg}"
POINTS = ((0, 2.0), (2, 1.8), (4, 1.625), (6, 1.5), (8, 1.375), (10, 1.25), (12, 1.125), (14, 1.0))
ALLOWED = {"svg", "title", "rect", "line", "polyline", "text"}


def _svg(points: tuple[tuple[int, float], ...], weeks: int, label: str | None, title: str) -> str:
    return str(taper_chart_svg(TaperChart(title, points, weeks, label)))


def _parse(markup: str) -> ET.Element:
    return ET.fromstring(str(markup))


def _local(element: ET.Element) -> str:
    return element.tag.removeprefix(SVG)


def test_only_simple_elements_with_a_title_first() -> None:
    root = _parse(_svg(POINTS, 2, "goal of this draft", "Chart of the draft taper for Xanax"))
    assert {_local(e) for e in root.iter()} <= ALLOWED
    first = root[0]
    assert _local(first) == "title" and first.text == "Chart of the draft taper for Xanax"


def test_user_text_in_the_title_is_escaped() -> None:
    markup = _svg(POINTS, 2, "goal of this draft", 'Chart for <script>alert("x")</script> & "Klonopin"')
    assert "<script" not in markup
    root = _parse(markup)
    assert root[0].text == 'Chart for <script>alert("x")</script> & "Klonopin"'


def test_greyscale_and_noto_sans() -> None:
    root = _parse(_svg(POINTS, 2, "goal of this draft", "t"))
    colours = {v for e in root.iter() for k, v in e.attrib.items() if k in {"fill", "stroke"} and v != "none"}
    assert colours and all(re.fullmatch(r"#([0-9a-f])\1\1", c) for c in colours), colours
    texts = [e for e in root.iter() if _local(e) == "text"]
    assert texts and all(t.get("font-family") == "Noto Sans" for t in texts)
    words = {t.text for t in texts}
    assert {"0%", "25%", "50%", "75%", "100%", "mg a day", "% of starting dose", "2", "0"} <= words
    assert "1 mg a day, goal of this draft" in words


def test_the_step_line_only_goes_right_and_down() -> None:
    root = _parse(_svg(POINTS, 2, "goal of this draft", "t"))
    (line,) = [e for e in root.iter() if _local(e) == "polyline"]
    points = [tuple(map(float, p.split(","))) for p in line.get("points", "").split()]
    assert len(points) == 2 * (len(POINTS) - 1) + 2
    assert all(x2 >= x1 and y2 >= y1 for (x1, y1), (x2, y2) in pairwise(points))
    assert "1 mg a day, goal of this draft" in {t.text for t in root.iter() if _local(t) == "text"}


def test_a_draft_without_cuts_still_draws() -> None:
    root = _parse(_svg(((0, 0.1),), 4, None, "t"))
    assert len([e for e in root.iter() if _local(e) == "polyline"]) == 1


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
