"""Server-rendered SVG charts of check-ins over time, with the periods of each form shaded behind.

Plain SVG built here (no JavaScript, no library): one small chart per line (ONS4 has four questions, so four
small charts; the others one each), sharing the same time axis. Periods of one-to-one, group and online support
are drawn twice: lightly shaded behind the line, each form with its own pattern, and as labelled lanes under the
axis, so the legend never relies on colour alone. The page also has a plain table of every check-in.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from uuid import UUID

from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from kindred.commons.models import Form

from .measures import MEASURES, band_for

WIDTH = 420
LEFT = 84  # room for lane labels and y-axis ticks
RIGHT = 12
TOP = 12
PLOT_HEIGHT = 120
LANE_HEIGHT = 12
LANE_GAP = 3
MAX_DOTS = 120
AXIS_GAP = 22  # room for the year labels between the plot and the lanes

# Each form: a short lane label, the pattern drawn behind, and its colours (fill, stroke).
FORM_STYLES: dict[str, tuple[str, str, str]] = {
    Form.ONE_TO_ONE: ("One-to-one", "#f3d6b8", "#a4571a"),
    Form.GROUP: ("Groups", "#cfe3f5", "#1f5f99"),
    Form.ONLINE: ("Online", "#dcefd6", "#2f6f2a"),
}
FORM_ORDER = (Form.ONE_TO_ONE, Form.GROUP, Form.ONLINE)
# How each pattern looks, in words, for the key: the legend never relies on colour alone.
PATTERN_WORDS = {Form.ONE_TO_ONE: "diagonal stripes", Form.GROUP: "dots", Form.ONLINE: "horizontal lines"}


def _pattern(form: str, pid: str) -> str:
    _, fill, stroke = FORM_STYLES[form]
    if form == Form.ONE_TO_ONE:  # diagonal stripes
        stripes = "M-2,2 l4,-4 M0,8 l8,-8 M6,10 l4,-4"
        inner = f'<rect width="8" height="8" fill="{fill}"/><path d="{stripes}" stroke="{stroke}" stroke-width="1"/>'
    elif form == Form.GROUP:  # dots
        inner = f'<rect width="8" height="8" fill="{fill}"/><circle cx="4" cy="4" r="1.4" fill="{stroke}"/>'
    else:  # horizontal lines
        inner = f'<rect width="8" height="8" fill="{fill}"/><path d="M0,4 h8" stroke="{stroke}" stroke-width="1"/>'
    return f'<pattern id="{pid}" width="8" height="8" patternUnits="userSpaceOnUse">{inner}</pattern>'


def legend_swatch(form: str) -> SafeString:
    """A small inline SVG of a form's pattern, for the legend beside its name."""
    pid = f"wb-legend-{form}"
    return mark_safe(  # noqa: S308 - built from constants only
        f'<svg class="wb-swatch" width="24" height="14" viewBox="0 0 24 14" aria-hidden="true" focusable="false">'
        f'<defs>{_pattern(form, pid)}</defs><rect width="24" height="14" fill="url(#{pid})" stroke="#333"/></svg>'
    )


@dataclass(frozen=True)
class Panel:
    key: str  # e.g. "ons4-happiness"
    measure: str
    title: str
    description: str
    svg: SafeString
    count: int


@dataclass(frozen=True)
class Point:
    at: datetime
    value: int


