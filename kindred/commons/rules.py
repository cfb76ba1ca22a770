"""One acknowledgement of rules, for every place that has them (a group's ground rules, a space's house rules).

Rules come in versions; publishing a new version asks everyone to acknowledge again. Who may publish, and what
needs acknowledging before someone may join or post, is the form's to decide; the versions and who agreed to
which live here.
"""

from __future__ import annotations

from django.db import IntegrityError, models, transaction
from django.db.models import Max, QuerySet

from kindred.accounts.models import User

from .models import Rules, RulesAcknowledgement
from .spine import subject_key


def _of(subject: models.Model) -> QuerySet[Rules]:
    content_type, subject_id = subject_key(subject)
    return Rules.objects.filter(subject_type=content_type, subject_id=subject_id)


def rules_current(subject: models.Model) -> Rules | None:
    return _of(subject).order_by("-version").first()


def rules_version(subject: models.Model, version: int) -> Rules | None:
    return _of(subject).filter(version=version).first()


def rules_history(subject: models.Model) -> QuerySet[Rules]:
    return _of(subject).order_by("-version")


def rules_publish(*, actor: User | None, subject: models.Model, text: str, author_agrees: bool = True) -> Rules:
    """A new version of `subject`'s rules; unless told otherwise, the person publishing them has agreed to them."""
    content_type, subject_id = subject_key(subject)
    with transaction.atomic():
        latest = _of(subject).aggregate(latest=Max("version"))["latest"] or 0
        rules = Rules.objects.create(
            subject_type=content_type, subject_id=subject_id, version=latest + 1, text=text, created_by=actor
        )
        if actor is not None and author_agrees:
            RulesAcknowledgement.objects.create(rules=rules, person=actor)
    return rules


def rules_acknowledge(*, person: User, rules: Rules) -> RulesAcknowledgement:
    """Idempotent: agreeing twice keeps the first time."""
    try:
        with transaction.atomic():
            ack, _ = RulesAcknowledgement.objects.get_or_create(rules=rules, person=person)
    except IntegrityError:  # the same agreement at the same moment
        ack = RulesAcknowledgement.objects.get(rules=rules, person=person)
    return ack


def has_acknowledged(person: User, rules: Rules) -> bool:
    return RulesAcknowledgement.objects.filter(rules=rules, person=person).exists()


def acknowledgements_of(person: User) -> QuerySet[RulesAcknowledgement]:
    return RulesAcknowledgement.objects.filter(person=person).select_related("rules").order_by("acknowledged_at")
