"""Organisation pages for members and coordinators, and invitation acceptance. Thin: access helpers, forms, services."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kindred.accounts.models import User
from kindred.core import ratelimit
from kindred.core.errors import add_to_form

from .access import (
    get_crisis_resource_for,
    get_invitation_for,
    get_organisation_for,
    get_person_in_organisation_for,
)
from .closure import ClosureError, organisation_close, what_will_happen
from .forms import CrisisResourceForm, InvitationForm, OrganisationCloseForm, OrganisationDetailsForm, RoleForm
from .models import CrisisResource, Membership, Organisation, Role
from .selectors import (
    crisis_resources_of,
    invitations_of,
    is_coordinator,
    people_with_roles,
    roles_in,
    visible_profile,
)
from .services import (
    ORGANISATION_DETAIL_FIELDS,
    OrganisationError,
    crisis_resource_delete,
    crisis_resource_save,
    invitation_accept,
    invitation_create,
    invitation_from_token,
    invitation_revoke,
    membership_grant,
    membership_revoke,
    organisation_update,
)

# Invitation tokens are 43 characters; anything much longer is not one of ours.
_MAX_TOKEN_LENGTH = 128


def _posted(request: HttpRequest) -> Any:
    """The submitted data on POST (even if empty, so an empty form is checked), else None for an unbound form."""
    return request.POST if request.method == "POST" else None


def _ordered_roles(roles: set[str]) -> list[Role]:
    return [role for role in Role if role in roles]


def _coordinator_context(organisation: Organisation, section: str) -> dict[str, Any]:
    return {"organisation": organisation, "section": section}


# --- For every member -------------------------------------------------------------------------


@login_required
@require_GET
def detail(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = get_organisation_for(request.user, slug)
    roles = roles_in(request.user, organisation)
    return render(
        request,
        "organisations/detail.html",
        {
            "organisation": organisation,
            "my_roles": _ordered_roles(roles),
            "can_manage": Role.COORDINATOR in roles or request.user.is_superuser,
        },
    )


# --- For coordinators -------------------------------------------------------------------------


@login_required
@require_GET
def people(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = get_organisation_for(request.user, slug, require_role=Role.COORDINATOR)
    return render(
        request,
        "organisations/people.html",
        {**_coordinator_context(organisation, "people"), "people": people_with_roles(organisation)},
    )


def _render_person(
    request: HttpRequest, organisation: Organisation, person: User, grant_form: RoleForm | None = None
) -> HttpResponse:
    memberships = list(Membership.objects.filter(user=person, organisation=organisation))
    held = {membership.role for membership in memberships}
    grantable = [(role.value, role.label) for role in Role if role not in held]
    if grant_form is None:
        grant_form = RoleForm(roles=grantable)
    return render(
        request,
        "organisations/person.html",
        {
            **_coordinator_context(organisation, "people"),
            "person": person,
            "memberships": sorted(memberships, key=lambda m: list(Role).index(Role(m.role))),
            "grant_form": grant_form if grantable else None,
            "shared_with_staff": [
                (field.replace("_", " ").capitalize(), value)
                for field, value in visible_profile(request.user, person).items()
            ],
        },
    )


@login_required
@require_GET
def person(request: HttpRequest, slug: str, public_id: str) -> HttpResponse:
    organisation = get_organisation_for(request.user, slug, require_role=Role.COORDINATOR)
    person = get_person_in_organisation_for(request.user, organisation, public_id)
    return _render_person(request, organisation, person)


@login_required
@require_POST
def person_role_grant(request: HttpRequest, slug: str, public_id: str) -> HttpResponse:
    organisation = get_organisation_for(request.user, slug, require_role=Role.COORDINATOR)
    person = get_person_in_organisation_for(request.user, organisation, public_id)
    form = RoleForm(request.POST)
    if not form.is_valid():
        return _render_person(request, organisation, person, grant_form=form)
    role = Role(form.cleaned_data["role"])
    try:
        membership_grant(actor=request.user, organisation=organisation, user=person, role=role)
    except OrganisationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"{person.display_name} is now a {role.label.lower()} here.")
    return redirect("organisations:person", slug=organisation.slug, public_id=person.public_id)


@login_required
@require_POST
def person_role_revoke(request: HttpRequest, slug: str, public_id: str) -> HttpResponse:
    organisation = get_organisation_for(request.user, slug, require_role=Role.COORDINATOR)
    person = get_person_in_organisation_for(request.user, organisation, public_id)
    person_url = reverse("organisations:person", kwargs={"slug": organisation.slug, "public_id": person.public_id})
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Please choose one of the roles in the list.")
        return redirect(person_url)
    role = Role(form.cleaned_data["role"])
    membership = Membership.objects.filter(user=person, organisation=organisation, role=role).first()
    if membership is None:
        messages.info(request, f"{person.display_name} doesn't have the {role.label.lower()} role here.")
        return redirect(person_url)
    try:
        membership_revoke(actor=request.user, membership=membership)
    except OrganisationError as error:
        messages.error(request, str(error))
        return redirect(person_url)
    messages.success(request, f"{person.display_name} is no longer a {role.label.lower()} here.")
    if not (request.user.is_superuser or is_coordinator(request.user, organisation)):
        return redirect("organisations:detail", slug=organisation.slug)
    if not Membership.objects.filter(user=person, organisation=organisation).exists():
        return redirect("organisations:people", slug=organisation.slug)
    return redirect(person_url)


@login_required
@require_http_methods(["GET", "POST"])
def invitations(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = get_organisation_for(request.user, slug, require_role=Role.COORDINATOR)
    form = InvitationForm(_posted(request))
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            ratelimit.check("invite", str(request.user.public_id))
            invitation, _token = invitation_create(
                actor=request.user,
                organisation=organisation,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
            )
        except ratelimit.RateLimited:
            messages.error(
                request,
                "You've sent a lot of invitations in the last hour. Please wait a while and try again.",
            )
            status = 429
        except OrganisationError as error:
            messages.error(request, str(error))
            status = 400
        else:
            messages.success(request, f"We've emailed an invitation to {invitation.email}.")
            return redirect("organisations:invitations", slug=organisation.slug)
    return render(
        request,
        "organisations/invitations.html",
        {
            **_coordinator_context(organisation, "invitations"),
            "form": form,
            "invitations": invitations_of(organisation),
        },
        status=status,
    )


@login_required
@require_POST
def invitation_withdraw(request: HttpRequest, slug: str, public_id: str) -> HttpResponse:
    organisation = get_organisation_for(request.user, slug, require_role=Role.COORDINATOR)
    invitation = get_invitation_for(request.user, organisation, public_id)
    if invitation.status != "pending":
        messages.info(request, f"The invitation for {invitation.email} is already {invitation.status}.")
    else:
        invitation_revoke(actor=request.user, invitation=invitation)
        messages.success(
            request, f"The invitation for {invitation.email} has been withdrawn. Its link no longer works."
        )
    return redirect("organisations:invitations", slug=organisation.slug)


@login_required
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = get_organisation_for(request.user, slug, require_role=Role.COORDINATOR)
    form = OrganisationDetailsForm.for_organisation(organisation, _posted(request))
    if request.method == "POST" and form.is_valid():
        changes = {field: form.cleaned_data[field] for field in ORGANISATION_DETAIL_FIELDS}
        try:
            organisation_update(actor=request.user, organisation=organisation, changes=changes)
        except OrganisationError as error:
            messages.error(request, str(error))
            organisation.refresh_from_db()
        else:
            messages.success(request, "The organisation's details are saved.")
            return redirect("organisations:detail", slug=organisation.slug)
    return render(request, "organisations/edit.html", {**_coordinator_context(organisation, "edit"), "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def close(request: HttpRequest, slug: str) -> HttpResponse:
    """Close the organisation: a page that says exactly what will happen, a reason, and the name typed to confirm."""
    organisation = get_organisation_for(request.user, slug, require_role=Role.COORDINATOR)
    form = OrganisationCloseForm(_posted(request), organisation=organisation)
    if request.method == "POST" and not organisation.is_closed and form.is_valid():
        try:
            outcome = organisation_close(
                actor=request.user, organisation=organisation, reason=form.cleaned_data["reason"]
            )
        except ClosureError as error:
            add_to_form(form, error)
        else:
            messages.success(
                request,
                f"{organisation.name} is closed. {outcome.told} people have been told, and everything is kept.",
            )
            return redirect("organisations:detail", slug=organisation.slug)
    return render(
        request,
        "organisations/close.html",
        {**_coordinator_context(organisation, "close"), "form": form, "steps": what_will_happen(organisation)},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def crisis_resources(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = get_organisation_for(request.user, slug, require_role=Role.COORDINATOR)
    resources = list(crisis_resources_of(organisation))
    next_position = max((r.position for r in resources), default=0) + 1
    form = CrisisResourceForm(_posted(request), initial={"position": next_position})
    if request.method == "POST" and form.is_valid():
        try:
            resource = crisis_resource_save(actor=request.user, organisation=organisation, values=form.cleaned_data)
        except OrganisationError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, f"{resource.name} is now on your crisis page.")
            return redirect("organisations:crisis_resources", slug=organisation.slug)
    return render(
        request,
        "organisations/crisis_resources.html",
        {**_coordinator_context(organisation, "crisis"), "resources": resources, "form": form},
    )


@login_required
@require_http_methods(["GET", "POST"])
def crisis_resource_edit(request: HttpRequest, slug: str, resource_id: int) -> HttpResponse:
    organisation = get_organisation_for(request.user, slug, require_role=Role.COORDINATOR)
    resource = get_crisis_resource_for(request.user, organisation, resource_id)
    initial = {field: getattr(resource, field) for field in CrisisResourceForm.base_fields}
    form = CrisisResourceForm(_posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            crisis_resource_save(
                actor=request.user, organisation=organisation, resource=resource, values=form.cleaned_data
            )
        except OrganisationError as error:
            messages.error(request, str(error))
            resource = CrisisResource.objects.get(pk=resource.pk)
        else:
            messages.success(request, f"{resource.name} is updated.")
            return redirect("organisations:crisis_resources", slug=organisation.slug)
    return render(
        request,
        "organisations/crisis_resource_edit.html",
        {**_coordinator_context(organisation, "crisis"), "resource": resource, "form": form},
    )


@login_required
@require_POST
def crisis_resource_remove(request: HttpRequest, slug: str, resource_id: int) -> HttpResponse:
    organisation = get_organisation_for(request.user, slug, require_role=Role.COORDINATOR)
    resource = get_crisis_resource_for(request.user, organisation, resource_id)
    name = resource.name
    crisis_resource_delete(actor=request.user, resource=resource)
    messages.success(request, f"{name} is no longer on your crisis page.")
    return redirect("organisations:crisis_resources", slug=organisation.slug)


# --- Invitations, for the person invited -------------------------------------------------------

# Forged links get "not found"; real ones that can no longer be used get "gone".
_INVITATION_ERROR_STATUS = {"invalid": 404, "wrong_person": 403}


def _invitation_problem(request: HttpRequest, error: OrganisationError) -> HttpResponse:
    return render(
        request,
        "organisations/invitation_problem.html",
        {"problem": str(error), "code": error.code},
        status=_INVITATION_ERROR_STATUS.get(error.code, 410),
    )


@never_cache
@require_http_methods(["GET", "POST"])
def invitation(request: HttpRequest, token: str) -> HttpResponse:
    if len(token) > _MAX_TOKEN_LENGTH:
        return _invitation_problem(
            request, OrganisationError("This invitation link isn't valid. Please check you copied all of it.")
        )
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        try:
            membership = invitation_accept(actor=request.user, token=token)
        except OrganisationError as error:
            return _invitation_problem(request, error)
        organisation = membership.organisation
        messages.success(
            request, f"Welcome to {organisation.name}. You've joined as a {membership.get_role_display().lower()}."
        )
        return redirect("organisations:detail", slug=organisation.slug)

    try:
        pending = invitation_from_token(token)
    except OrganisationError as error:
        return _invitation_problem(request, error)
    already_has_role = (
        request.user.is_authenticated
        and Membership.objects.filter(user=request.user, organisation=pending.organisation, role=pending.role).exists()
    )
    here = request.get_full_path()
    return render(
        request,
        "organisations/invitation.html",
        {
            "invitation": pending,
            "organisation": pending.organisation,
            "already_has_role": already_has_role,
            "different_email": request.user.is_authenticated and request.user.email != pending.email,
            "login_url": f"{reverse('accounts:login')}?{_next(here)}",
            "signup_url": f"{reverse('accounts:signup')}?{_next(here)}",
        },
    )


def _next(path: str) -> str:
    return urlencode({"next": path})
