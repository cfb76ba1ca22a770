"""The reach gate: the only way Kindred tells a person anything — an in-Kindred notice, an email, a digest, a
newsletter, a reminder, a nudge or a prompt. (Text messages will come through here too.)

Every message names its `Kind`, declared once by the app that sends it, and each kind has a `Purpose` that decides
what the gate does for it. The gate itself applies, in this order:

1. a person recorded as having died is sent nothing, and nothing that mentions them (`about`) is sent to anyone;
2. nothing passes between two people when either has blocked the other (`sender`), and nothing about someone the
   recipient has blocked reaches them;
3. an unsubscribe from the message's `topic` stops it;
4. a person who has stepped back gets in-Kindred notices but no emails, and nothing that asks them to do
   something for others (`Purpose.ASK`) or a mailing;
5. the person's contact preferences: no emails if they said no to emails (answers to their own requests still
   come);
6. quiet hours: an email waits until they end (the notice in Kindred is there at once).

An email is queued after the surrounding transaction commits, and the gate looks again when the task runs, so a
step back or a death recorded in between still stops it.

Account-security emails (verify your address, reset your password, your address changed) are the one thing sent
without the gate, by `kindred.accounts.security_emails`: they answer a request the person has just made and must
never wait or be held back.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone
from django_tasks import task

from kindred.accounts.models import Profile, User, normalise_email
from kindred.core.email import send_now
from kindred.core.hashing import keyed_digest
from kindred.core.zones import zone_named
from kindred.notifications.models import Notification

from .models import Block, ReachState, Unsubscribe


class Purpose(enum.StrEnum):
    """What a message is for. The gate's rules follow from it."""

    UPDATE = "update"  # news about something the person takes part in (a meeting moved, a reply, a match)
    ASK = "ask"  # asks the person to do something for others (fill a rota gap, follow up a newcomer)
    REMINDER = "reminder"  # a reminder the person chose (a well-being check-in)
    MAILING = "mailing"  # a list they can leave: newsletters and digests (needs a topic)
    DUTY = "duty"  # work for the person's role (a referral or listing for coordinators)
    ALERT = "alert"  # safety: a crisis alert to the moderators on duty
    RESPONSE = "response"  # an answer to the person's own request (a decision on their listing, an invitation)


@dataclass(frozen=True)
class Kind:
    """One kind of message, declared once at module level by the app that sends it:

    `MEETING_CANCELLED = reach.Kind("groups.meeting_cancelled", reach.Purpose.UPDATE, "A meeting was cancelled")`
    """

    key: str
    purpose: Purpose
    description: str

    def __post_init__(self) -> None:
        known = KINDS.get(self.key)
        if known is not None and known != self:
            raise ValueError(f"Message kind {self.key!r} is declared twice, differently.")
        KINDS[self.key] = self


KINDS: dict[str, Kind] = {}

REFUSED_DECEASED = "deceased"
REFUSED_ABOUT_DECEASED = "about_deceased"
REFUSED_BLOCKED = "blocked"
REFUSED_UNSUBSCRIBED = "unsubscribed"
REFUSED_STEPPED_BACK = "stepped_back"
REFUSED_INACTIVE = "inactive"


@dataclass
class Outcome:
    """What the gate did with one message to one person."""

    notice: Notification | None = None
    email: str = ""  # "", "queued", "deferred" (waiting for quiet hours to end) or "held" (quiet hours, no queue)
    refused: str = ""  # why nothing at all was sent, or ""
    email_refused: str = ""  # why the email part wasn't sent, or ""

    @property
    def delivered(self) -> bool:
        return not self.refused


@dataclass(frozen=True)
class Email:
    """An email's words: plain `subject` and `body`, or a template pair `<template>_subject.txt` / `_body.txt`."""

    subject: str = ""
    body: str = ""
    template: str = ""
    context: dict[str, Any] = field(default_factory=dict)

    def render(self, extra: dict[str, Any]) -> tuple[str, str]:
        if not self.template:
            return self.subject, self.body
        context = {**self.context, **extra}
        subject = render_to_string(f"{self.template}_subject.txt", context).strip()
        return " ".join(subject.split()), render_to_string(f"{self.template}_body.txt", context)


# --- Sending ------------------------------------------------------------------------------------------------------


def send(
    *,
    to: User,
    kind: Kind,
    title: str,
    body: str = "",
    url: str = "",
    email: bool | Email = False,
    sender: User | int | None = None,
    about: Iterable[User | int] = (),
    topic: str = "",
    notice: bool = True,
) -> Outcome:
    """Tell `to` something: an in-Kindred notice (unless `notice=False`) and, if `email`, an email.

    `email=True` sends the notice's title and body (with a link to `url`); an `Email` gives the email its own
    words. `sender` is the person whose action this is (blocks apply between them); `about` are the people it
    mentions (nothing about someone who has died is sent); `topic` names the list a mailing belongs to.
    """
    return _send(to, kind, title, body, url, email, sender, about, topic, notice, despite_step_back=False)


