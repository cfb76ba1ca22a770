"""Pages for spaces, threads, posts, moderation and blocking. Thin: access helpers, forms, services, selectors."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kindred.accounts.models import User
from kindred.commons.blocks import BlockError, block_create, block_remove, blocked_message
from kindred.organisations.models import CrisisResource, Organisation
from kindred.organisations.selectors import is_coordinator
from kindred.safety.routes import UK_ROUTES

from . import access, selectors, services
from . import moderation as mod
from .forms import (
    ActionForm,
    AppealDecisionForm,
    AppealForm,
    DismissForm,
    FollowForm,
    HouseRulesForm,
    InviteForm,
    PostEditForm,
    ReactionForm,
    ReplyForm,
    ReportForm,
    RulesAcknowledgeForm,
    SpaceForm,
    SpacePersonForm,
    ThreadForm,
)
from .models import ARCHIVE_DAYS, AppealStatus, Post, PostStatus, ReactionKind, ReportStatus, Space, SpaceVisibility
from .moderation import ModerationError
from .services import CommunityError

# ---------------------------------------------------------------- helpers


def support_context(space_or_org: Space | Organisation) -> dict[str, Any]:
    organisation = space_or_org.organisation if isinstance(space_or_org, Space) else space_or_org
    return {
        "support_organisation": organisation,
        "support_resources": list(CrisisResource.objects.filter(organisation=organisation)),
        "uk_routes": UK_ROUTES,
    }


def _after_post_url(post: Post) -> str:
    url = reverse("community:thread", args=[post.thread.public_id])
    if post.screening_level != "none" or post.status == PostStatus.HELD:
        url += f"?posted={post.public_id}"
    return url + f"#post-{post.public_id}"


# ---------------------------------------------------------------- spaces


@require_GET
def space_list(request: HttpRequest) -> HttpResponse:
    spaces = selectors.spaces_visible_to(request.user)
    moderated = mod.organisations_moderated_by(request.user) if request.user.is_authenticated else []
    return render(
        request,
        "community/space_list.html",
        {"spaces": spaces, "moderated_organisations": moderated},
    )


@login_required
@require_http_methods(["GET", "POST"])
def space_create(request: HttpRequest, org_slug: str) -> HttpResponse:
    organisation = access.get_organisation_to_moderate(request.user, org_slug)
    partners = Organisation.objects.exclude(pk=organisation.pk)
    form = SpaceForm(request.POST if request.method == "POST" else None, partners=partners)
    if request.method == "POST" and form.is_valid():
        try:
            space = services.space_create(
                actor=request.user,
                organisation=organisation,
                name=form.cleaned_data["name"],
                description=form.cleaned_data["description"],
                visibility=form.cleaned_data["visibility"],
                governance=form.cleaned_data["governance"],
                house_rules=form.cleaned_data["house_rules"],
                partner_organisations=list(form.cleaned_data["partner_organisations"]),
            )
        except CommunityError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "The space is open, and listed in the directory.")
            return redirect("community:space", space.slug)
    return render(request, "community/space_form.html", {"form": form, "organisation": organisation})


@require_GET
def space_detail(request: HttpRequest, slug: str) -> HttpResponse:
    space = access.get_space_for(request.user, slug)
    moderator = access.can_moderate(request.user, space)
    threads = selectors.threads_of(space, request.user, moderator=moderator)[:100]
    if request.user.is_authenticated:
        services.space_read(user=request.user, space=space)
    return render(
        request,
        "community/space_detail.html",
        {
            "space": space,
            "threads": threads,
            "can_moderate": moderator,
            "posting_refusal": access.posting_refusal(request.user, space),
            "needs_rules": services.needs_rules_acknowledgement(request.user, space)
            if request.user.is_authenticated
            else None,
            "organisations": access.space_organisations(space),
        },
    )


@require_http_methods(["GET", "POST"])
def space_rules(request: HttpRequest, slug: str) -> HttpResponse:
    space = access.get_space_for(request.user, slug)
    rules = space.current_rules
    from . import markdown

    needs = services.needs_rules_acknowledgement(request.user, space) if request.user.is_authenticated else None
    form = RulesAcknowledgeForm(
        request.POST if request.method == "POST" else None, initial={"version": rules.version if rules else 0}
    )
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect(f"{reverse('accounts:login')}?next={request.path}")
        access.get_space_for(request.user, slug, require="post")
        if form.is_valid():
            try:
                services.house_rules_acknowledge(user=request.user, space=space, version=form.cleaned_data["version"])
            except CommunityError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, "Thank you. You can post in this space now.")
                next_url = request.POST.get("next", "")
                if next_url.startswith("/online/") and "//" not in next_url:
                    return redirect(next_url)
                return redirect("community:space", space.slug)
    return render(
        request,
        "community/space_rules.html",
        {
            "space": space,
            "rules": rules,
            "rules_html": markdown.render(rules.text) if rules else "",
            "needs": needs,
            "form": form,
            "next": request.GET.get("next", request.POST.get("next", "")),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def space_manage(request: HttpRequest, slug: str) -> HttpResponse:
    space = access.get_space_for(request.user, slug, require="moderate")
    rules = space.current_rules
    rules_form = HouseRulesForm(
        request.POST if request.POST.get("form") == "rules" else None, initial={"text": rules.text if rules else ""}
    )
    invite_form = InviteForm(request.POST if request.POST.get("form") == "invite" else None)
    person_form = SpacePersonForm(request.POST if request.POST.get("form") == "person" else None)
    if request.method == "POST":
        if request.POST.get("form") == "person" and person_form.is_valid():
            person = User.objects.filter(email__iexact=person_form.cleaned_data["email"], is_active=True).first()
            if person is None:
                person_form.add_error("email", "There's nobody with that email address on Kindred.")
            else:
                services.space_membership_set(
                    actor=request.user, space=space, person=person, role=person_form.cleaned_data["role"] or None
                )
                messages.success(request, f"Saved for {person.display_name}.")
                return redirect("community:space_manage", space.slug)
        if request.POST.get("form") == "rules" and rules_form.is_valid():
            try:
                new = services.house_rules_update(actor=request.user, space=space, text=rules_form.cleaned_data["text"])
            except CommunityError as exc:
                rules_form.add_error(None, str(exc))
            else:
                messages.success(request, f"House rules saved (version {new.version}).")
                return redirect("community:space_manage", space.slug)
        elif request.POST.get("form") == "invite" and invite_form.is_valid():
            if space.visibility != SpaceVisibility.INVITE_ONLY:
                invite_form.add_error(None, "Invitations are only needed for invite-only spaces.")
            else:
                invite, token = services.space_invite_create(
                    actor=request.user, space=space, email=invite_form.cleaned_data["email"]
                )
                services.space_invite_email(
                    invite=invite, url=request.build_absolute_uri(reverse("community:invite_accept", args=[token]))
                )
                messages.success(request, f"Invitation sent to {invite.email}.")
                return redirect("community:space_manage", space.slug)
    return render(
        request,
        "community/space_manage.html",
        {
            "space": space,
            "rules_form": rules_form,
            "invite_form": invite_form,
            "person_form": person_form,
            "space_people": space.memberships.select_related("user").order_by("role", "user__display_name"),
            "invites": space.invites.all()[:50],
            "rules": rules,
            "may_archive": request.user.is_superuser or is_coordinator(request.user, space.organisation),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def space_archive(request: HttpRequest, slug: str) -> HttpResponse:
    """Archive a space (its organisation's coordinators): a page that says what will happen, then the button."""
    space = access.get_space_for(request.user, slug, require="moderate")
    may_archive = is_coordinator(request.user, space.organisation) or request.user.is_superuser
    if not may_archive:
        raise PermissionDenied("Only the coordinators of the organisation hosting this space can archive it.")
    error = ""
    if request.method == "POST":
        try:
            services.space_archive(actor=request.user, space=space)
        except CommunityError as exc:
            error = str(exc)
        else:
            messages.success(request, f"{space.name} is archived. Its members can read and download it for a year.")
            return redirect("community:space", space.slug)
    return render(
        request,
        "community/space_archive.html",
        {"space": space, "error": error, "archive_days": ARCHIVE_DAYS},
        status=400 if error else 200,
    )


@login_required
@require_GET
def space_download(request: HttpRequest, slug: str) -> HttpResponse:
    """Every conversation in a space as a text file, for its members to keep (an archived space's, for a year)."""
    space = access.get_space_for(request.user, slug)
    response = HttpResponse(services.archive_text(space, request.user), content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{space.slug}.txt"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def invite_accept(request: HttpRequest, token: str) -> HttpResponse:
    if request.method == "POST":
        try:
            space = services.space_invite_accept(user=request.user, token=token)
        except CommunityError as exc:
            return render(request, "community/invite_accept.html", {"error": str(exc)}, status=400)
        messages.success(request, f"Welcome to {space.name}.")
        return redirect("community:space", space.slug)
    invite = services.space_invite_for(token)
    if invite is None:
        error = "This invitation has expired or was already used. Please ask for a new one."
        return render(request, "community/invite_accept.html", {"error": error}, status=404)
    return render(request, "community/invite_accept.html", {"space": invite.space})


# ---------------------------------------------------------------- threads and posts


def _rules_redirect(space: Space, next_url: str) -> HttpResponse:
    return redirect(f"{reverse('community:space_rules', args=[space.slug])}?next={next_url}")


@login_required
@require_http_methods(["GET", "POST"])
def thread_create(request: HttpRequest, slug: str) -> HttpResponse:
    space = access.get_space_for(request.user, slug, require="post")
    if services.needs_rules_acknowledgement(request.user, space) is not None:
        return _rules_redirect(space, request.path)
    form = ThreadForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            _thread, outcome = services.thread_create(author=request.user, space=space, **form.cleaned_data)
        except CommunityError as exc:
            form.add_error(None, str(exc))
        else:
            return redirect(_after_post_url(outcome.post))
    return render(request, "community/thread_form.html", {"space": space, "form": form})


@require_http_methods(["GET", "POST"])
def thread_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    thread = access.get_thread_for(request.user, public_id)
    space = thread.space
    moderator = access.can_moderate(request.user, space)
    form = ReplyForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect(f"{reverse('accounts:login')}?next={request.path}")
        access.get_space_for(request.user, space.slug, require="post")
        if services.needs_rules_acknowledgement(request.user, space) is not None:
            return _rules_redirect(space, request.path)
        if form.is_valid():
            try:
                outcome = services.reply_create(author=request.user, thread=thread, **form.cleaned_data)
            except CommunityError as exc:
                form.add_error(None, str(exc))
            else:
                return redirect(_after_post_url(outcome.post))
    posted = None
    posted_id = request.GET.get("posted", "")
    if posted_id and request.user.is_authenticated:
        posted = Post.objects.filter(
            public_id__in=[posted_id] if _is_uuid(posted_id) else [], author=request.user
        ).first()
    if request.user.is_authenticated:
        services.space_read(user=request.user, space=space)
    context = {
        "space": space,
        "thread": thread,
        "posts": selectors.posts_of(thread, request.user, moderator=moderator),
        "form": form,
        "can_moderate": moderator,
        "locked_default": services.LOCKED_DEFAULT,
        "posting_refusal": access.posting_refusal(request.user, space),
        "needs_rules": services.needs_rules_acknowledgement(request.user, space)
        if request.user.is_authenticated
        else None,
        "follow": selectors.follow_of(request.user, thread),
        "reaction_kinds": ReactionKind.choices,
        "posted": posted,
        "show_support": posted is not None and (posted.screening_level != "none" or posted.status == "held"),
    }
    context.update(support_context(space))
    return render(
        request,
        "community/thread_detail.html",
        context,
        status=200 if form.is_bound is False or not form.errors else 400,
    )


def _is_uuid(value: str) -> bool:
    import uuid

    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


@login_required
@require_POST
def thread_lock(request: HttpRequest, public_id: str) -> HttpResponse:
    """Moderators close a conversation to new replies (with an optional note for readers), or reopen it."""
    thread = access.get_thread_for(request.user, public_id, require="moderate")
    locked = request.POST.get("locked") == "1"
    try:
        services.thread_lock_set(
            moderator=request.user, thread=thread, locked=locked, note=request.POST.get("note", "")
        )
    except CommunityError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            "The conversation is closed to new replies. Everyone can still read it."
            if locked
            else "The conversation is open for replies again.",
        )
    return redirect("community:thread", thread.public_id)


@login_required
@require_POST
def thread_follow(request: HttpRequest, public_id: str) -> HttpResponse:
    thread = access.get_thread_for(request.user, public_id)
    form = FollowForm(request.POST)
    form.is_valid()
    following = bool(form.cleaned_data.get("following"))
    services.follow_set(
        user=request.user, thread=thread, following=following, email_digest=bool(form.cleaned_data.get("email_digest"))
    )
    messages.success(request, "You're following this conversation." if following else "You've stopped following it.")
    return redirect("community:thread", thread.public_id)


@login_required
@require_http_methods(["GET", "POST"])
def post_edit(request: HttpRequest, public_id: str) -> HttpResponse:
    post = access.get_post_for(request.user, public_id, require="author")
    form = PostEditForm(
        request.POST if request.method == "POST" else None,
        initial={"body": post.body, "content_warning": post.content_warning},
    )
    if request.method == "POST" and form.is_valid():
        try:
            outcome = services.post_edit(author=request.user, post=post, **form.cleaned_data)
        except CommunityError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Your post has been updated.")
            return redirect(_after_post_url(outcome.post))
    return render(request, "community/post_edit.html", {"post": post, "form": form, "space": post.thread.space})


@login_required
@require_http_methods(["GET", "POST"])
def post_delete(request: HttpRequest, public_id: str) -> HttpResponse:
    post = access.get_post_for(request.user, public_id, require="author")
    if request.method == "POST":
        services.post_delete(author=request.user, post=post)
        messages.success(request, "Your post has been deleted.")
        return redirect("community:thread", post.thread.public_id)
    return render(request, "community/post_delete.html", {"post": post})


@login_required
@require_POST
def post_react(request: HttpRequest, public_id: str) -> HttpResponse:
    post = access.get_post_for(request.user, public_id)
    form = ReactionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Please choose one of the reactions.")
    else:
        try:
            services.reaction_toggle(user=request.user, post=post, kind=form.cleaned_data["kind"])
        except CommunityError as exc:
            messages.error(request, str(exc))
    return redirect(reverse("community:thread", args=[post.thread.public_id]) + f"#post-{post.public_id}")


@login_required
@require_http_methods(["GET", "POST"])
def post_report(request: HttpRequest, public_id: str) -> HttpResponse:
    post = access.get_post_for(request.user, public_id)
    form = ReportForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            mod.report_create(reporter=request.user, target=post, **form.cleaned_data)
        except ModerationError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request, "Thank you for telling us. A moderator will look at it. The person won't know who reported it."
            )
            return redirect("community:thread", post.thread.public_id)
    return render(request, "community/post_report.html", {"post": post, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def post_moderate(request: HttpRequest, public_id: str) -> HttpResponse:
    post = access.get_post_for(request.user, public_id, require="moderate")
    space = post.thread.space
    form = ActionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            mod.action_take(
                moderator=request.user,
                kind=form.cleaned_data["kind"],
                reason=form.cleaned_data["reason"],
                target=post,
                until=form.cleaned_data.get("until"),
                may_bypass_role=access.can_moderate(request.user, space),
            )
        except ModerationError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Done. The person has been told, with your reason.")
            return redirect("community:thread", post.thread.public_id)
    return render(request, "community/post_moderate.html", {"post": post, "form": form, "space": space})


# ---------------------------------------------------------------- moderation queue


@login_required
@require_GET
def queue(request: HttpRequest, org_slug: str) -> HttpResponse:
    organisation = access.get_organisation_to_moderate(request.user, org_slug)
    return render(
        request,
        "community/queue.html",
        {
            "organisation": organisation,
            "items": mod.queue_for(organisation),
            "appeals": mod.pending_appeals(organisation),
            "on_duty": mod.moderators_on_duty(organisation),
            "i_am_on_duty": mod.is_on_duty(request.user, organisation),
            "recent": mod.recent_actions(organisation),
        },
    )


def back_to_queue(user: Any, organisation: Any, space: Any = None, *, fallback: str = "") -> HttpResponse:
    """The queue this moderator works from: the host's, or (a partner moderator of a shared space) their own."""
    candidates = [organisation, *(access.space_organisations(space) if space is not None else [])]
    for candidate in candidates:
        if access.is_organisation_moderator(user, candidate):
            return redirect("community:queue", candidate.slug)
    return redirect(fallback) if fallback else redirect("community:queue", organisation.slug)


@login_required
@require_POST
def shift(request: HttpRequest, org_slug: str) -> HttpResponse:
    organisation = access.get_organisation_to_moderate(request.user, org_slug)
    if request.POST.get("on_duty") == "1":
        mod.shift_start(moderator=request.user, organisation=organisation)
        messages.success(request, "You're on duty. You'll be told about reports and anyone who may need support.")
    else:
        mod.shift_end(moderator=request.user, organisation=organisation)
        messages.success(request, "You're off duty. Thank you.")
    return redirect("community:queue", organisation.slug)


@login_required
@require_http_methods(["GET", "POST"])
def report_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    report = access.get_report_for(request.user, public_id)
    target = report.target
    form = ActionForm(request.POST if request.POST.get("form") == "action" else None)
    dismiss_form = DismissForm(request.POST if request.POST.get("form") == "dismiss" else None)
    if request.method == "POST":
        try:
            if request.POST.get("form") == "action" and form.is_valid():
                mod.action_take(
                    moderator=request.user,
                    kind=form.cleaned_data["kind"],
                    reason=form.cleaned_data["reason"],
                    report=report,
                    until=form.cleaned_data.get("until"),
                )
                messages.success(request, "Done. The person has been told, with your reason.")
                return back_to_queue(request.user, report.organisation, report.space)
            if request.POST.get("form") == "dismiss" and dismiss_form.is_valid():
                mod.report_dismiss(moderator=request.user, report=report, note=dismiss_form.cleaned_data["note"])
                messages.success(request, "Report closed with no action.")
                return back_to_queue(request.user, report.organisation, report.space)
        except ModerationError as exc:
            (form if request.POST.get("form") == "action" else dismiss_form).add_error(None, str(exc))
    context = target.moderation_context() if target is not None else {}
    return render(
        request,
        "community/report_detail.html",
        {
            "report": report,
            "target": target,
            "where": context.get("where", ""),
            "target_url": context.get("url", ""),
            "other_reports": report.__class__.objects.filter(
                target_type=report.target_type, target_id=report.target_id
            ).exclude(pk=report.pk),
            "history": mod.actions_about(report.target_author)[:10] if report.target_author else [],
            "form": form,
            "dismiss_form": dismiss_form,
            "is_open": report.status == ReportStatus.OPEN,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def action_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    action = access.get_action_for(request.user, public_id)
    is_subject = action.subject_id == request.user.pk
    appeal = getattr(action, "appeal", None) if hasattr(action, "appeal") else None
    form = AppealForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if not is_subject:
            raise PermissionDenied("Only the person this decision is about can appeal it.")
        if form.is_valid():
            try:
                mod.appeal_create(appellant=request.user, action=action, text=form.cleaned_data["text"])
            except ModerationError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, "Your appeal has been sent. Another moderator will look at it.")
                return redirect("community:action", action.public_id)
    target = action.target if action.target_type_id else None
    return render(
        request,
        "community/action_detail.html",
        {
            "action": action,
            "appeal": appeal,
            "form": form,
            "is_subject": is_subject,
            "target": target,
            "can_appeal": is_subject and appeal is None and action.kind != "restore",
            "noun": mod.content_noun(target),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def appeal_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    appeal = access.get_appeal_for(request.user, public_id)
    form = AppealDecisionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            mod.appeal_decide(
                moderator=request.user,
                appeal=appeal,
                overturn=form.cleaned_data["decision"] == "overturn",
                reason=form.cleaned_data["reason"],
            )
        except ModerationError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Decision recorded. The person has been told.")
            return back_to_queue(request.user, appeal.action.organisation, appeal.action.space)
    return render(
        request,
        "community/appeal_detail.html",
        {
            "appeal": appeal,
            "action": appeal.action,
            "form": form,
            "is_pending": appeal.status == AppealStatus.PENDING,
            "is_own_action": appeal.action.moderator_id == request.user.pk,
        },
    )


# ---------------------------------------------------------------- blocking


@login_required
@require_POST
def block(request: HttpRequest, public_id: str) -> HttpResponse:
    """Block (or, with `unblock=1`, unblock) the author of a post or chat message, then go back to it."""
    person = User.objects.filter(public_id=public_id, is_active=True).first()
    if person is None:
        raise Http404("We couldn't find that person.")
    if request.POST.get("unblock") == "1":
        block_remove(actor=request.user, other=person)
        messages.success(request, f"You've unblocked {person.display_name}.")
    else:
        try:
            block_create(actor=request.user, other=person)
        except BlockError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, blocked_message(person))
    next_url = request.POST.get("next", "")
    if next_url.startswith("/online/") and "//" not in next_url:
        return redirect(next_url)
    return redirect("commons:blocks")
