""" "My data": everything Kindred holds about one person, gathered from every app.

Each app that holds personal data registers an exporter in `kindred.accounts.personal_data` (from its own
`export.py`), returning JSON-serialisable data about that person only: other people appear at most by display name,
for context. A test fails if an app holds personal data and registered none; the registered order is the order of
the download and of the readable page.

What is deliberately not included (and why) is said in NOT_INCLUDED, which goes into the file and onto the page:
records an organisation keeps about a person (private notes by peer support workers, facilitators and supervisors,
reports others made, safeguarding notes) are the organisation's records, and may hold other people's data. The
person can ask the organisation for them under a subject access request.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone

from kindred.core.services import audit_record

from .models import User
from .personal_data import PersonalData, registered

log = logging.getLogger(__name__)

EXPORT_FORMAT_VERSION = 1


NOT_INCLUDED: tuple[str, ...] = (
    "Private notes that peer support workers, facilitators and supervisors keep about their work (session notes "
    "written by someone else, facilitator and incident notes, supervision records). They are the organisation's "
    "records and may include other people's information. You can ask the organisation for them: this is called "
    "a subject access request, and they must answer within one month.",
    "Reports other people made about your posts or messages, and who made them.",
    "A referral a professional made for you before you had an account, unless it was linked to your account: "
    "the organisation keeps it, and you can ask them for it.",
    "Other people's messages in chat rooms and spaces, other than in your own one-to-one conversations.",
    "Other people's emails, real names and profiles: people appear here only by the name they chose to show.",
    "The secrets of your API tokens and calendar link: Kindred keeps only fingerprints of them, which are of no "
    "use to you or anyone else.",
)


# Apps whose personal data another category exports: core's audit log is "your recorded actions" in "account".
COVERED_ELSEWHERE = {"core": "account"}


def apps_holding_personal_data() -> set[str]:
    """Kindred apps with at least one model that points at a person."""
    from django.apps import apps
    from django.conf import settings

    labels = set()
    for config in apps.get_app_configs():
        if not config.name.startswith("kindred."):
            continue
        for model in config.get_models():
            for field in model._meta.get_fields():
                related = getattr(field, "related_model", None)
                points_at_person = related is not None and related._meta.label == settings.AUTH_USER_MODEL
                if field.is_relation and not field.auto_created and points_at_person:
                    labels.add(config.label)
    return labels


def uncovered_apps() -> list[str]:
    """Apps holding personal data that have registered no exporter (see `kindred.accounts.personal_data`)."""
    exported = {_app_label(entry) for entry in registered()} | set(COVERED_ELSEWHERE)
    return sorted(apps_holding_personal_data() - exported)


def _app_label(entry: PersonalData) -> str:
    return entry.export.__module__.split(".")[1]


def iso(value: datetime | date | None) -> str | None:
    """A date or time as ISO 8601 (UTC for times), or None."""
    if value is None:
        return None
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = value.astimezone(UTC)
        return value.isoformat()
    return value.isoformat()


def display_name(user: Any) -> str | None:
    """How another person appears in someone's export: only the name they chose to show."""
    if user is None:
        return None
    return str(user.display_name)


def collect(user: User) -> dict[str, Any]:
    """Everything, as one JSON-serialisable dict. Reads only; the caller records the export in the audit log."""
    data: dict[str, Any] = {}
    missing: list[str] = []
    entries = registered()
    for entry in entries:
        try:
            data[entry.key] = entry.export(user)
        except Exception:  # one app's fault must not stop the person getting the rest: it is named in the file
            log.exception("My data: the %s exporter failed", entry.key)
            missing.append(entry.key)
    return {
        "about_this_file": {
            "format_version": EXPORT_FORMAT_VERSION,
            "generated_at": iso(timezone.now()),
            "account": str(user.public_id),
            "display_name": user.display_name,
            "categories": {e.key: {"title": e.label, "what": e.about} for e in entries if e.key in data},
            "not_included": list(NOT_INCLUDED),
            # Empty unless something is wrong with Kindred itself; said plainly rather than hidden.
            "could_not_gather": missing,
        },
        **data,
    }