def send_to_team(
    *,
    people: Sequence[User],
    kind: Kind,
    title: str,
    body: str = "",
    url: str = "",
    email: bool | Email = False,
    sender: User | int | None = None,
    about: Iterable[User | int] = (),
    notice: bool = True,
) -> list[Outcome]:
    """Work that someone in a role must see (`Purpose.DUTY`). Everyone gets the notice; the email goes to those
    who haven't stepped back — or, if every one of them has, to them all, because the request must reach someone.
    `sender`, `about` and `notice` are as for `send`: a block or a death still stops it, person by person.
    """
    if kind.purpose is not Purpose.DUTY:
        raise ValueError("send_to_team is for duties: work that must reach someone in the role.")
    states = {s.person_id: s for s in ReachState.objects.filter(person__in=[p.pk for p in people])}
    despite = bool(email) and not any(_email_refusal(p, kind, states.get(p.pk)) == "" for p in people)
    about = list(about)
    return [
        _send(person, kind, title, body, url, email, sender, about, "", notice, despite_step_back=despite)
        for person in people
    ]


def send_to_address(*, address: str, kind: Kind, email: Email, topic: str = "") -> Outcome:
    """Email someone who may have no account (a professional who referred someone, a person being invited).

    If the address belongs to an account, that person's state applies as if `send` had been called; an
    unsubscribe by the address itself is honoured too.
    """
    address = normalise_email(address)
    person = User.objects.filter(email=address).first()
    if person is not None:
        return send(
            to=person, kind=kind, title=email.subject or kind.description, email=email, topic=topic, notice=False
        )
    if topic and Unsubscribe.objects.filter(address_digest=_address_digest(address), topic=topic).exists():
        return Outcome(refused=REFUSED_UNSUBSCRIBED)
    subject, text = email.render({"person": None, "unsubscribe_url": ""})
    key = kind.key
    transaction.on_commit(
        lambda: deliver_email.enqueue(
            person_id=None, address=address, kind=key, subject=subject, body=text, topic=topic
        )
    )
    return Outcome(email="queued")


def _send(
    to: User,
    kind: Kind,
    title: str,
    body: str,
    url: str,
    email: bool | Email,
    sender: User | int | None,
    about: Iterable[User | int],
    topic: str,
    notice: bool,
    *,
    despite_step_back: bool,
) -> Outcome:
    if kind.purpose is Purpose.MAILING and not topic:
        raise ValueError(f"{kind.key} is a mailing: give it the topic people can unsubscribe from.")
    state = _state_of(to.pk)
    refused = _refusal(to, kind, state, sender=sender, about=about, topic=topic)
    if refused:
        return Outcome(refused=refused)
    outcome = Outcome()
    if notice:
        outcome.notice = Notification.objects.create(user=to, kind=kind.key, title=title[:200], body=body, url=url)
    if not email:
        return outcome
    outcome.email_refused = _email_refusal(to, kind, state)
    if outcome.email_refused == REFUSED_STEPPED_BACK and despite_step_back:
        outcome.email_refused = ""
    if outcome.email_refused:
        return outcome
    words = email if isinstance(email, Email) else Email(subject=title, body=_plain_body(body, url))
    subject, text = words.render({"person": to, "unsubscribe_url": unsubscribe_url(to, topic) if topic else ""})
    if topic and not words.template:
        text = f"{text.rstrip()}\n\nTo stop these emails: {unsubscribe_url(to, topic)}\n"
    outcome.email = _queue(
        to=to, kind=kind, subject=subject, body=text, topic=topic, despite_step_back=despite_step_back
    )
    return outcome


def reachable(people: Iterable[User], kind: Kind, *, topic: str = "") -> list[User]:
    """Of `people`, those the gate would send something of this kind to (for choosing whom to ask)."""
    people = list(people)
    states = {s.person_id: s for s in ReachState.objects.filter(person__in=[p.pk for p in people])}
    return [p for p in people if not _refusal(p, kind, states.get(p.pk), sender=None, about=(), topic=topic)]


# --- What the gate respects ---------------------------------------------------------------------------------------


def _state_of(person_id: int) -> ReachState | None:
    return ReachState.objects.filter(person_id=person_id).first()


