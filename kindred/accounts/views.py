"""The people pages: joining, logging in and out, email links, settings, profiles. Thin: services do the work."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm, SetPasswordForm
from django.contrib.auth.tokens import default_token_generator
from django.db import IntegrityError
from django.forms import Form
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kindred.core import ratelimit
from kindred.core.ratelimit import RateLimited, client_ip

from . import security_emails, services
from .forms import (
    PROFILE_LABELS,
    AccountDeleteForm,
    EmailChangeForm,
    KindredPasswordResetForm,
    LoginForm,
    NamesForm,
    ProfileForm,
    ResearchConsentForm,
    SignupForm,
)
from .models import PROFILE_FIELDS, ConsentKind, Profile, User, Visibility, email_is_taken
from .tokens import BadLink

ACCOUNT_BACKEND = "django.contrib.auth.backends.ModelBackend"


# --- helpers ----------------------------------------------------------------


def _too_many(exc: RateLimited) -> str:
    minutes = max(1, round(exc.retry_after_seconds / 60))
    wait = "about an hour" if minutes >= 55 else f"about {minutes} minutes"
    return (
        f"There have been too many attempts, so we've paused this for a while to keep accounts safe. "
        f"Please wait {wait} and try again. If you need to talk to someone now, “Get help now” is always there."
    )


def _render_limited(
    request: HttpRequest, template: str, form: Form, exc: RateLimited, context: dict[str, Any] | None = None
) -> HttpResponse:
    """Show the form again with a kind note, as a 429 so clients and proxies know to slow down."""
    form.add_error(None, _too_many(exc))
    response = render(request, template, {"form": form, **(context or {})}, status=429)
    response["Retry-After"] = str(exc.retry_after_seconds)
    return response


def _posted(request: HttpRequest) -> QueryDict | None:
    """The submitted data, even when empty (so an empty POST is validated, not shown as a fresh form)."""
    return request.POST if request.method == "POST" else None


def _safe_next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return ""


def _bad_link(request: HttpRequest, message: str, *, again_url: str = "") -> HttpResponse:
    return render(request, "accounts/link_problem.html", {"problem": message, "again_url": again_url}, status=400)


def _password_attempt(request: HttpRequest, user: User) -> None:
    """Forms that ask for the current password share the login policy, so a borrowed session can't guess it."""
    ratelimit.check("login", client_ip(request), user.email)


# --- joining, logging in and out --------------------------------------------


@sensitive_post_parameters("password1", "password2")
@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("dashboard")
    form = SignupForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        # Counted only once the form is complete, so someone wrestling with password rules isn't locked
        # out, while every look-up of whether an email is taken still costs an attempt.
        try:
            ratelimit.check("signup", client_ip(request))
        except RateLimited as exc:
            return _render_limited(request, "accounts/signup.html", form, exc)
        data = form.cleaned_data
        try:
            user = services.user_signup(
                email=data["email"],
                password=data["password1"],
                display_name=data["display_name"],
                real_name=data["real_name"],
                accepted_terms=data["accept_terms"],
                accepted_privacy=data["accept_privacy"],
                research_contact=data["research_contact"],
            )
        except (services.AccountError, IntegrityError) as exc:
            taken = isinstance(exc, IntegrityError) or email_is_taken(data["email"])
            message = (
                "An account with this email address already exists. You can log in or reset your password."
                if taken
                else str(exc)
            )
            form.add_error("email" if taken else None, message)
        else:
            login(request, user, backend=ACCOUNT_BACKEND)
            messages.success(
                request,
                f"Welcome to Kindred, {user.display_name}. We've sent a link to {user.email} — "
                "please follow it to confirm your email address.",
            )
            return redirect("dashboard")
    return render(request, "accounts/signup.html", {"form": form})


@sensitive_post_parameters("password")
@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    next_url = _safe_next(request)
    if request.user.is_authenticated and request.method == "GET":
        return redirect(next_url or settings.LOGIN_REDIRECT_URL)
    form = LoginForm(_posted(request))
    context = {"next": next_url}
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        try:
            ratelimit.check("login", client_ip(request), email)
        except RateLimited as exc:
            return _render_limited(request, "accounts/login.html", form, exc, context)
        user = authenticate(request, email=email, password=form.cleaned_data["password"])
        if user is None:
            form.add_error(None, "That email address or password isn't right. Please check them and try again.")
        else:
            login(request, user)
            # Only the account's own counter is cleared: logging in to one account must not reset the IP's.
            ratelimit.reset("login", email)
            return redirect(next_url or settings.LOGIN_REDIRECT_URL)
    return render(request, "accounts/login.html", {"form": form, **context})


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    messages.info(request, "You've logged out. Take care.")
    return redirect(settings.LOGOUT_REDIRECT_URL)


