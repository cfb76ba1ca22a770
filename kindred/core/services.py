from __future__ import annotations

from typing import Any

from django.db import models

from .models import AuditEvent


def audit_record(
    *,
    actor: Any | None,
    action: str,
    subject: models.Model | None = None,
    organisation: Any | None = None,
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one audit row. Call inside the service's transaction so it commits or rolls back with it."""
    subject_type = subject._meta.label_lower if subject is not None else ""
    subject_id = str(getattr(subject, "public_id", None) or getattr(subject, "pk", "") or "") if subject else ""
    return AuditEvent.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        organisation=organisation,
        action=action,
        subject_type=subject_type,
        subject_id=subject_id,
        detail=detail or {},
    )