def _refusal(
    to: User,
    kind: Kind,
    state: ReachState | None,
    *,
    sender: User | int | None,
    about: Iterable[User | int],
    topic: str,
) -> str:
    if state is not None and state.deceased_at is not None:
        return REFUSED_DECEASED
    about_ids = {a if isinstance(a, int) else a.pk for a in about} - {to.pk}
    if about_ids and ReachState.objects.filter(person_id__in=about_ids, deceased_at__isnull=False).exists():
        return REFUSED_ABOUT_DECEASED
    sender_id = sender if isinstance(sender, int) or sender is None else sender.pk
    between = Q(blocker=to.pk, blocked=sender_id) | Q(blocker=sender_id, blocked=to.pk)
    if sender_id is not None and sender_id != to.pk and Block.objects.filter(between).exists():
        return REFUSED_BLOCKED
    if about_ids and Block.objects.filter(blocker=to.pk, blocked__in=about_ids).exists():
        return REFUSED_BLOCKED
    if topic and Unsubscribe.objects.filter(person=to, topic=topic).exists():
        return REFUSED_UNSUBSCRIBED
    stepped_back = state is not None and state.stepped_back_since is not None
    if stepped_back and kind.purpose in (Purpose.ASK, Purpose.MAILING):
        return REFUSED_STEPPED_BACK
    return ""


def _email_refusal(to: User, kind: Kind, state: ReachState | None) -> str:
    if not to.is_active or not to.email:
        return REFUSED_INACTIVE
    if kind.purpose is Purpose.RESPONSE:
        return ""
    if state is not None and state.stepped_back_since is not None:
        return REFUSED_STEPPED_BACK
    profile = Profile.objects.filter(user=to).only("email_notifications").first()
    if profile is not None and not profile.email_notifications:
        return "preferences"
    return ""


def quiet_hours_end(profile: Profile | None, now: datetime) -> datetime | None:
    """If `now` falls in the person's quiet hours, when they end; otherwise None."""
    if profile is None or profile.quiet_hours_start is None or profile.quiet_hours_end is None:
        return None
    zone = zone_named(profile.timezone)
    local = now.astimezone(zone)
    start, end = profile.quiet_hours_start, profile.quiet_hours_end
    clock = local.time()
    overnight = start > end  # e.g. 21:00 → 08:00
    inside = (clock >= start or clock < end) if overnight else (start <= clock < end)
    if not inside:
        return None
    end_date = local.date()
    if overnight and clock >= start:
        end_date += timedelta(days=1)
    return datetime.combine(end_date, end, tzinfo=zone)


def _plain_body(body: str, url: str) -> str:
    link = f"{settings.SITE_URL}{url}" if url.startswith("/") else url
    if not link:
        return body
    return f"{body}\n\n{link}\n\nYou can change which emails Kindred sends you in your profile."


def _queue(*, to: User, kind: Kind, subject: str, body: str, topic: str, despite_step_back: bool) -> str:
    profile = Profile.objects.filter(user=to).first()
    run_after = quiet_hours_end(profile, timezone.now())
    values: dict[str, Any] = {
        "person_id": to.pk,
        "address": "",
        "kind": kind.key,
        "subject": subject,
        "body": body,
        "topic": topic,
        "despite_step_back": despite_step_back,
    }
    if run_after is None:
        transaction.on_commit(lambda: deliver_email.enqueue(**values))
        return "queued"
    if deliver_email.get_backend().supports_defer:
        deferred = deliver_email.using(run_after=run_after)
        transaction.on_commit(lambda: deferred.enqueue(**values))
        return "deferred"
    # A backend that can't wait (only the immediate one used in tests) sends nothing in quiet hours; the notice
    # in Kindred is still there.
    return "held"


