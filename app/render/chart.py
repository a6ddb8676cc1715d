"""Chart numbers → inline SVG step charts, print and screen: the draft taper (dose over weeks, %-of-start scale) and the
follow-up's plan against the doses taken (dose over dates)."""

from __future__ import annotations

import datetime as dt

from markupsafe import Markup, escape

from app.library.translations import _
from app.packet.follow_up import ChartLine, ProgressChart
from app.packet.taper_page import TaperChart
from app.packet.words import short_date

__all__ = ["progress_chart_svg", "taper_chart_svg"]

# Only rect, line, polyline and text, with a <title> child: WeasyPrint draws these as vectors and takes the figure's
# alt text from <title>. Black, greys and dashes only, so the chart survives greyscale printing.
_WIDTH, _HEIGHT = 640, 300
_LEFT, _RIGHT, _TOP, _BOTTOM = 64, 576, 34, 246
_FONT = 'font-family="Noto Sans" font-size="11" fill="#000"'
_PERCENTS = (0, 25, 50, 75, 100)
_WEEK_STEPS = (2, 4, 8, 12, 26, 52, 104, 156, 208)
_PROGRESS_HEIGHT, _PROGRESS_RIGHT, _PROGRESS_TOP, _PROGRESS_BOTTOM = 200, 520, 20, 160
_TICKS = 4
_PLAN_STYLE = 'stroke="#555" stroke-width="1.5" stroke-dasharray="6 4"'


def _mg(value: float) -> str:
    return f"{float(f'{value:.3g}'):g}"


def _text(x: float, y: float, words: str, anchor: str = "middle") -> str:
    return f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" {_FONT}>{escape(words)}</text>'


def _line(x1: float, y1: float, x2: float, y2: float, style: str) -> str:
    return f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" {style}/>'


def _week_step(last_week: int) -> int:
    return next((s for s in _WEEK_STEPS if last_week / s <= 10), _WEEK_STEPS[-1])


def _steps(points: tuple[tuple[int, float], ...], last: int) -> list[tuple[int, float]]:
    """Each dose holds until the next point, then drops (or rises) straight down: a step line to `last`."""
    ordered = sorted(points)
    corners = [ordered[0]]
    for at, mg in ordered[1:]:
        corners += [(at, corners[-1][1]), (at, mg)]
    return [*corners, (last, corners[-1][1])]


def _svg_open(css_class: str, height: int, title: str) -> list[str]:
    """A chart's opening: the SVG element, its title (escaped: it may name the medicine as typed), a white ground."""
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="{css_class}" role="img" viewBox="0 0 {_WIDTH} {height}" '
        f'width="{_WIDTH}" height="{height}">',
        f"<title>{escape(title)}</title>",
        f'<rect x="0" y="0" width="{_WIDTH}" height="{height}" fill="#fff"/>',
    ]


def taper_chart_svg(chart: TaperChart) -> Markup:
    """The table beside it is the accessible form; the title (which may hold the medicine name as typed) is escaped.

    `points` are (start week, mg a day), today first; `end_label` marks the last dose when there was a cut.
    """
    points, table_weeks, end_label, title = chart.points, chart.table_weeks, chart.end_label, chart.title
    last_week = points[-1][0] + table_weeks
    start = points[0][1]

    def x(week: float) -> float:
        return _LEFT + (_RIGHT - _LEFT) * week / last_week

    def y(mg: float) -> float:
        return _BOTTOM - (_BOTTOM - _TOP) * mg / start

    parts = [
        *_svg_open("taper-chart", _HEIGHT, title),
        _text(_LEFT - 8, 18, _("mg a day"), "end"),
        _text(_WIDTH - 4, 18, _("% of starting dose"), "end"),
    ]
    for percent in _PERCENTS:
        level = y(start * percent / 100)
        parts.append(_line(_LEFT, level, _RIGHT, level, 'stroke="#bbb" stroke-width="0.75"'))
        parts.append(_text(_LEFT - 8, level + 4, _mg(start * percent / 100), "end"))
        parts.append(_text(_RIGHT + 8, level + 4, f"{percent}%", "start"))
    every = _week_step(last_week)
    for week in range(0, last_week + 1, every):
        parts.append(_line(x(week), _BOTTOM, x(week), _BOTTOM + 5, 'stroke="#000"'))
        parts.append(_text(x(week), _BOTTOM + 18, str(week)))
    parts.append(_text((_LEFT + _RIGHT) / 2, _BOTTOM + 40, _("weeks from now")))
    parts.append(_line(_LEFT, _TOP, _LEFT, _BOTTOM, 'stroke="#000"'))
    parts.append(_line(_LEFT, _BOTTOM, _RIGHT, _BOTTOM, 'stroke="#000"'))

    line = " ".join(f"{x(w):.1f},{y(mg):.1f}" for w, mg in _steps(points, last_week))
    parts.append(f'<polyline points="{line}" fill="none" stroke="#000" stroke-width="2.5" stroke-linejoin="miter"/>')

    end_mg = points[-1][1]
    end = y(end_mg)
    if end_label is not None and len(points) > 1:
        parts.append(_line(_LEFT, end, _RIGHT, end, 'stroke="#555" stroke-width="1.25" stroke-dasharray="6 4"'))
        parts.append(
            _text(_LEFT + 6, end - 6, _("{dose} mg a day, {label}").format(dose=_mg(end_mg), label=end_label), "start")
        )
    parts.append("</svg>")
    return Markup("\n".join(parts))


