"""The funder report: every figure checked against the data it came from, in the page, the CSV and the PDF."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from kindred.core.models import AuditEvent
from kindred.groups.models import GroupMembership, LedgerEntry, RotaSlot
from kindred.testing.clients import client_for

from .more_helpers import make_group, meeting_at, new_person, present, text

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")


def at(y: int, m: int, d: int, h: int = 19) -> datetime:
    return datetime(y, m, d, h, 0, tzinfo=LONDON)


@pytest.fixture
def year(personas):
    personas.member.display_name = "Juniper Quill"
    personas.member.save(update_fields=["display_name"])
    group = make_group(personas)
    newcomer = new_person(personas, "newcomer")
    late = new_person(personas, "late")
    from .more_helpers import join

    join(group, newcomer)
    join(group, late)
    GroupMembership.objects.filter(group=group).update(joined_at=at(2024, 1, 1))
    GroupMembership.objects.filter(group=group, person=personas.peer).update(role="welcome_buddy")
    GroupMembership.objects.filter(group=group, person=personas.member).update(committee_role="treasurer")

    before = meeting_at(group, at(2024, 12, 17))
    jan7 = meeting_at(group, at(2025, 1, 7))
    jan14 = meeting_at(group, at(2025, 1, 14))
    meeting_at(group, at(2025, 2, 4), cancelled=True)
    mar4 = meeting_at(group, at(2025, 3, 4))
    after = meeting_at(group, at(2025, 4, 1))
    present(before, personas.member)
    present(jan7, personas.member, personas.peer, personas.facilitator)
    present(jan14, personas.member, newcomer)
    present(mar4, newcomer)
    present(after, late)
    RotaSlot.objects.create(meeting=jan7, facilitator=personas.facilitator)

    def money(direction: str, category: str, pence: int, on: date) -> None:
        LedgerEntry.objects.create(group=group, direction=direction, category=category, amount_pence=pence, on=on)

    money("income", "grant", 10000, date(2024, 12, 1))
    money("income", "grant", 30000, date(2025, 1, 10))
    money("spending", "room_hire", 4000, date(2025, 2, 1))
    money("spending", "refreshments", 1250, date(2025, 3, 1))
    money("spending", "travel", 500, date(2025, 4, 2))
    return group


PERIOD = {"start": "2025-01-01", "end": "2025-03-31"}


def test_the_csv_figures_match_the_meetings_attendance_roles_and_ledger(personas, year) -> None:
    response = client_for(personas.facilitator).get(
        reverse("groups:funds_report_file", kwargs={"slug": year.slug, "extension": "csv"}), PERIOD
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert f"{year.slug}-report-2025-01-01-to-2025-03-31.csv" in response["Content-Disposition"]
    rows = {(r["section"], r["measure"]): r["value"] for r in csv.DictReader(io.StringIO(response.content.decode()))}
    assert rows[("Meetings", "Meetings held")] == "3"
    assert rows[("Meetings", "Meetings cancelled")] == "1"
    assert rows[("Attendance", "Attendances (people present, counted per meeting)")] == "6"
    assert rows[("Attendance", "Unique people")] == "4"
    # The member first came in December 2024; the peer, the facilitator and the newcomer came first in the period.
    assert rows[("Attendance", "First-timers")] == "3"
    assert rows[("Attendance", "Average per meeting")] == "2.0"
    assert rows[("Roles", "People who took on a role")] == "3"
    assert rows[("Roles", "Facilitator")] == "1"
    assert rows[("Roles", "Welcome buddy")] == "1"
    assert rows[("Roles", "Treasurer")] == "1"
    assert rows[("Roles", "Facilitated a meeting")] == "1"
    assert rows[("Funds", "Opening balance (GBP)")] == "100.00"
    assert rows[("Funds", "Money in (GBP)")] == "300.00"
    assert rows[("Funds", "Money out (GBP)")] == "52.50"
    assert rows[("Funds", "Closing balance (GBP)")] == "347.50"
    assert rows[("Funds: money out", "Room hire")] == "40.00"
    assert rows[("Funds: money out", "Refreshments")] == "12.50"
    assert ("Funds: money out", "Travel") not in rows  # April is outside the period
    # Never names: nobody's display name is in a funder's file.
    personas.member.refresh_from_db()
    assert personas.member.display_name == "Juniper Quill"
    assert "Juniper" not in response.content.decode()
    assert AuditEvent.objects.filter(action="groups.funder_report_downloaded", detail__format="csv").exists()


def test_the_page_and_the_pdf_show_the_same_report(personas, year) -> None:
    client = client_for(personas.facilitator)
    page = client.get(reverse("groups:funds_report", kwargs={"slug": year.slug}), PERIOD)
    assert page.status_code == 200
    body = text(page)
    assert "1 January 2025 to 31 March 2025" in body
    assert "<dt>Unique people</dt><dd>4</dd>" in body
    assert "<dt>Closing balance</dt><dd>£347.50</dd>" in body

    pdf = client.get(reverse("groups:funds_report_file", kwargs={"slug": year.slug, "extension": "pdf"}), PERIOD)
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF-")
    assert len(pdf.content) > 1000


def test_a_period_that_makes_no_sense_gets_a_kind_message(personas, year) -> None:
    client = client_for(personas.facilitator)
    url = reverse("groups:funds_report", kwargs={"slug": year.slug})
    response = client.get(url, {"start": "2025-03-31", "end": "2025-01-01"})
    assert response.status_code == 400
    assert "swap them round" in text(response)
    response = client.get(
        reverse("groups:funds_report_file", kwargs={"slug": year.slug, "extension": "csv"}), {"start": "soon"}
    )
    assert response.status_code == 400
    assert "Please give an end date." in text(response)


def test_only_the_money_keepers_may_have_the_report(personas, year) -> None:
    url = reverse("groups:funds_report_file", kwargs={"slug": year.slug, "extension": "pdf"})
    assert client_for(personas.peer).get(url, PERIOD).status_code == 403
    assert client_for(personas.outsider).get(url, PERIOD).status_code == 404
    assert client_for(personas.outside_coordinator).get(url, PERIOD).status_code == 404
    assert client_for(personas.member).get(url, PERIOD).status_code == 200  # the treasurer
    assert client_for(personas.facilitator).post(url, PERIOD).status_code == 405
    assert client_for(personas.facilitator).get(url.replace(".pdf", ".exe"), PERIOD).status_code == 404
