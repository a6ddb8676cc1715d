"""A ProgressChart (numbers in the Packet) → an inline SVG: the agreed plan (dashed) against the doses taken (solid)."""

from __future__ import annotations

import datetime as dt

from markupsafe import Markup, escape

from app.packet.follow_up import ChartLine, ProgressChart

__all__ = ["progress_chart_svg"]

# Same drawing rules as app/chart.py: rect, line, polyline and text with a <title>; black, greys and dashes only.
_WIDTH, _HEIGHT = 640, 200
_LEFT, _RIGHT, _TOP, _BOTTOM = 64, 520, 20, 160
_FONT = 'font-family="Noto Sans" font-size="11" fill="#000"'
_TICKS = 4


def _mg(value: float) -> str:
    return f"{float(f'{value:.3g}'):g}"


def _text(x: float, y: float, words: str, anchor: str = "middle") -> str:
    return f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" {_FONT}>{escape(words)}</text>'


def _line(x1: float, y1: float, x2: float, y2: float, style: str) -> str:
    return f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" {style}/>'


def _steps(line: ChartLine, last_day: int) -> list[tuple[int, float]]:
    """Each dose holds until the next point, then drops (or rises) straight down: a step line to the last day."""
    ordered = sorted(line.points)
    corners = [ordered[0]]
    for day, mg in ordered[1:]:
        corners += [(day, corners[-1][1]), (day, mg)]
    return [*corners, (last_day, corners[-1][1])]


def progress_chart_svg(chart: ProgressChart) -> Markup:
    """The steps table beside it is the accessible form; the title (which may name the medicine as typed) is escaped."""
    lines = [chart.actual, *([chart.plan] if chart.plan else [])]
    top_mg = max(mg for line in lines for _, mg in line.points) or 1.0

    def x(day: float) -> float:
        return _LEFT + (_RIGHT - _LEFT) * day / chart.days

    def y(mg: float) -> float:
        return _BOTTOM - (_BOTTOM - _TOP) * mg / top_mg

    def polyline(line: ChartLine, style: str) -> str:
        points = " ".join(f"{x(d):.1f},{y(mg):.1f}" for d, mg in _steps(line, chart.days))
        return f'<polyline points="{points}" fill="none" {style}/>'

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="progress-chart" role="img" viewBox="0 0 {_WIDTH} {_HEIGHT}" '
        f'width="{_WIDTH}" height="{_HEIGHT}">',
        f"<title>{escape(chart.title)}</title>",
        f'<rect x="0" y="0" width="{_WIDTH}" height="{_HEIGHT}" fill="#fff"/>',
        _text(_LEFT - 8, 12, "mg a day", "end"),
    ]
    for i in range(_TICKS + 1):
        mg = top_mg * i / _TICKS
        parts.append(_line(_LEFT, y(mg), _RIGHT, y(mg), 'stroke="#bbb" stroke-width="0.75"'))
        parts.append(_text(_LEFT - 8, y(mg) + 4, _mg(mg), "end"))
    for i in range(_TICKS + 1):
        day = round(chart.days * i / _TICKS)
        parts.append(_line(x(day), _BOTTOM, x(day), _BOTTOM + 5, 'stroke="#000"'))
        parts.append(_text(x(day), _BOTTOM + 18, f"{chart.first_day + dt.timedelta(days=day):%-d %b}"))
    parts.append(_line(_LEFT, _TOP, _LEFT, _BOTTOM, 'stroke="#000"'))
    parts.append(_line(_LEFT, _BOTTOM, _RIGHT, _BOTTOM, 'stroke="#000"'))
    if chart.plan:
        parts.append(polyline(chart.plan, 'stroke="#555" stroke-width="1.5" stroke-dasharray="6 4"'))
        parts.append(_line(_RIGHT + 12, 40, _RIGHT + 36, 40, 'stroke="#555" stroke-width="1.5" stroke-dasharray="6 4"'))
        parts.append(_text(_RIGHT + 40, 44, "plan", "start"))
    parts.append(polyline(chart.actual, 'stroke="#000" stroke-width="2.5"'))
    parts.append(_line(_RIGHT + 12, 24, _RIGHT + 36, 24, 'stroke="#000" stroke-width="2.5"'))
    parts.append(_text(_RIGHT + 40, 28, "taken", "start"))
    parts.append("</svg>")
    return Markup("\n".join(parts))