def progress_chart_svg(chart: ProgressChart) -> Markup:
    """The steps table beside it is the accessible form; the title (which may name the medicine as typed) is escaped."""
    lines = [chart.actual, *([chart.plan] if chart.plan else [])]
    top_mg = max(mg for line in lines for _, mg in line.points) or 1.0

    def x(day: float) -> float:
        return _LEFT + (_PROGRESS_RIGHT - _LEFT) * day / chart.days

    def y(mg: float) -> float:
        return _PROGRESS_BOTTOM - (_PROGRESS_BOTTOM - _PROGRESS_TOP) * mg / top_mg

    def polyline(line: ChartLine, style: str) -> str:
        points = " ".join(f"{x(d):.1f},{y(mg):.1f}" for d, mg in _steps(line.points, chart.days))
        return f'<polyline points="{points}" fill="none" {style}/>'

    parts = [
        *_svg_open("progress-chart", _PROGRESS_HEIGHT, chart.title),
        _text(_LEFT - 8, 12, _("mg a day"), "end"),
    ]
    for i in range(_TICKS + 1):
        mg = top_mg * i / _TICKS
        parts.append(_line(_LEFT, y(mg), _PROGRESS_RIGHT, y(mg), 'stroke="#bbb" stroke-width="0.75"'))
        parts.append(_text(_LEFT - 8, y(mg) + 4, _mg(mg), "end"))
    for i in range(_TICKS + 1):
        day = round(chart.days * i / _TICKS)
        parts.append(_line(x(day), _PROGRESS_BOTTOM, x(day), _PROGRESS_BOTTOM + 5, 'stroke="#000"'))
        parts.append(_text(x(day), _PROGRESS_BOTTOM + 18, short_date(chart.first_day + dt.timedelta(days=day))))
    parts.append(_line(_LEFT, _PROGRESS_TOP, _LEFT, _PROGRESS_BOTTOM, 'stroke="#000"'))
    parts.append(_line(_LEFT, _PROGRESS_BOTTOM, _PROGRESS_RIGHT, _PROGRESS_BOTTOM, 'stroke="#000"'))
    if chart.plan:
        parts.append(polyline(chart.plan, _PLAN_STYLE))
        parts.append(
            _line(
                _PROGRESS_RIGHT + 12,
                40,
                _PROGRESS_RIGHT + 36,
                40,
                'stroke="#555" stroke-width="1.5" stroke-dasharray="6 4"',
            )
        )
        parts.append(_text(_PROGRESS_RIGHT + 40, 44, _("plan"), "start"))
    parts.append(polyline(chart.actual, 'stroke="#000" stroke-width="2.5"'))
    parts.append(_line(_PROGRESS_RIGHT + 12, 24, _PROGRESS_RIGHT + 36, 24, 'stroke="#000" stroke-width="2.5"'))
    parts.append(_text(_PROGRESS_RIGHT + 40, 28, _("taken"), "start"))
    parts.append("</svg>")
    return Markup("\n".join(parts))
