"""Writes for the search side of the directory: the shared synonyms list. Keyword-only, atomic, audited."""

from __future__ import annotations

from django.db import transaction

from kindred.accounts.models import User
from kindred.core.errors import AppError
from kindred.core.services import audit_record

from .models import Synonym
from .text import DEFAULT_SYNONYMS, stems

MIN_TERMS = 2
MAX_TERMS = 15
MAX_TERM_LENGTH = 60
MAX_SET_LENGTH = 300  # Synonym.terms


class SynonymError(AppError):
    """A kind message about why a synonym set can't be saved as it is."""


def clean_synonym_terms(terms: str, *, exclude: Synonym | None = None) -> str:
    """Check a comma-separated set of words or phrases; return it tidied ("a, b, c") or raise SynonymError."""
    items = [" ".join(t.split()) for t in (terms or "").split(",")]
    items = [t for t in items if t]
    if len(items) < MIN_TERMS:
        raise SynonymError(
            "Please give at least two words or phrases that mean the same thing, separated by commas — "
            "for example: befriending, buddy."
        )
    if len(items) > MAX_TERMS:
        raise SynonymError(
            f"Please keep a set to {MAX_TERMS} words or phrases. If you need more, split them into two sets."
        )
    seen: dict[tuple[str, ...], str] = {}
    for item in items:
        if len(item) > MAX_TERM_LENGTH:
            raise SynonymError(
                f"“{item[:40]}…” is a bit long for one term. Please keep each word or phrase under "
                f"{MAX_TERM_LENGTH} characters."
            )
        key = tuple(stems(item))
        if not key:
            raise SynonymError(f"“{item}” has no letters or numbers we can search for. Please use plain words.")
        if key in seen:
            if seen[key].lower() == item.lower():
                raise SynonymError(f"“{item}” is in the list twice. Once is enough.")
            raise SynonymError(
                f"“{seen[key]}” and “{item}” count as the same word for search, so you only need one of them."
            )
        seen[key] = item
    tidy = ", ".join(items)
    if len(tidy) > MAX_SET_LENGTH:
        raise SynonymError(
            f"That set is a bit long altogether (over {MAX_SET_LENGTH} characters). Please split it into two sets."
        )
    wanted = frozenset(seen)
    for other in Synonym.objects.exclude(pk=exclude.pk if exclude else None):
        if frozenset(tuple(stems(t)) for t in other.term_list) == wanted:
            raise SynonymError("There is already a set with exactly these words, so there's no need to add it again.")
    return tidy


def synonym_create(*, actor: User, terms: str) -> Synonym:
    with transaction.atomic(durable=True):
        tidy = clean_synonym_terms(terms)
        synonym = Synonym.objects.create(terms=tidy, updated_by=actor)
        audit_record(actor=actor, action="directory.synonym_created", subject=synonym, detail={"terms": tidy})
    return synonym


def synonym_update(*, actor: User, synonym: Synonym, terms: str) -> Synonym:
    with transaction.atomic(durable=True):
        synonym = Synonym.objects.select_for_update().get(pk=synonym.pk)
        tidy = clean_synonym_terms(terms, exclude=synonym)
        before = synonym.terms
        synonym.terms = tidy
        synonym.updated_by = actor
        synonym.save(update_fields=["terms", "updated_by", "updated_at"])
        audit_record(
            actor=actor,
            action="directory.synonym_updated",
            subject=synonym,
            detail={"before": before, "after": tidy},
        )
    return synonym


def synonym_delete(*, actor: User, synonym: Synonym) -> None:
    with transaction.atomic(durable=True):
        audit_record(actor=actor, action="directory.synonym_deleted", subject=synonym, detail={"terms": synonym.terms})
        synonym.delete()


def synonyms_ensure_defaults() -> int:
    """Add any of the default synonym sets that are missing (demo data; safe to run again)."""
    created = 0
    for terms in DEFAULT_SYNONYMS:
        _, was_created = Synonym.objects.get_or_create(terms=terms)
        created += was_created
    return created
