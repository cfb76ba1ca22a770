"""People in the admin. Superusers see everyone; a coordinator sees only the people of their organisations,
may correct their names (audited), and can never touch passwords, staff or superuser status or permissions."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.auth import admin as auth_admin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse

from kindred.accounts.models import ApiToken, ConsentRecord, User
from kindred.core.services import audit_record

from .admin import ReadOnlyAdmin, TenantScopedAdmin, coordinated_organisation_ids, is_operator
from .models import Organisation
from .services import person_names_update


class KindredUserCreationForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email", "display_name")


class KindredUserChangeForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


class CoordinatorUserForm(forms.ModelForm):
    """All a coordinator may change about a person: the names others see."""

    class Meta:
        model = User
        fields = ("display_name", "real_name")


# Fields a superuser's edits are audited for (the sensitive ones).
_AUDITED_FIELDS = {"email", "is_active", "is_staff", "is_superuser", "groups", "user_permissions"}


@admin.register(User)
class KindredUserAdmin(TenantScopedAdmin, auth_admin.UserAdmin):
    organisation_lookup = "memberships__organisation"
    coordinator_can_change = True
    form = KindredUserChangeForm
    add_form = KindredUserCreationForm
    list_display = ("display_name", "email", "real_name", "is_active", "is_staff")
    list_filter = ("is_staff", "is_superuser", "is_active")
    search_fields = ("display_name", "real_name", "email")
    ordering = ("display_name",)
    readonly_fields = ("public_id", "last_login", "date_joined")
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Names", {"fields": ("display_name", "real_name")}),
        ("Permissions", {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        ("About", {"fields": ("public_id", "email_verified_at", "last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {"classes": ("wide",), "fields": ("email", "display_name", "usable_password", "password1", "password2")},
        ),
    )
    coordinator_fieldsets = (
        (None, {"fields": ("display_name", "real_name")}),
        ("About", {"fields": ("email", "public_id", "email_verified_at", "is_active", "date_joined", "last_login")}),
    )

    def scope(self, queryset: QuerySet[Any], organisation_ids: frozenset[int]) -> QuerySet[Any]:
        return queryset.filter(memberships__organisation__in=organisation_ids).distinct()

    def get_list_filter(self, request: HttpRequest) -> tuple[Any, ...]:
        return self.list_filter if is_operator(request) else ()

    def get_list_display(self, request: HttpRequest) -> tuple[str, ...]:
        return self.list_display if is_operator(request) else ("display_name", "email", "real_name")

    def get_fieldsets(self, request: HttpRequest, obj: User | None = None) -> Any:
        if obj is not None and not is_operator(request):
            return self.coordinator_fieldsets
        return super().get_fieldsets(request, obj)

    def get_readonly_fields(self, request: HttpRequest, obj: User | None = None) -> tuple[str, ...]:
        if is_operator(request):
            return self.readonly_fields
        # Everything but the names, and always the privilege fields, even if a fieldset asked for them.
        return (
            "email",
            "public_id",
            "email_verified_at",
            "is_active",
            "date_joined",
            "last_login",
            "is_staff",
            "is_superuser",
            "groups",
            "user_permissions",
            "password",
        )

    def get_form(self, request: HttpRequest, obj: User | None = None, **kwargs: Any) -> Any:
        if obj is not None and not is_operator(request):
            kwargs["form"] = CoordinatorUserForm
        return super().get_form(request, obj, **kwargs)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return is_operator(request)

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        if obj is not None and getattr(obj, "is_superuser", False) and not is_operator(request):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        # People delete their own accounts (accounts.services.account_delete), which ends their engagements
        # and leaves a clean audit trail. The admin never deletes a person.
        return False

    def user_change_password(self, request: HttpRequest, id: str, form_url: str = "") -> HttpResponse:
        if not is_operator(request):
            raise PermissionDenied
        return super().user_change_password(request, id, form_url)

    def save_model(self, request: HttpRequest, obj: User, form: forms.ModelForm, change: bool) -> None:
        if not is_operator(request):
            shared = Organisation.objects.filter(
                pk__in=coordinated_organisation_ids(request), memberships__user=obj
            ).first()
            person_names_update(
                actor=request.user,
                organisation=shared,
                person=User.objects.get(pk=obj.pk),
                display_name=form.cleaned_data["display_name"],
                real_name=form.cleaned_data["real_name"],
            )
            return
        super().save_model(request, obj, form, change)
        audited = sorted(set(form.changed_data) & _AUDITED_FIELDS)
        if not change or audited:
            audit_record(
                actor=request.user,
                action="account.changed_in_admin" if change else "account.created_in_admin",
                subject=obj,
                detail={"fields": audited},
            )


@admin.register(ConsentRecord)
class ConsentRecordAdmin(ReadOnlyAdmin):
    list_display = ("user", "kind", "version", "granted", "recorded_at")
    list_filter = ("kind", "granted")
    list_select_related = ("user",)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_operator(request)

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return is_operator(request)


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyAdmin):
    list_display = ("name", "user", "created_at", "last_used_at", "revoked_at")
    list_select_related = ("user",)
    exclude = ("digest",)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_operator(request)

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return is_operator(request)