@task()
def deliver_email(
    *,
    person_id: int | None,
    address: str,
    kind: str,
    subject: str,
    body: str,
    topic: str,
    despite_step_back: bool = False,
) -> int:
    """Send one email, after looking again at what the gate respects (things may have changed since it queued)."""
    known = KINDS.get(kind)
    if person_id is not None:
        person = User.objects.filter(pk=person_id).first()
        if person is None or known is None:
            return 0
        state = _state_of(person.pk)
        if _refusal(person, known, state, sender=None, about=(), topic=topic):
            return 0
        refused = _email_refusal(person, known, state)
        if refused and not (despite_step_back and refused == REFUSED_STEPPED_BACK):
            return 0
        address = person.email
        if topic:
            # One-click unsubscribe (RFC 8058): mail programs offer it and POST to the link without opening a page.
            headers = {
                "List-Unsubscribe": f"<{unsubscribe_url(person, topic)}>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            }
            return send_now(subject=subject, body=body, to=address, headers=headers)
    return send_now(subject=subject, body=body, to=address)


# --- State the gate keeps -----------------------------------------------------------------------------------------


def state_step_back(*, person: User, at: datetime | None = None) -> None:
    """Record that `person` has stepped back (supporter care does this as part of its one "step back")."""
    state, _ = ReachState.objects.get_or_create(person=person)
    state.stepped_back_since = at or timezone.now()
    state.save(update_fields=["stepped_back_since", "updated_at"])


def state_come_back(*, person: User) -> None:
    ReachState.objects.filter(person=person).update(stepped_back_since=None, updated_at=timezone.now())


def state_record_death(*, person: User, recorded_by: User | None, at: datetime | None = None) -> None:
    """Record that `person` has died: from now on nothing is sent to them or about them."""
    state, _ = ReachState.objects.get_or_create(person=person)
    if state.deceased_at is None:
        state.deceased_at = at or timezone.now()
        state.deceased_recorded_by = recorded_by
        state.save(update_fields=["deceased_at", "deceased_recorded_by", "updated_at"])


def is_stepped_back(person: User | int | None) -> bool:
    pk = _pk(person)
    return pk is not None and ReachState.objects.filter(person_id=pk, stepped_back_since__isnull=False).exists()


def is_deceased(person: User | int | None) -> bool:
    pk = _pk(person)
    return pk is not None and ReachState.objects.filter(person_id=pk, deceased_at__isnull=False).exists()


def deceased_ids() -> set[int]:
    """People recorded as having died: leave them out of anything that lists, prompts about or counts people."""
    return set(ReachState.objects.filter(deceased_at__isnull=False).values_list("person_id", flat=True))


def _pk(person: User | int | None) -> int | None:
    if person is None or isinstance(person, int):
        return person
    pk = getattr(person, "pk", None)  # an anonymous visitor has none
    return int(pk) if pk is not None else None


# --- Unsubscribes -------------------------------------------------------------------------------------------------

UNSUBSCRIBE_SALT = "kindred.commons.unsubscribe"

# How each list is named to the person leaving it: a topic "<kind key>" or "<kind key>:<id>" is named by the
# function its app registered for that key (e.g. the group's name for a newsletter), or else by the kind's words.
TOPIC_NAMERS: dict[str, Callable[[str], str]] = {}


def register_topic_namer(kind: Kind, namer: Callable[[str], str]) -> None:
    """`namer(rest)` names the list `"<kind.key>:<rest>"` for the unsubscribe page, or returns "" if it's gone."""
    TOPIC_NAMERS[kind.key] = namer


def topic_name(topic: str) -> str:
    """The list's name in plain words ("" if the topic isn't one Kindred sends)."""
    key, _, rest = topic.partition(":")
    namer = TOPIC_NAMERS.get(key)
    if namer is not None:
        return namer(rest)
    known = KINDS.get(key)
    return known.description if known is not None and not rest else ""


def unsubscribe(*, topic: str, person: User | None = None, address: str = "") -> None:
    """Stop every message of `topic` to `person` (or, for someone without an account, to `address`)."""
    if person is not None:
        Unsubscribe.objects.get_or_create(person=person, topic=topic)
    elif address:
        Unsubscribe.objects.get_or_create(person=None, address_digest=_address_digest(address), topic=topic)


def resubscribe(*, topic: str, person: User) -> None:
    Unsubscribe.objects.filter(person=person, topic=topic).delete()


def is_unsubscribed(person: User, topic: str) -> bool:
    return Unsubscribe.objects.filter(person=person, topic=topic).exists()


def unsubscribed_ids(topic: str) -> set[int]:
    """People who have left this list (to leave them out of a count or a list of subscribers)."""
    return set(Unsubscribe.objects.filter(topic=topic, person__isnull=False).values_list("person_id", flat=True))


def unsubscribe_token(person: User, topic: str) -> str:
    return signing.dumps({"p": str(person.public_id), "t": topic}, salt=UNSUBSCRIBE_SALT, compress=True)


def unsubscribe_url(person: User, topic: str) -> str:
    return f"{settings.SITE_URL}/unsubscribe/{unsubscribe_token(person, topic)}/"


def read_unsubscribe_token(token: str) -> tuple[User, str] | None:
    """The person and topic a one-click unsubscribe link is for, or None if the link isn't one of ours."""
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("p"), str) or not isinstance(data.get("t"), str):
        return None
    person = User.objects.filter(public_id=data["p"]).first()
    topic: str = data["t"]
    if person is None or not topic:
        return None
    return person, topic


def _address_digest(address: str) -> str:
    return keyed_digest(normalise_email(address), purpose="unsubscribe")
