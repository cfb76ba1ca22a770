"""Handing email to the mail server. Only the reach gate (`kindred.commons.reach`) and the account-security
emails (`kindred.accounts.security_emails`) call these: everything else goes through the gate."""

from __future__ import annotations

from typing import Any

from django.core.mail import EmailMessage, send_mail
from django.db import transaction
from django.template.loader import render_to_string

from .tasks import send_email


def send_now(*, subject: str, body: str, to: str, headers: dict[str, str] | None = None) -> int:
    """Send one plain-text email now (from a task on the worker, never from a request)."""
    if headers:
        return EmailMessage(subject, body, None, [to], headers=headers).send()
    return send_mail(subject, body, None, [to])


def email_after_commit(*, to: str, template: str, context: dict[str, Any]) -> None:
    """Queue an email once the surrounding transaction commits, so nothing is sent for work rolled back.

    `template` names a pair: `<template>_subject.txt` and `<template>_body.txt`.
    """
    subject = render_to_string(f"{template}_subject.txt", context).strip()
    body = render_to_string(f"{template}_body.txt", context)
    transaction.on_commit(lambda: send_email.enqueue(subject=subject, body=body, to=[to]))
