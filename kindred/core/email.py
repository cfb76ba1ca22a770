from __future__ import annotations

from typing import Any

from django.db import transaction
from django.template.loader import render_to_string

from .tasks import send_email


def email_after_commit(*, to: str, template: str, context: dict[str, Any]) -> None:
    """Queue an email once the surrounding transaction commits, so nothing is sent for work rolled back.

    `template` names a pair: `<template>_subject.txt` and `<template>_body.txt`.
    """
    subject = render_to_string(f"{template}_subject.txt", context).strip()
    body = render_to_string(f"{template}_body.txt", context)
    transaction.on_commit(lambda: send_email.enqueue(subject=subject, body=body, to=[to]))
