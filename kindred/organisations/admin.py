"""The Django admin, scoped by tenant.

Superusers (the people who run the site) see everything. A coordinator — who gets `is_staff` with the
role — sees only their own organisations and those organisations' people, memberships, invitations and
crisis contacts. Other staff see nothing here. Writes go through the services so they are checked and
audited exactly as on the site's own pages.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponseRedirect
from django.urls import reverse

from kindred.accounts.models import User
from kindred.core import ratelimit

from .forms import formfield_assuming_https
from .models import CrisisResource, Invitation, Membership, Organisation, Role
from .services import (
    CRISIS_RESOURCE_FIELDS,
    ORGANISATION_DETAIL_FIELDS,
    ORGANISATION_OPERATOR_FIELDS,
    OrganisationError,
    crisis_resource_delete,
    crisis_resource_save,
    invitation_create,
    invitation_revoke,
    membership_grant,
    membership_revoke,
    organisation_create,
    organisation_delete,
    organisation_update,
)


def is_operator(request: HttpRequest) -> bool:
    return bool(request.user.is_active and request.user.is_superuser)


def coordinated_organisation_ids(request: HttpRequest) -> frozenset[int]:
    """Ids of the organisations the admin user coordinates (asked once per request)."""
    cached = getattr(request, "_kindred_coordinated_ids", None)
    if cached is None:
        user = request.user
        if not (user.is_authenticated and user.is_active and user.is_staff):
            cached = frozenset()
        else:
            cached = frozenset(
                Membership.objects.filter(user=user, role=Role.COORDINATOR).values_list("organisation_id", flat=True)
            )
        request._kindred_coordinated_ids = cached  # type: ignore[attr-defined]
    return cached


class TenantScopedAdmin(admin.ModelAdmin):
    """Limits a model's admin to the organisations the user coordinates, unless they are a superuser.

    Non-superusers' Django model permissions are not consulted: coordinating is what grants access,
    and the `coordinator_can_*` flags say what a coordinator may do with this model.
    """

    # The lookup from this model to its Organisation ("pk" for Organisation itself).
    organisation_lookup = "organisation"
    coordinator_can_add = False
    coordinator_can_change = False
    coordinator_can_delete = False

    def scope(self, queryset: QuerySet[Any], organisation_ids: frozenset[int]) -> QuerySet[Any]:
        return queryset.filter(**{f"{self.organisation_lookup}__in": organisation_ids})

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        queryset = super().get_queryset(request)
        if is_operator(request):
            return queryset
        ids = coordinated_organisation_ids(request)
        return self.scope(queryset, ids) if ids else queryset.none()

    def get_object(self, request: HttpRequest, object_id: str, from_field: str | None = None) -> Any:
        # Another organisation's row is simply "not found": never reveal that it exists.
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            raise Http404("Not found.")
        return obj

    def _is_coordinator(self, request: HttpRequest) -> bool:
        return bool(coordinated_organisation_ids(request))

    def _in_scope(self, request: HttpRequest, obj: Model | None) -> bool:
        return obj is None or self.get_queryset(request).filter(pk=obj.pk).exists()

    def has_module_permission(self, request: HttpRequest) -> bool:
        return super().has_module_permission(request) if is_operator(request) else self._is_coordinator(request)

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        if is_operator(request):
            return super().has_view_permission(request, obj)
        return self._is_coordinator(request) and self._in_scope(request, obj)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        if is_operator(request):
            return super().has_add_permission(request, *args)
        return self.coordinator_can_add and self._is_coordinator(request)

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        if is_operator(request):
            return super().has_change_permission(request, obj)
        return self.coordinator_can_change and self._is_coordinator(request) and self._in_scope(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        if is_operator(request):
            return super().has_delete_permission(request, obj)
        return self.coordinator_can_delete and self._is_coordinator(request) and self._in_scope(request, obj)

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if not is_operator(request):
            ids = coordinated_organisation_ids(request)
            if db_field.related_model is Organisation:
                kwargs["queryset"] = Organisation.objects.filter(pk__in=ids)
            elif db_field.related_model is User:
                kwargs["queryset"] = User.objects.filter(memberships__organisation__in=ids).distinct()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def _fail(self, request: HttpRequest, error: Exception | str) -> None:
        self.message_user(request, str(error), messages.ERROR)


class ReadOnlyAdmin(admin.ModelAdmin):
    """For records nobody edits by hand (audit rows, engagements)."""

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


@admin.register(Organisation)
class OrganisationAdmin(TenantScopedAdmin):
    organisation_lookup = "pk"
    coordinator_can_change = True
    list_display = ("name", "slug", "region", "created_at")
    search_fields = ("name", "slug", "region")
    fields = ("name", "slug", "region", "description", "safeguarding_policy", "created_at")
    prepopulated_fields = {"slug": ("name",)}

    def get_readonly_fields(self, request: HttpRequest, obj: Organisation | None = None) -> tuple[str, ...]:
        if is_operator(request):
            return ("created_at",)
        return ("name", "slug", "created_at")

    def get_prepopulated_fields(self, request: HttpRequest, obj: Organisation | None = None) -> dict[str, Any]:
        return self.prepopulated_fields if is_operator(request) else {}

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False  # deleting would take every group, space and record with it: close it from its page instead

    def save_model(self, request: HttpRequest, obj: Organisation, form: forms.ModelForm, change: bool) -> None:
        details = {
            field: form.cleaned_data[field] for field in ORGANISATION_DETAIL_FIELDS if field in form.cleaned_data
        }
        if not change:
            created = organisation_create(
                actor=request.user, name=form.cleaned_data["name"], slug=form.cleaned_data["slug"], **details
            )
            obj.pk, obj.created_at = created.pk, created.created_at
            return
        editable = ORGANISATION_DETAIL_FIELDS + (ORGANISATION_OPERATOR_FIELDS if is_operator(request) else ())
        changes = {field: form.cleaned_data[field] for field in form.changed_data if field in editable}
        organisation_update(actor=request.user, organisation=Organisation.objects.get(pk=obj.pk), changes=changes)

    def delete_model(self, request: HttpRequest, obj: Organisation) -> None:
        organisation_delete(actor=request.user, organisation=obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Organisation]) -> None:
        for organisation in queryset:
            organisation_delete(actor=request.user, organisation=organisation)


@admin.register(Membership)
class MembershipAdmin(TenantScopedAdmin):
    """Roles are given and removed (never edited in place), through the services, so each is audited."""

    coordinator_can_add = True
    coordinator_can_delete = True
    list_display = ("user", "organisation", "role", "created_at")
    list_filter = ("role", ("organisation", admin.RelatedOnlyFieldListFilter))
    search_fields = ("user__display_name", "user__email", "organisation__name")
    list_select_related = ("user", "organisation")
    fields = ("user", "organisation", "role")
    actions = ["remove_roles"]

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # replaced by remove_roles, which goes through the service
        return actions

    def save_model(self, request: HttpRequest, obj: Membership, form: forms.ModelForm, change: bool) -> None:
        membership = membership_grant(actor=request.user, organisation=obj.organisation, user=obj.user, role=obj.role)
        obj.pk, obj.created_at = membership.pk, membership.created_at

    def delete_view(self, request: HttpRequest, object_id: str, extra_context: dict[str, Any] | None = None) -> Any:
        membership = self.get_object(request, object_id)
        if self._is_last_coordinator(membership):
            self._fail(
                request,
                OrganisationError(
                    "An organisation needs at least one coordinator, so this role can't be removed yet. "
                    "Please make someone else a coordinator first."
                ),
            )
            return HttpResponseRedirect(reverse("admin:organisations_membership_changelist"))
        return super().delete_view(request, object_id, extra_context)

    @staticmethod
    def _is_last_coordinator(membership: Membership) -> bool:
        return (
            membership.role == Role.COORDINATOR
            and not Membership.objects.filter(organisation_id=membership.organisation_id, role=Role.COORDINATOR)
            .exclude(pk=membership.pk)
            .exists()
        )

    def delete_model(self, request: HttpRequest, obj: Membership) -> None:
        membership_revoke(actor=request.user, membership=obj)

    @admin.action(permissions=["delete"], description="Remove the selected roles")
    def remove_roles(self, request: HttpRequest, queryset: QuerySet[Membership]) -> None:
        removed = 0
        for membership in queryset.select_related("user", "organisation"):
            try:
                membership_revoke(actor=request.user, membership=membership)
            except OrganisationError as error:
                self._fail(request, f"{membership}: {error}")
            else:
                removed += 1
        if removed:
            self.message_user(request, f"Removed {removed} role{'s' if removed != 1 else ''}.", messages.SUCCESS)


class InvitationAdminForm(forms.ModelForm):
    class Meta:
        model = Invitation
        fields = ("organisation", "email", "role")


@admin.register(Invitation)
class InvitationAdmin(TenantScopedAdmin):
    """Invitations are sent and withdrawn through the services; the token itself is never stored or shown."""

    coordinator_can_add = True
    form = InvitationAdminForm
    list_display = ("email", "organisation", "role", "status", "created_at", "expires_at")
    list_filter = ("role", ("organisation", admin.RelatedOnlyFieldListFilter))
    search_fields = ("email",)
    list_select_related = ("organisation",)
    actions = ["withdraw"]
    readonly_fields = ("status", "invited_by", "created_at", "expires_at", "accepted_at", "accepted_by", "revoked_at")

    def get_fields(self, request: HttpRequest, obj: Invitation | None = None) -> tuple[str, ...]:
        if obj is None:
            return ("organisation", "email", "role")
        return ("organisation", "email", "role", *self.readonly_fields)

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False  # keep the record; withdraw instead

    def has_withdraw_permission(self, request: HttpRequest) -> bool:
        return is_operator(request) or self._is_coordinator(request)

    def get_form(self, request: HttpRequest, obj: Invitation | None = None, **kwargs: Any) -> type[forms.ModelForm]:
        base = super().get_form(request, obj, **kwargs)
        identifier = str(request.user.public_id)

        class RateLimitedInvitationForm(base):  # type: ignore[valid-type,misc]
            def clean(self) -> dict[str, Any]:
                cleaned = super().clean()
                if not self.errors:
                    try:
                        ratelimit.check("invite", identifier)
                    except ratelimit.RateLimited as exc:
                        raise ValidationError(
                            "You've sent a lot of invitations in the last hour. Please wait a while and try again."
                        ) from exc
                return cleaned

        return RateLimitedInvitationForm

    def save_model(self, request: HttpRequest, obj: Invitation, form: forms.ModelForm, change: bool) -> None:
        invitation, _token = invitation_create(
            actor=request.user, organisation=obj.organisation, email=obj.email, role=obj.role
        )
        obj.pk, obj.public_id, obj.created_at = invitation.pk, invitation.public_id, invitation.created_at

    @admin.action(permissions=["withdraw"], description="Withdraw the selected invitations")
    def withdraw(self, request: HttpRequest, queryset: QuerySet[Invitation]) -> None:
        withdrawn = 0
        for invitation in queryset.select_related("organisation"):
            if invitation.status == "pending":
                invitation_revoke(actor=request.user, invitation=invitation)
                withdrawn += 1
        self.message_user(request, f"Withdrew {withdrawn} invitation{'s' if withdrawn != 1 else ''}.")


class CrisisResourceAdminForm(forms.ModelForm):
    class Meta:
        model = CrisisResource
        formfield_callback = formfield_assuming_https
        fields = ("organisation", *CRISIS_RESOURCE_FIELDS)


@admin.register(CrisisResource)
class CrisisResourceAdmin(TenantScopedAdmin):
    coordinator_can_add = True
    coordinator_can_change = True
    coordinator_can_delete = True
    form = CrisisResourceAdminForm
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ("name", "organisation", "phone", "text_number", "hours", "position")
    list_filter = (("organisation", admin.RelatedOnlyFieldListFilter),)
    list_select_related = ("organisation",)
    search_fields = ("name",)
    ordering = ("organisation__name", "position", "name")

    def get_readonly_fields(self, request: HttpRequest, obj: CrisisResource | None = None) -> tuple[str, ...]:
        return ("organisation",) if obj is not None else ()

    def save_model(self, request: HttpRequest, obj: CrisisResource, form: forms.ModelForm, change: bool) -> None:
        values = {field: form.cleaned_data[field] for field in CRISIS_RESOURCE_FIELDS if field in form.cleaned_data}
        existing = CrisisResource.objects.get(pk=obj.pk) if change else None
        saved = crisis_resource_save(
            actor=request.user, organisation=obj.organisation, resource=existing, values=values
        )
        obj.pk = saved.pk

    def delete_model(self, request: HttpRequest, obj: CrisisResource) -> None:
        crisis_resource_delete(actor=request.user, resource=obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[CrisisResource]) -> None:
        for resource in queryset.select_related("organisation"):
            crisis_resource_delete(actor=request.user, resource=resource)


# People and the audit log are shown in the admin scoped by organisation too; their admin classes build on the
# scoping above, so they are loaded once it is defined.
from . import audit_admin, people_admin  # noqa: E402, F401
