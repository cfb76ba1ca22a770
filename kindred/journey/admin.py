"""Engagements in the admin: read-only and for superusers only (only the spine records them)."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest

from kindred.commons.models import Engagement
from kindred.organisations.admin import ReadOnlyAdmin, is_operator


@admin.register(Engagement)
class EngagementAdmin(ReadOnlyAdmin):
    list_display = ("person", "form", "role", "subject_label", "organisation", "started_at", "ended_at", "end_reason")
    list_filter = ("form", "role", "end_reason")
    list_select_related = ("person", "organisation")
    search_fields = ("subject_label",)
    date_hierarchy = "started_at"
    exclude = ("subject_type", "subject_id")

    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_operator(request)

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return is_operator(request)
