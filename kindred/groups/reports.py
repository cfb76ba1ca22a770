"""The funder report: a group's year (or any period) in figures, from normal use — no extra data entry.

Counts only, never names: a funder learns how many people came, not who they were.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Count, Min, Q, Sum
from django.utils import timezone

from kindred.core.errors import AppError

from .funds import balance_pence, pounds
from .models import (
    Attendance,
    CommitteeRole,
    Group,
    GroupMembership,
    GroupRole,
    LedgerCategory,
    LedgerDirection,
    LedgerEntry,
    Meeting,
    MeetingStatus,
    RotaSlot,
)

MAX_PERIOD_DAYS = 3 * 366


class ReportError(AppError):
    """A period we can't report on, explained kindly."""


@dataclass
class CategoryLine:
    label: str
    income_pence: int
    spending_pence: int


@dataclass
class FunderReport:
    group: Group
    start: date
    end: date
    generated_at: datetime
    meetings_held: int = 0
    meetings_cancelled: int = 0
    attendances: int = 0
    unique_people: int = 0
    first_timers: int = 0
    role_counts: list[tuple[str, int]] = field(default_factory=list)
    people_in_roles: int = 0
    opening_balance_pence: int = 0
    income_pence: int = 0
    spending_pence: int = 0
    closing_balance_pence: int = 0
    categories: list[CategoryLine] = field(default_factory=list)

    @property
    def average_per_meeting(self) -> float:
        return round(self.attendances / self.meetings_held, 1) if self.meetings_held else 0.0

    @property
    def period_label(self) -> str:
        return f"{self.start:%-d %B %Y} to {self.end:%-d %B %Y}"


def _bounds(start: date, end: date, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """The period's first and last local days, whole, in the group's time zone."""
    return (
        datetime.combine(start, time.min, tzinfo=zone),
        datetime.combine(end + timedelta(days=1), time.min, tzinfo=zone),
    )


def check_period(start: date | None, end: date | None) -> tuple[date, date]:
    if start is None or end is None:
        raise ReportError("Please give both a start date and an end date.")
    if end < start:
        raise ReportError("The end date is before the start date. Please swap them round.")
    if (end - start).days > MAX_PERIOD_DAYS:
        raise ReportError("Please choose a period of three years or less.")
    return start, end


def funder_report(group: Group, start: date, end: date, *, now: datetime | None = None) -> FunderReport:
    start, end = check_period(start, end)
    now = now or timezone.now()
    since, until = _bounds(start, end, group.zone)
    until_now = min(until, now)
    report = FunderReport(group=group, start=start, end=end, generated_at=now)

    in_period = Meeting.objects.filter(group=group, starts_at__gte=since, starts_at__lt=until_now)
    held = in_period.exclude(status=MeetingStatus.CANCELLED)
    report.meetings_held = held.count()
    report.meetings_cancelled = in_period.filter(status=MeetingStatus.CANCELLED).count()

    present = Attendance.objects.filter(meeting__in=held, present=True)
    report.attendances = present.count()
    report.unique_people = present.values("person").distinct().count()
    # A first-timer: someone whose first time present at this group (ever) falls in the period.
    firsts = (
        Attendance.objects.filter(meeting__group=group, present=True)
        .exclude(meeting__status=MeetingStatus.CANCELLED)
        .values("person")
        .annotate(first=Min("meeting__starts_at"))
        .filter(first__gte=since, first__lt=until_now)
    )
    report.first_timers = firsts.count()

    # Roles: everyone whose place in the group overlapped the period in a role beyond "member", and
    # anyone who facilitated a meeting held in it (the rota).
    overlapping = GroupMembership.objects.filter(group=group, joined_at__lt=until).filter(
        Q(left_at__isnull=True) | Q(left_at__gte=since)
    )
    holders: dict[str, set[int]] = {}
    for person_id, role, committee in overlapping.values_list("person_id", "role", "committee_role"):
        if role != GroupRole.MEMBER:
            holders.setdefault(GroupRole(role).label, set()).add(person_id)
        if committee:
            holders.setdefault(CommitteeRole(committee).label, set()).add(person_id)
    rota = set(
        RotaSlot.objects.filter(meeting__in=held, facilitator__isnull=False).values_list("facilitator_id", flat=True)
    )
    if rota:
        holders.setdefault("Facilitated a meeting", set()).update(rota)
    order = [*GroupRole.labels, *CommitteeRole.labels, "Facilitated a meeting"]
    report.role_counts = sorted(((label, len(ids)) for label, ids in holders.items()), key=lambda r: order.index(r[0]))
    report.people_in_roles = len(set().union(*holders.values())) if holders else 0

    entries = LedgerEntry.objects.filter(group=group, on__gte=start, on__lte=end)
    report.opening_balance_pence = balance_pence(group.pk, before=start)
    sums = {
        (row["category"], row["direction"]): row["total"]
        for row in entries.values("category", "direction").annotate(total=Sum("amount_pence")).order_by()
    }
    for category in LedgerCategory:
        income = sums.get((category.value, LedgerDirection.INCOME.value), 0) or 0
        spending = sums.get((category.value, LedgerDirection.SPENDING.value), 0) or 0
        if income or spending:
            report.categories.append(CategoryLine(label=category.label, income_pence=income, spending_pence=spending))
    report.income_pence = sum(c.income_pence for c in report.categories)
    report.spending_pence = sum(c.spending_pence for c in report.categories)
    report.closing_balance_pence = report.opening_balance_pence + report.income_pence - report.spending_pence
    return report


def meetings_per_month(group: Group, start: date, end: date) -> list[tuple[str, int]]:
    since, until = _bounds(start, end, group.zone)
    rows = (
        Meeting.objects.filter(group=group, starts_at__gte=since, starts_at__lt=min(until, timezone.now()))
        .exclude(status=MeetingStatus.CANCELLED)
        .values_list("starts_at", flat=True)
    )
    counts: dict[str, int] = {}
    for starts_at in rows:
        key = starts_at.astimezone(group.zone).strftime("%Y-%m")
        counts[key] = counts.get(key, 0) + 1
    return sorted(counts.items())


# --- Files ---------------------------------------------------------------------------------------------------


def report_rows(report: FunderReport) -> list[tuple[str, str, str]]:
    """(section, measure, value) — the CSV, and the order the PDF follows."""
    rows = [
        ("Group", "Name", report.group.name),
        ("Group", "Organisation", report.group.organisation.name),
        ("Group", "Period", f"{report.start.isoformat()} to {report.end.isoformat()}"),
        ("Meetings", "Meetings held", str(report.meetings_held)),
        ("Meetings", "Meetings cancelled", str(report.meetings_cancelled)),
        ("Attendance", "Attendances (people present, counted per meeting)", str(report.attendances)),
        ("Attendance", "Unique people", str(report.unique_people)),
        ("Attendance", "First-timers", str(report.first_timers)),
        ("Attendance", "Average per meeting", f"{report.average_per_meeting:.1f}"),
        ("Roles", "People who took on a role", str(report.people_in_roles)),
    ]
    rows += [("Roles", label, str(count)) for label, count in report.role_counts]
    rows += [
        ("Funds", "Opening balance (GBP)", f"{report.opening_balance_pence / 100:.2f}"),
        ("Funds", "Money in (GBP)", f"{report.income_pence / 100:.2f}"),
        ("Funds", "Money out (GBP)", f"{report.spending_pence / 100:.2f}"),
        ("Funds", "Closing balance (GBP)", f"{report.closing_balance_pence / 100:.2f}"),
    ]
    for line in report.categories:
        if line.income_pence:
            rows.append(("Funds: money in", line.label, f"{line.income_pence / 100:.2f}"))
        if line.spending_pence:
            rows.append(("Funds: money out", line.label, f"{line.spending_pence / 100:.2f}"))
    return rows


def _csv_safe(value: str) -> str:
    # A cell starting with = + - @ would run as a formula in a spreadsheet; a leading quote keeps it text.
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def report_csv(report: FunderReport) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["section", "measure", "value"])
    for section, measure, value in report_rows(report):
        writer.writerow([_csv_safe(section), _csv_safe(measure), _csv_safe(value)])
    return out.getvalue()