def record_export(*, actor: User, fmt: str, via: str) -> None:
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="account.export",
            subject=actor,
            detail={"format": fmt, "via": via, "categories": [e.key for e in registered()]},
        )


def filename(today: date | None = None, *, ext: str = "json") -> str:
    today = today or timezone.localdate()
    return f"kindred-my-data-{today.isoformat()}.{ext}"


def json_chunks(data: dict[str, Any], *, chunk_size: int = 64 * 1024) -> Iterator[str]:
    """Encode as readable JSON, yielding ~64 kB pieces, so a long history is streamed rather than built twice."""
    buffer: list[str] = []
    size = 0
    for piece in DjangoJSONEncoder(indent=2, ensure_ascii=False).iterencode(data):
        buffer.append(piece)
        size += len(piece)
        if size >= chunk_size:
            yield "".join(buffer)
            buffer, size = [], 0
    buffer.append("\n")
    yield "".join(buffer)


# --- The readable page -------------------------------------------------------------------------------

_ISO_MOMENT = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?([+-]\d{2}:\d{2}|Z)?$")
_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def humanise(key: str) -> str:
    words = key.replace("_", " ").strip()
    return words[:1].upper() + words[1:]


def readable(value: Any) -> str:
    """One value as plain words for the HTML page (the JSON keeps the exact values)."""
    if value is None or value == "":
        return "—"
    if value is True:
        return "Yes"
    if value is False:
        return "No"
    if isinstance(value, datetime):
        value = iso(value)
    if isinstance(value, str):
        if _ISO_MOMENT.match(value):
            try:
                moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
            except ValueError:
                return value
            if timezone.is_aware(moment):
                moment = timezone.localtime(moment)
            return f"{moment:%-d %B %Y, %H:%M}"
        if _ISO_DAY.match(value):
            try:
                return f"{date.fromisoformat(value):%-d %B %Y}"
            except ValueError:
                return value
        return value
    if isinstance(value, list):
        if all(not isinstance(v, (dict, list)) for v in value):
            return ", ".join(readable(v) for v in value) or "—"
        return "; ".join(readable(v) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{humanise(str(k))}: {readable(v)}" for k, v in value.items()) or "—"
    return str(value)


@dataclass
class Table:
    """A section of the readable page: rows of records (with column headings) or a list of name/value pairs."""

    title: str
    columns: list[str]
    rows: list[list[str]]
    pairs: list[tuple[str, str]]
    empty: bool


def _is_records(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, dict) for v in value)


def _tables(title: str, value: Any) -> list[Table]:
    """One table for a section; records that hold records of their own (a conversation's messages, a goal's
    notes) get a table each after it, headed by what they belong to, so long histories stay readable."""
    if isinstance(value, list):
        records = [v if isinstance(v, dict) else {"value": v} for v in value]
        columns: list[str] = []
        nested: list[str] = []
        for record in records:
            for key, item in record.items():
                bucket = nested if _is_records(item) else columns
                if key not in columns and key not in nested:
                    bucket.append(key)
        rows = [[readable(record.get(c)) for c in columns] for record in records]
        tables = [Table(title, [humanise(c) for c in columns], rows, [], not records)]
        for number, record in enumerate(records, start=1):
            label = next((str(record[c]) for c in columns if isinstance(record.get(c), str) and record[c]), "")
            for key in nested:
                if _is_records(record.get(key)):
                    heading = f"{title} {number}" + (f" ({readable(label)})" if label else "") + f": {humanise(key)}"
                    tables.extend(_tables(heading, record[key]))
        return tables
    if isinstance(value, dict):
        pairs = [(humanise(str(k)), readable(v)) for k, v in value.items()]
        return [Table(title, [], [], pairs, not pairs)]
    return [Table(title, [], [], [(title, readable(value))], False)]


def page_sections(data: dict[str, Any]) -> list[dict[str, Any]]:
    """The collected data as headings and tables for accounts/my_data_page.html."""
    sections = []
    for category in registered():
        if category.key not in data:
            continue
        content = data[category.key]
        tables = (
            [table for k, v in content.items() for table in _tables(humanise(str(k)), v)]
            if isinstance(content, dict)
            else _tables(category.label, content)
        )
        sections.append({"key": category.key, "label": category.label, "about": category.about, "tables": tables})
    return sections