def _ticks(top: int) -> list[int]:
    if top <= 10:
        return [0, 5, 10] if top == 10 else [0, top]
    return [0, top // 2, top]


def _years(start: datetime, end: datetime) -> list[datetime]:
    years = []
    year = start.year + 1
    while year <= end.year:
        years.append(start.replace(year=year, month=1, day=1, hour=0, minute=0, second=0, microsecond=0))
        year += 1
    if len(years) > 8:  # keep a long history readable on a phone
        step = -(-len(years) // 8)
        years = years[::step]
    return years


def _panel_svg(
    *,
    pid: str,
    title: str,
    description: str,
    points: Sequence[Point],
    scale_min: int,
    scale_max: int,
    periods: Mapping[str, Sequence[object]],
    start: datetime,
    end: datetime,
) -> str:
    lanes_top = TOP + PLOT_HEIGHT + AXIS_GAP
    height = lanes_top + len(FORM_ORDER) * (LANE_HEIGHT + LANE_GAP) + 4
    plot_width = WIDTH - LEFT - RIGHT
    span = max((end - start).total_seconds(), 1.0)

    def x(at: datetime) -> float:
        return LEFT + plot_width * min(max((at - start).total_seconds() / span, 0.0), 1.0)

    def y(value: float) -> float:
        return TOP + PLOT_HEIGHT * (1 - (value - scale_min) / max(scale_max - scale_min, 1))

    parts: list[str] = [
        f'<svg class="wb-chart" viewBox="0 0 {WIDTH} {height}" role="img" aria-labelledby="{pid}-t {pid}-d" '
        f'preserveAspectRatio="xMinYMin meet">',
        f'<title id="{pid}-t">{escape(title)}</title><desc id="{pid}-d">{escape(description)}</desc>',
        "<defs>" + "".join(_pattern(form, f"{pid}-{form}") for form in FORM_ORDER) + "</defs>",
    ]
    # Periods of each form: faint behind the plot, and as labelled lanes underneath.
    for index, form in enumerate(FORM_ORDER):
        label = FORM_STYLES[form][0]
        lane_y = lanes_top + index * (LANE_HEIGHT + LANE_GAP)
        parts.append(f'<text x="{LEFT - 6}" y="{lane_y + LANE_HEIGHT - 2}" text-anchor="end">{label}</text>')
        parts.append(f'<rect x="{LEFT}" y="{lane_y}" width="{plot_width}" height="{LANE_HEIGHT}" class="wb-lane"/>')
        for period in periods.get(form, ()):
            x1, x2 = x(period.start), x(period.end)  # type: ignore[attr-defined]
            w = max(x2 - x1, 1.5)
            parts.append(
                f'<rect x="{x1:.1f}" y="{TOP}" width="{w:.1f}" height="{PLOT_HEIGHT}" fill="url(#{pid}-{form})" '
                'class="wb-shade"/>'
            )
            parts.append(
                f'<rect x="{x1:.1f}" y="{lane_y}" width="{w:.1f}" height="{LANE_HEIGHT}" fill="url(#{pid}-{form})" '
                'stroke="#333" stroke-width="0.5"/>'
            )
    # Axes, gridlines and labels.
    for tick in _ticks(scale_max):
        ty = y(tick)
        parts.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{ty:.1f}" y2="{ty:.1f}" class="wb-grid"/>')
        parts.append(f'<text x="{LEFT - 6}" y="{ty + 4:.1f}" text-anchor="end" class="wb-tick">{tick}</text>')
    axis_y = TOP + PLOT_HEIGHT
    parts.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{axis_y}" y2="{axis_y}" class="wb-axis"/>')
    for year in _years(start, end):
        yx = x(year)
        parts.append(f'<line x1="{yx:.1f}" x2="{yx:.1f}" y1="{axis_y}" y2="{axis_y + 4}" class="wb-axis"/>')
        parts.append(f'<text x="{yx:.1f}" y="{axis_y + 16}" text-anchor="middle" class="wb-tick">{year.year}</text>')
    # The line and a mark for each check-in.
    if points:
        coords = [(x(p.at), y(p.value)) for p in points]
        path = " ".join(f"{px:.1f},{py:.1f}" for px, py in coords)
        parts.append(f'<polyline points="{path}" class="wb-line"/>')
        # A dot for each check-in while they can be told apart; a long history is drawn as the line alone.
        if len(coords) <= MAX_DOTS:
            radius = 2.2 if len(coords) > 40 else 3.5
            parts.extend(f'<circle cx="{px:.1f}" cy="{py:.1f}" r="{radius}" class="wb-point"/>' for px, py in coords)
    parts.append("</svg>")
    return "".join(parts)


def build_panels(
    checkins: Iterable[object],
    periods: Mapping[str, Sequence[object]],
    *,
    now: datetime,
) -> list[Panel]:
    """One panel per line to draw, for each measure the person has used. Cheap: no queries, one pass."""
    by_series: dict[tuple[str, str], list[Point]] = {}
    first: datetime | None = None
    for checkin in checkins:
        measure = MEASURES.get(checkin.measure)  # type: ignore[attr-defined]
        if measure is None:
            continue
        at = checkin.taken_at  # type: ignore[attr-defined]
        first = at if first is None or at < first else first
        for key, _ in measure.series:
            value = checkin.scores.get(key)  # type: ignore[attr-defined]
            if value is not None:
                by_series.setdefault((measure.code, key), []).append(Point(at, value))
    if first is None:
        return []
    period_starts = [p.start for items in periods.values() for p in items]  # type: ignore[attr-defined]
    start = min([first, *period_starts])
    start -= timedelta(days=14)
    end = now
    panels = []
    for code, measure in MEASURES.items():
        for key, label in measure.series:
            points = by_series.get((code, key))
            if not points:
                continue
            points.sort(key=lambda p: p.at)
            latest = points[-1]
            band = band_for(code, key, latest.value)
            title = label if measure.totalled is False else f"{measure.short_name}: total score"
            low = measure.total_range[0] if measure.totalled else measure.minimum
            description = (
                f"{len(points)} check-ins from {points[0].at:%B %Y} to {latest.at:%B %Y}. Latest {latest.value}"
                f"{f' ({band})' if band else ''}, on a scale of {low}"
                f" to {measure.scale_max}. Shaded behind: periods of one-to-one, group and online support."
            )
            pid = f"wb-{code}-{key}"
            svg = _panel_svg(
                pid=pid,
                title=title,
                description=description,
                points=points,
                scale_min=0,
                scale_max=measure.scale_max,
                periods=periods,
                start=start,
                end=end,
            )
            panels.append(Panel(pid, code, title, description, mark_safe(svg), len(points)))  # noqa: S308
    return panels


@lru_cache(maxsize=512)
def _score_words(code: str, key: str, label: str, value: int) -> str:
    band = band_for(code, key, value)
    return f"{label} {value}" + (f" ({band})" if band else "")


def table_rows(checkins: Iterable[object]) -> list[dict[str, object]]:
    """Every check-in, newest first, in words, with its date and link worked out here (one reverse() for all)."""
    placeholder = UUID(int=0)
    link = reverse("wellbeing:result", args=[placeholder]).replace(str(placeholder), "{}")
    zone = timezone.get_current_timezone()
    rows = []
    for checkin in checkins:
        measure = MEASURES.get(checkin.measure)  # type: ignore[attr-defined]
        if measure is None:
            continue
        scores = checkin.scores  # type: ignore[attr-defined]
        words = [
            _score_words(measure.code, key, label, scores[key])
            for key, label in measure.series
            if isinstance(scores.get(key), int)
        ]
        local = checkin.taken_at.astimezone(zone)  # type: ignore[attr-defined]
        rows.append(
            {
                "url": link.format(checkin.public_id),  # type: ignore[attr-defined]
                "date": f"{local.day} {local:%b %Y}",
                "measure": measure.short_name,
                "scores": "; ".join(words),
            }
        )
    rows.reverse()
    return rows


def table_body(rows: list[dict[str, object]]) -> SafeString:
    """The table's rows as HTML, built here rather than in a template loop: with hundreds of rows the template
    engine's per-variable work dominated the page. Nothing here comes from people: links are built from UUIDs,
    dates from datetimes, and the words from the measures' own labels and whole-number scores; the values are
    escaped anyway, in case that ever changes."""
    return mark_safe(  # noqa: S308 - escaped below
        "".join(
            f'<tr><td><a href="{row["url"]}">{row["date"]}</a></td>'
            f"<td>{_escape(row['measure'])}</td><td>{_escape(row['scores'])}</td></tr>"
            for row in rows
        )
    )


@lru_cache(maxsize=2048)
def _escape(text: object) -> str:
    return html.escape(str(text))