# --- email links ------------------------------------------------------------


@require_http_methods(["GET"])
def verify_email(request: HttpRequest, token: str) -> HttpResponse:
    try:
        user = services.email_verify(token=token)
    except BadLink as exc:
        again = reverse("accounts:resend_verification")
        return _bad_link(request, str(exc), again_url=again)
    if request.user.is_authenticated and request.user.pk == user.pk:
        messages.success(request, "Thank you — your email address is confirmed.")
        return redirect("dashboard")
    return render(request, "accounts/verified.html", {"verified_user": user})


@login_required
@require_http_methods(["GET", "POST"])
def resend_verification(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    if user.email_verified:
        messages.info(request, "Your email address is already confirmed.")
        return redirect("accounts:settings")
    if request.method == "POST":
        try:
            # Verification emails go to an address not yet proven; cap them so no one can be flooded.
            ratelimit.check("email_change", f"resend:{user.public_id}")
        except RateLimited as exc:
            response = render(request, "accounts/resend_verification.html", {"limited": _too_many(exc)}, status=429)
            response["Retry-After"] = str(exc.retry_after_seconds)
            return response
        services.send_verification_email(user=user)
        messages.success(request, f"We've sent a new link to {user.email}. It works for three days.")
        return redirect("dashboard")
    return render(request, "accounts/resend_verification.html")


@require_http_methods(["GET", "POST"])
def email_change_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """GET only asks; the change happens on POST, so a mail scanner following links changes nothing."""
    again = reverse("accounts:email_change")
    if request.method == "GET":
        return render(request, "accounts/email_change_confirm.html", {"token": token})
    try:
        user = services.email_change_confirm(token=token)
    except (BadLink, services.AccountError) as exc:
        return _bad_link(request, str(exc), again_url=again)
    messages.success(request, f"Your email address is now {user.email}.")
    if request.user.is_authenticated and request.user.pk == user.pk:
        return redirect("accounts:settings")
    return redirect("accounts:login")


# --- password reset (never says whether an address has an account) ----------


class PasswordResetRequestView(auth_views.PasswordResetView):
    form_class = KindredPasswordResetForm
    template_name = "accounts/password_reset_form.html"
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form: KindredPasswordResetForm) -> HttpResponse:
        try:
            ratelimit.check("password_reset", client_ip(self.request), form.cleaned_data["email"])
        except RateLimited as exc:
            return _render_limited(self.request, self.template_name, form, exc)
        send_password_reset_links(form.cleaned_data["email"])
        return HttpResponseRedirect(self.get_success_url())


def send_password_reset_links(email: str) -> None:
    """Links carry the public id and use SITE_URL, never the request's Host header (no reset poisoning)."""
    for user in KindredPasswordResetForm().get_users(email):
        token = default_token_generator.make_token(user)
        path = reverse("accounts:password_reset_confirm", args=[user.public_id, token])
        security_emails.password_reset(user=user, link=f"{settings.SITE_URL}{path}")


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    form_class = SetPasswordForm
    success_url = reverse_lazy("accounts:password_reset_complete")
    http_method_names = ["get", "post"]

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        # Django's view answers an unknown link before it looks at the method: refuse other methods first.
        if request.method is None or request.method.lower() not in self.http_method_names:
            return self.http_method_not_allowed(request, *args, **kwargs)
        return super().dispatch(request, *args, **kwargs)

    def get_user(self, uidb64: Any) -> User | None:
        # Our links carry the public UUID (the URL converter has already checked its shape).
        return User.objects.filter(public_id=uidb64, is_active=True).first()

    def form_valid(self, form: SetPasswordForm) -> HttpResponse:
        response = super().form_valid(form)
        services.password_changed(actor=form.user)
        return response


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


# --- account settings -------------------------------------------------------


def _consent_rows(user: User) -> list[dict[str, Any]]:
    current = services.current_consents(user)
    return [{"label": ConsentKind(kind).label, "record": record, "kind": kind} for kind, record in current.items()]


