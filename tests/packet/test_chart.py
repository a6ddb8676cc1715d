"""app/packet/chart.py: a vector-only, greyscale, escaped SVG step chart with a <title> for alt text."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from itertools import pairwise

from app.packet.chart import taper_chart_svg
from app.packet.taper import draft_taper
from app.story import Outcome, Pace

SVG = "{http://www.w3.org/2000/svg}"
ALLOWED = {"svg", "title", "rect", "line", "polyline", "text"}


def _parse(markup: str) -> ET.Element:
    return ET.fromstring(str(markup))


def _local(element: ET.Element) -> str:
    return element.tag.removeprefix(SVG)


def test_only_simple_elements_with_a_title_first() -> None:
    draft = draft_taper(1.5, Pace.slow, Outcome.stop, precision_mg=0.01)
    root = _parse(taper_chart_svg(draft, "Chart of the draft taper for Xanax"))
    assert {_local(e) for e in root.iter()} <= ALLOWED
    first = root[0]
    assert _local(first) == "title" and first.text == "Chart of the draft taper for Xanax"


def test_user_text_in_the_title_is_escaped() -> None:
    draft = draft_taper(2, Pace.as_guidelines, Outcome.reduce, 1, 0.025)
    markup = taper_chart_svg(draft, 'Chart for <script>alert("x")</script> & "Klonopin"')
    assert "<script" not in markup
    root = _parse(markup)
    assert root[0].text == 'Chart for <script>alert("x")</script> & "Klonopin"'


def test_greyscale_and_noto_sans() -> None:
    draft = draft_taper(40, Pace.as_guidelines, Outcome.stop, precision_mg=0.1)
    root = _parse(taper_chart_svg(draft, "t"))
    colours = {v for e in root.iter() for k, v in e.attrib.items() if k in {"fill", "stroke"} and v != "none"}
    assert colours and all(re.fullmatch(r"#([0-9a-f])\1\1", c) for c in colours), colours
    texts = [e for e in root.iter() if _local(e) == "text"]
    assert texts and all(t.get("font-family") == "Noto Sans" for t in texts)
    words = {t.text for t in texts}
    assert {"0%", "25%", "50%", "75%", "100%", "mg a day", "% of starting dose", "40", "0"} <= words
    assert "0.9 mg a day, floor: discuss how to finish" in words


def test_the_step_line_only_goes_right_and_down() -> None:
    draft = draft_taper(2, Pace.as_guidelines, Outcome.reduce, 1, 0.025)
    root = _parse(taper_chart_svg(draft, "t"))
    (line,) = [e for e in root.iter() if _local(e) == "polyline"]
    points = [tuple(map(float, p.split(","))) for p in line.get("points", "").split()]
    assert len(points) == 2 * draft.cuts + 2
    assert all(x2 >= x1 and y2 >= y1 for (x1, y1), (x2, y2) in pairwise(points))
    assert "1 mg a day, goal of this draft" in {t.text for t in root.iter() if _local(t) == "text"}


def test_a_draft_without_cuts_still_draws() -> None:
    draft = draft_taper(0.1, Pace.slow, Outcome.stop, precision_mg=0.01)
    assert draft.cuts == 0
    root = _parse(taper_chart_svg(draft, "t"))
    assert len([e for e in root.iter() if _local(e) == "polyline"]) == 1
