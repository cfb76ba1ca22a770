from __future__ import annotations

from django.core.mail import send_mail
from django_tasks import task


@task()
def send_email(*, subject: str, body: str, to: list[str]) -> int:
    """Send one plain-text email. Runs on the task worker (`manage.py db_worker`)."""
    return send_mail(subject, body, None, to)