def report_pdf(report: FunderReport) -> bytes:
    from xml.sax.saxutils import escape

    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        title=f"{report.group.name}: report for {report.period_label}",
        author=report.group.organisation.name,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
    )
    styles = getSampleStyleSheet()
    story = [
        Paragraph(escape(report.group.name), styles["Title"]),
        Paragraph(escape(f"Run with {report.group.organisation.name}. {report.period_label}."), styles["Normal"]),
        Spacer(1, 6 * mm),
    ]

    def table(title: str, rows: list[tuple[str, str]]) -> None:
        story.append(Paragraph(escape(title), styles["Heading2"]))
        t = Table([[escape(a), escape(b)] for a, b in rows], colWidths=[110 * mm, 55 * mm])
        t.setStyle(
            TableStyle(
                [
                    ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.grey),
                    ("ALIGN", (1, 0), (1, -1), "RIGHT"),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ]
            )
        )
        story.append(t)
        story.append(Spacer(1, 4 * mm))

    table(
        "Meetings and attendance",
        [
            ("Meetings held", str(report.meetings_held)),
            ("Meetings cancelled", str(report.meetings_cancelled)),
            ("Attendances (people present, counted per meeting)", str(report.attendances)),
            ("Unique people", str(report.unique_people)),
            ("First-timers", str(report.first_timers)),
            ("Average per meeting", f"{report.average_per_meeting:.1f}"),
        ],
    )
    table(
        "People who took on roles",
        [("People who took on a role", str(report.people_in_roles)), *[(k, str(v)) for k, v in report.role_counts]],
    )
    money = [
        ("Opening balance", pounds(report.opening_balance_pence)),
        *[(f"In: {c.label}", pounds(c.income_pence)) for c in report.categories if c.income_pence],
        *[(f"Out: {c.label}", pounds(c.spending_pence)) for c in report.categories if c.spending_pence],
        ("Money in", pounds(report.income_pence)),
        ("Money out", pounds(report.spending_pence)),
        ("Closing balance", pounds(report.closing_balance_pence)),
    ]
    table("Funds", money)
    story.append(
        Paragraph(
            escape(
                f"Made by Kindred on {report.generated_at.astimezone(report.group.zone):%-d %B %Y} from the "
                "group's own "
                "records. Figures count people, never name them."
            ),
            styles["Italic"],
        )
    )
    doc.build(story)
    return buffer.getvalue()


def report_filename(report: FunderReport, extension: str) -> str:
    return f"{report.group.slug}-report-{report.start.isoformat()}-to-{report.end.isoformat()}.{extension}"


def count_check(group: Group) -> dict[str, int]:
    """Small helper for the funds page: entries and receipts held."""
    return LedgerEntry.objects.filter(group=group).aggregate(
        entries=Count("id"), receipts=Count("id", filter=Q(receipt_size__gt=0))
    )
