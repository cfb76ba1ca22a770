"""The audit log in the admin: read-only. Superusers see every row; a coordinator sees their organisations' rows."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest

from kindred.core.models import AuditEvent

from .admin import TenantScopedAdmin


@admin.register(AuditEvent)
class AuditEventAdmin(TenantScopedAdmin):
    list_display = ("created_at", "action", "actor", "organisation", "subject_type", "subject_id")
    list_filter = ("action", ("organisation", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("actor", "organisation")
    search_fields = ("action", "subject_id")
    date_hierarchy = "created_at"
    fields = ("created_at", "action", "actor", "organisation", "subject_type", "subject_id", "detail")
    readonly_fields = fields

    # Nobody, not even a superuser, writes or rewrites the audit log by hand.
    def has_add_permission(self, request: HttpRequest, *args: object) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False
