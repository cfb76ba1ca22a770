"""The funds ledger through its pages: running balance, receipts checked by content, and who may see it."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from kindred.core.models import AuditEvent
from kindred.groups.models import GroupMembership, LedgerEntry
from kindred.testing.clients import client_for

from .more_helpers import make_group, text

pytestmark = pytest.mark.django_db


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (20, 30), "white").save(buffer, format="PNG")
    return buffer.getvalue()


def pdf_bytes() -> bytes:
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    sheet = canvas.Canvas(buffer)
    sheet.drawString(50, 750, "Hall hire £30")
    sheet.save()
    return buffer.getvalue()


def entry(**overrides: object) -> dict[str, object]:
    data = {"direction": "spending", "category": "room_hire", "amount": "30.00", "on": "2026-03-02", "note": "Hall"}
    data.update(overrides)
    return data


def test_the_facilitator_records_money_in_and_out_and_sees_the_running_balance(personas) -> None:
    group = make_group(personas)
    client = client_for(personas.facilitator)
    url = reverse("groups:funds", kwargs={"slug": group.slug})

    assert (
        client.post(url, entry(direction="income", category="grant", amount="£500", on="2026-01-10")).status_code == 302
    )
    assert client.post(url, entry(amount="30.00", on="2026-02-01")).status_code == 302
    assert client.post(url, entry(category="refreshments", amount="12.45", on="2026-02-08")).status_code == 302

    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "£457.55" in html  # 500 - 30 - 12.45
    assert "£470.00" in html  # the balance after the second entry
    rows = list(LedgerEntry.objects.filter(group=group).order_by("on").values_list("direction", "amount_pence"))
    assert rows == [("income", 50000), ("spending", 3000), ("spending", 1245)]
    assert AuditEvent.objects.filter(action="groups.ledger_entry_added").count() == 3


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("-30", "positive number"),
        ("0", "positive number"),
        ("twelve", "number of pounds"),
        ("12.345", "nearest penny"),
        ("", "enter an amount"),
        ("1000000", "larger than we can record"),
    ],
)
def test_a_bad_amount_gets_a_kind_message_and_nothing_is_stored(personas, amount: str, message: str) -> None:
    group = make_group(personas)
    response = client_for(personas.facilitator).post(
        reverse("groups:funds", kwargs={"slug": group.slug}), entry(amount=amount)
    )
    assert response.status_code == 400
    assert message in text(response)
    assert "There's a problem" in text(response)
    assert not LedgerEntry.objects.exists()


def test_a_receipt_is_kept_and_only_the_group_money_keepers_can_download_it(personas) -> None:
    group = make_group(personas)
    client = client_for(personas.facilitator)
    upload = SimpleUploadedFile("till receipt.png", png_bytes(), content_type="image/png")
    response = client.post(reverse("groups:funds", kwargs={"slug": group.slug}), {**entry(), "receipt": upload})
    assert response.status_code == 302
    stored = LedgerEntry.objects.get()
    assert stored.receipt_type == "image/png" and stored.receipt_name == "till receipt.png"

    receipt_url = reverse("groups:funds_receipt", kwargs={"slug": group.slug, "entry_id": stored.public_id})
    download = client.get(receipt_url)
    assert download.status_code == 200
    assert download["Content-Type"] == "image/png"
    assert download.content == png_bytes()
    assert "attachment" in download["Content-Disposition"]

    assert client_for(personas.member).get(receipt_url).status_code == 403
    assert client_for(personas.outsider).get(receipt_url).status_code == 404
    assert client_for(personas.outside_coordinator).get(receipt_url).status_code == 404


def test_the_type_comes_from_the_content_not_the_name(personas) -> None:
    group = make_group(personas)
    client = client_for(personas.facilitator)
    url = reverse("groups:funds", kwargs={"slug": group.slug})
    disguised_pdf = SimpleUploadedFile("photo.png", pdf_bytes(), content_type="image/png")
    assert client.post(url, {**entry(), "receipt": disguised_pdf}).status_code == 302
    assert LedgerEntry.objects.get().receipt_type == "application/pdf"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("receipt.jpg", b"MZ\x90\x00 this is a program, not a photo", "isn't one of those"),
        ("receipt.pdf", b"<html><script>alert(1)</script></html>", "isn't one of those"),
        ("receipt.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 200, "couldn't open that image"),
        ("receipt.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * (5 * 1024 * 1024), "too large"),
    ],
)
def test_wrong_or_oversize_receipts_are_refused_and_nothing_is_stored(personas, name, content, message) -> None:
    group = make_group(personas)
    upload = SimpleUploadedFile(name, content, content_type="image/jpeg")
    response = client_for(personas.facilitator).post(
        reverse("groups:funds", kwargs={"slug": group.slug}), {**entry(), "receipt": upload}
    )
    assert response.status_code == 400
    assert message in text(response)
    assert not LedgerEntry.objects.exists()


def test_the_treasurer_keeps_the_funds_other_members_may_not_and_outsiders_see_nothing(personas) -> None:
    group = make_group(personas)
    url = reverse("groups:funds", kwargs={"slug": group.slug})
    assert client_for(personas.member).get(url).status_code == 403
    assert client_for(personas.member).post(url, entry()).status_code == 403
    assert client_for(personas.outsider).get(url).status_code == 404
    assert client_for(personas.outside_coordinator).get(url).status_code == 404
    assert client_for(personas.coordinator).get(url).status_code == 200
    assert not LedgerEntry.objects.exists()

    GroupMembership.objects.filter(group=group, person=personas.member).update(committee_role="treasurer")
    assert client_for(personas.member).post(url, entry()).status_code == 302
    assert LedgerEntry.objects.count() == 1


def test_removing_an_entry_needs_a_post_and_the_right_role(personas) -> None:
    group = make_group(personas)
    client = client_for(personas.facilitator)
    client.post(reverse("groups:funds", kwargs={"slug": group.slug}), entry())
    stored = LedgerEntry.objects.get()
    url = reverse("groups:funds_remove", kwargs={"slug": group.slug, "entry_id": stored.public_id})
    assert client.get(url).status_code == 405
    assert client_for(personas.member).post(url).status_code == 403
    assert client_for(personas.outsider).post(url).status_code == 404
    assert LedgerEntry.objects.count() == 1
    assert client.post(url).status_code == 302
    assert not LedgerEntry.objects.exists()
    assert AuditEvent.objects.filter(action="groups.ledger_entry_removed").exists()


def test_the_funds_page_refuses_other_methods(personas) -> None:
    group = make_group(personas)
    assert client_for(personas.facilitator).put(reverse("groups:funds", kwargs={"slug": group.slug})).status_code == 405