@login_required
@require_http_methods(["GET", "POST"])
def settings_view(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    initial = {"display_name": user.display_name, "real_name": user.real_name}
    form = NamesForm(_posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        services.account_update_names(
            actor=user, display_name=form.cleaned_data["display_name"], real_name=form.cleaned_data["real_name"]
        )
        messages.success(request, "Your names are saved.")
        return redirect("accounts:settings")
    research = services.current_consents(user)[ConsentKind.RESEARCH_CONTACT]
    consent_form = ResearchConsentForm(initial={"research_contact": bool(research and research.granted)})
    return render(
        request,
        "accounts/settings.html",
        {"form": form, "consent_form": consent_form, "consents": _consent_rows(user)},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def consent_update(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    form = ResearchConsentForm(request.POST)
    form.is_valid()  # a single optional tick: always valid
    wanted = bool(form.cleaned_data.get("research_contact"))
    current = services.current_consents(user)[ConsentKind.RESEARCH_CONTACT]
    if current is not None and current.granted == wanted:
        messages.info(request, "No change — your choice about research contact is as it was.")
    else:
        services.consent_set(actor=user, kind=ConsentKind.RESEARCH_CONTACT, granted=wanted)
        messages.success(
            request,
            "Thank you — we may contact you about research."
            if wanted
            else "Done — we won't contact you about research.",
        )
    return redirect(reverse("accounts:settings") + "#consents-heading")


@sensitive_post_parameters("current_password")
@login_required
@require_http_methods(["GET", "POST"])
def email_change(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    form = EmailChangeForm(_posted(request), user=user)
    template = "accounts/email_change.html"
    if request.method == "POST":
        try:
            _password_attempt(request, user)
            if form.is_valid():
                ratelimit.check("email_change", str(user.public_id))
        except RateLimited as exc:
            return _render_limited(request, template, form, exc)
        if form.is_valid():
            new_email = form.cleaned_data["new_email"]
            try:
                services.email_change_request(actor=user, new_email=new_email)
            except services.AccountError as exc:
                form.add_error("new_email", str(exc))
            else:
                messages.success(
                    request,
                    f"We've sent a link to {new_email}. Your email address stays the same until you follow it.",
                )
                return redirect("accounts:settings")
    return render(request, template, {"form": form}, status=400 if form.errors else 200)


@sensitive_post_parameters("old_password", "new_password1", "new_password2")
@login_required
@require_http_methods(["GET", "POST"])
def password_change(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    form = PasswordChangeForm(user, _posted(request))
    form.fields["old_password"].label = "Your current password"
    template = "accounts/password_change.html"
    if request.method == "POST":
        try:
            _password_attempt(request, user)
        except RateLimited as exc:
            return _render_limited(request, template, form, exc)
        if form.is_valid():
            form.save()
            update_session_auth_hash(request, form.user)  # stay logged in here; other sessions end
            services.password_changed(actor=user)
            messages.success(request, "Your password is changed.")
            return redirect("accounts:settings")
    return render(request, template, {"form": form}, status=400 if form.errors else 200)


@sensitive_post_parameters("current_password")
@login_required
@require_http_methods(["GET", "POST"])
def account_delete(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    form = AccountDeleteForm(_posted(request), user=user)
    template = "accounts/delete.html"
    if request.method == "POST":
        try:
            _password_attempt(request, user)
        except RateLimited as exc:
            return _render_limited(request, template, form, exc)
        if form.is_valid():
            services.account_delete(actor=user, remove_writing=form.cleaned_data["remove_writing"])
            logout(request)
            return redirect("accounts:goodbye")
    return render(request, template, {"form": form}, status=400 if form.errors else 200)


@require_GET
def goodbye(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/goodbye.html")


# --- profiles ---------------------------------------------------------------


def _field_display(profile: Profile, field: str) -> str:
    if not getattr(profile, field):
        return ""
    display = getattr(profile, f"get_{field}_display", None)
    return str(display() if display else getattr(profile, field))


def _own_profile(user: User) -> Profile:
    profile, _ = Profile.objects.get_or_create(user=user)
    return profile


@login_required
@require_http_methods(["GET"])
def profile(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    mine = _own_profile(user)
    rows = [
        {
            "label": PROFILE_LABELS[field],
            "value": _field_display(mine, field),
            "visibility": Visibility(mine.visibility_of(field)).label,
        }
        for field in PROFILE_FIELDS
    ]
    return render(request, "accounts/profile.html", {"profile": mine, "rows": rows})


@login_required
@require_http_methods(["GET", "POST"])
def profile_edit(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    form = ProfileForm(_posted(request), instance=_own_profile(user))
    if request.method == "POST" and form.is_valid():
        try:
            services.profile_update(actor=user, changes=form.cleaned_data)
        except services.AccountError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Your profile is saved.")
            return redirect("accounts:profile")
    return render(request, "accounts/profile_edit.html", {"form": form}, status=400 if form.errors else 200)
