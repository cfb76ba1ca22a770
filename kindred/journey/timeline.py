"""The journey drawn as numbers for a server-rendered SVG: lanes per form, a bar per engagement, breaks, moments.

Pure geometry — no queries. The template `journey/_timeline.html` turns it into SVG. The viewBox is fixed and the
SVG scales to the screen; the page also has a plain table of the same engagements, which is the accessible version.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from kindred.commons.models import EndReason, Engagement, EngagementRole, Form
from kindred.commons.spine import Period

from .models import Moment

WIDTH = 640
LEFT = 8
RIGHT = 14
PLOT = WIDTH - LEFT - RIGHT
MOMENT_BAND = 34  # the numbered moment markers along the top
AXIS = 22  # year labels under the markers
LANE_LABEL = 22
ROW = 18
BAR = 13
LANE_PAD = 10
MIN_BAR = 2.5
BREAK_MIN = timedelta(days=28)  # shorter gaps are drawn but not called out as breaks

LANES = (
    (Form.ONE_TO_ONE, "One-to-one"),
    (Form.GROUP, "Groups"),
    (Form.ONLINE, "Online"),
)

ROLE_STYLE = {
    # (fill, stroke, dash): colour plus a pattern or outline, so the role never rests on colour alone.
    EngagementRole.RECEIVING: ("#1d5c63", "#123d42", ""),
    EngagementRole.GIVING: ("url(#jr-giving)", "#8a4b00", ""),
    EngagementRole.FACILITATING: ("url(#jr-facilitating)", "#5b3f8c", ""),
    EngagementRole.READING: ("#ffffff", "#4a5560", "4 2"),
}

ROLE_LEGEND = (
    (EngagementRole.RECEIVING, "Receiving support", "solid"),
    (EngagementRole.GIVING, "Giving support", "diagonal stripes"),
    (EngagementRole.FACILITATING, "Facilitating", "criss-cross"),
    (EngagementRole.READING, "Reading", "dashed outline"),
)


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    fill: str
    stroke: str
    dash: str
    title: str


@dataclass(frozen=True)
class Gap:
    x1: float
    x2: float
    y: float
    title: str


@dataclass(frozen=True)
class Lane:
    form: str
    label: str
    y: float
    height: float
    label_y: float
    bars: list[Bar]
    gaps: list[Gap]
    shade: bool


@dataclass(frozen=True)
class Tick:
    x: float
    label: str


@dataclass(frozen=True)
class Marker:
    number: int
    x: float
    title: str


@dataclass(frozen=True)
class Break:
    form_label: str
    start: date
    end: date


@dataclass
class Timeline:
    width: int
    height: float
    lanes: list[Lane]
    ticks: list[Tick]
    markers: list[Marker]
    breaks: list[Break]
    today_x: float
    top: float
    summary: str
    first_year: int
    last_year: int
    marker_y: float = MOMENT_BAND / 2 + 2
    axis_y: float = MOMENT_BAND + AXIS - 6
    legend: tuple[tuple[str, str, str], ...] = field(default=ROLE_LEGEND)


def _stack(engagements: list[Engagement], now: datetime) -> list[tuple[Engagement, int]]:
    """Give overlapping engagements their own row within a lane (greedy interval partitioning)."""
    row_ends: list[datetime] = []
    placed: list[tuple[Engagement, int]] = []
    for engagement in sorted(engagements, key=lambda e: (e.started_at, e.id)):
        end = engagement.ended_at or now
        for index, row_end in enumerate(row_ends):
            if row_end <= engagement.started_at:
                row_ends[index] = end
                placed.append((engagement, index))
                break
        else:
            row_ends.append(end)
            placed.append((engagement, len(row_ends) - 1))
    return placed


def _month(d: date) -> str:
    return d.strftime("%b %Y")


def build(
    engagements: list[Engagement],
    moments: list[Moment],
    periods: dict[str, list[Period]],
    *,
    now: datetime,
    tz: ZoneInfo | None = None,
) -> Timeline | None:
    """Lay the journey out. None when there is nothing to draw yet."""
    if not engagements and not moments:
        return None
    tz = tz or timezone.get_current_timezone()
    local_today = timezone.localdate(now, tz)
    earliest = [timezone.localdate(e.started_at, tz) for e in engagements] + [m.happened_on for m in moments]
    latest = [timezone.localdate(e.ended_at, tz) for e in engagements if e.ended_at] + [m.happened_on for m in moments]
    first_year = min(earliest).year
    last_day = max([local_today, *latest])
    start = datetime(first_year, 1, 1, tzinfo=tz)
    end = datetime.combine(last_day + timedelta(days=1), datetime.min.time(), tzinfo=tz)
    span = (end - start).total_seconds()

    def x_of(moment: datetime) -> float:
        return round(LEFT + max(0.0, min(1.0, (moment - start).total_seconds() / span)) * PLOT, 1)

    def x_of_date(d: date) -> float:
        return x_of(datetime.combine(d, datetime.min.time(), tzinfo=tz))

    by_form: dict[str, list[Engagement]] = {form: [] for form, _ in LANES}
    for engagement in engagements:
        by_form[engagement.form].append(engagement)

    lanes: list[Lane] = []
    breaks: list[Break] = []
    y = float(MOMENT_BAND + AXIS)
    top = y
    for index, (form, label) in enumerate(LANES):
        placed = _stack(by_form[form], now)
        rows = max(1, 1 + max((row for _, row in placed), default=0))
        height = LANE_LABEL + rows * ROW + LANE_PAD
        bars = []
        for engagement, row in placed:
            x1 = x_of(engagement.started_at)
            x2 = x_of(engagement.ended_at or now)
            fill, stroke, dash = ROLE_STYLE[EngagementRole(engagement.role)]
            began = _month(timezone.localdate(engagement.started_at, tz))
            ended = _month(timezone.localdate(engagement.ended_at, tz)) if engagement.ended_at else "now"
            role = EngagementRole(engagement.role).label
            bars.append(
                Bar(
                    x=x1,
                    y=y + LANE_LABEL + row * ROW,
                    width=round(max(MIN_BAR, x2 - x1), 1),
                    fill=fill,
                    stroke=stroke,
                    dash=dash,
                    title=f"{engagement.subject_label} — {role}, {began} to {ended}",
                )
            )
        gaps = []
        form_periods = periods.get(form, [])
        for before, after in pairwise(form_periods):
            if after.start - before.end < BREAK_MIN:
                continue
            b_start, b_end = timezone.localdate(before.end, tz), timezone.localdate(after.start, tz)
            breaks.append(Break(label, b_start, b_end))
            gaps.append(
                Gap(
                    x1=x_of(before.end),
                    x2=x_of(after.start),
                    y=y + LANE_LABEL + BAR / 2,
                    title=f"A break from {label.lower()}: {_month(b_start)} to {_month(b_end)}",
                )
            )
        lanes.append(Lane(form, label, y, height, y + 16, bars, gaps, shade=index % 2 == 0))
        y += height

    years = last_day.year - first_year + 1
    step = max(1, math.ceil(years * 40 / PLOT))
    ticks = [
        Tick(x_of_date(date(year, 1, 1)), str(year))
        for year in range(first_year, last_day.year + 1, 1)
        if (year - first_year) % step == 0
    ]
    markers = [
        Marker(number, x_of_date(moment.happened_on), f"{number}. {moment.happened_on:%d %b %Y}: {moment.text}")
        for number, moment in enumerate(moments, start=1)
    ]
    counts = {form: len(items) for form, items in by_form.items()}
    summary = (
        f"Your journey from {first_year} to {last_day.year}: "
        f"{counts[Form.ONE_TO_ONE]} one-to-one, {counts[Form.GROUP]} group and {counts[Form.ONLINE]} online "
        f"engagements, {len(breaks)} breaks and {len(moments)} moments of your own. "
        "The same information is in the table below."
    )
    return Timeline(
        width=WIDTH,
        height=y + 4,
        lanes=lanes,
        ticks=ticks,
        markers=markers,
        breaks=breaks,
        today_x=x_of(now),
        top=top,
        summary=summary,
        first_year=first_year,
        last_year=last_day.year,
    )


# --- Markup ---------------------------------------------------------------------------------------------------------
# Built here rather than in a template loop: with hundreds of engagements, string joins are a few milliseconds where
# the template engine takes hundreds. Every piece of text that came from people goes through escape().

PATTERNS = (
    '<defs><pattern id="jr-giving" patternUnits="userSpaceOnUse" width="6" height="6" patternTransform="rotate(45)">'
    '<rect width="6" height="6" fill="#f6e7d6"/><rect width="3" height="6" fill="#8a4b00"/></pattern>'
    '<pattern id="jr-facilitating" patternUnits="userSpaceOnUse" width="6" height="6">'
    '<rect width="6" height="6" fill="#ece6f5"/><path d="M0 0L6 6M6 0L0 6" stroke="#5b3f8c" stroke-width="1.5"/>'
    "</pattern></defs>"
)


def svg_markup(tl: Timeline) -> SafeString:
    out = [
        f'<svg viewBox="0 0 {tl.width} {tl.height:g}" role="img" aria-labelledby="journey-svg-title journey-svg-desc"'
        ' class="journey-svg" preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="journey-svg-title">Your journey through one-to-one, group and online support, '
        f"{tl.first_year} to {tl.last_year}</title>",
        f'<desc id="journey-svg-desc">{escape(tl.summary)}</desc>',
        PATTERNS,
    ]
    # Lane shading first, then the year lines, then what is drawn on them: a line never runs through a label.
    for lane in tl.lanes:
        if lane.shade:
            out.append(f'<rect x="0" y="{lane.y:g}" width="{tl.width}" height="{lane.height:g}" fill="#f1f3f4"/>')
    for tick in tl.ticks:
        out.append(
            f'<line x1="{tick.x:g}" x2="{tick.x:g}" y1="{tl.top:g}" y2="{tl.height:g}" '
            'stroke="#c9cfd4" stroke-width="1"/>'
            f'<text x="{tick.x:g}" y="{tl.axis_y:g}" dx="2" font-size="14" fill="#1b1f23">{tick.label}</text>'
        )
    for lane in tl.lanes:
        out.append(f'<g class="journey-lane" data-form="{lane.form}">')
        out.append(
            f'<text x="8" y="{lane.label_y:g}" font-size="15" font-weight="700" fill="#1b1f23" '
            f'paint-order="stroke" stroke="{"#f1f3f4" if lane.shade else "#ffffff"}" stroke-width="4">'
            f"{lane.label}</text>"
        )
        for gap in lane.gaps:
            out.append(
                f'<line class="journey-break" x1="{gap.x1:g}" x2="{gap.x2:g}" y1="{gap.y:g}" y2="{gap.y:g}" '
                'stroke="#4a5560" stroke-width="1.5" stroke-dasharray="1 4" stroke-linecap="round">'
                f"<title>{escape(gap.title)}</title></line>"
            )
        for bar in lane.bars:
            dash = f' stroke-dasharray="{bar.dash}"' if bar.dash else ""
            out.append(
                f'<rect class="journey-bar" x="{bar.x:g}" y="{bar.y:g}" width="{bar.width:g}" height="{BAR}" rx="2" '
                f'fill="{bar.fill}" stroke="{bar.stroke}" stroke-width="1"{dash}>'
                f"<title>{escape(bar.title)}</title></rect>"
            )
        out.append("</g>")
    out.append(
        f'<line x1="{tl.today_x:g}" x2="{tl.today_x:g}" y1="{tl.top:g}" y2="{tl.height:g}" stroke="#1b1f23" '
        'stroke-width="1.5" stroke-dasharray="5 3"><title>Today</title></line>'
    )
    for marker in tl.markers:
        out.append(
            f'<g class="journey-moment"><title>{escape(marker.title)}</title>'
            f'<line x1="{marker.x:g}" x2="{marker.x:g}" y1="{tl.marker_y:g}" y2="{tl.height:g}" stroke="#8a4b00" '
            'stroke-width="1" stroke-dasharray="2 3"/>'
            f'<circle cx="{marker.x:g}" cy="{tl.marker_y:g}" r="10" fill="#fff" stroke="#8a4b00" stroke-width="2"/>'
            f'<text x="{marker.x:g}" y="{tl.marker_y:g}" dy="4.5" font-size="12" font-weight="700" '
            f'text-anchor="middle" fill="#1b1f23">{marker.number}</text></g>'
        )
    out.append("</svg>")
    return mark_safe("".join(out))  # noqa: S308 - every value above is a number, a constant or escaped


def _day(moment: datetime, tz: ZoneInfo) -> str:
    local = timezone.localtime(moment, tz)
    return f"{local.day} {local:%b %Y}"


def table_rows(engagements: list[Engagement], *, tz: ZoneInfo | None = None) -> SafeString:
    """The rows of the plain table (the accessible version of the drawing), oldest first."""
    tz = tz or timezone.get_current_timezone()
    forms, roles, reasons = dict(Form.choices), dict(EngagementRole.choices), dict(EndReason.choices)
    out = []
    for e in engagements:
        organisation = f' <span class="help">({escape(e.organisation.name)})</span>' if e.organisation else ""
        out.append(
            f'<tr data-form="{e.form}" data-role="{e.role}">'
            f'<th scope="row">{escape(e.subject_label)}{organisation}</th>'
            f"<td>{forms.get(e.form, e.form)}</td><td>{roles.get(e.role, e.role)}</td>"
            f"<td>{_day(e.started_at, tz)}</td><td>{_day(e.ended_at, tz) if e.ended_at else 'Still going'}</td>"
            f"<td>{reasons.get(e.end_reason, '') if e.end_reason else ''}</td></tr>"
        )
    return mark_safe("".join(out))  # noqa: S308 - people's words are escaped; the rest are our own labels
