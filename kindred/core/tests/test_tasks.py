"""Background email: queued only once the work that caused it has committed, delivered by the worker."""

from __future__ import annotations

import signal
from collections.abc import Iterator

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django_tasks_db.models import DBTaskResult

from kindred.accounts.services import user_signup
from kindred.core.email import email_after_commit
from kindred.testing.factories import UserFactory

pytestmark = pytest.mark.django_db

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def signup() -> None:
    user_signup(
        email="Robin@Example.org",
        password="kettle-harbour-lantern",
        display_name="Wren",
        accepted_terms=True,
        accepted_privacy=True,
    )


def test_signup_email_is_sent_only_after_the_account_is_committed(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        signup()
        assert mail.outbox == []  # the transaction hasn't committed yet

    assert len(callbacks) == 1  # the email was queued "on commit", and commit has now run it
    [email] = mail.outbox
    assert email.to == ["robin@example.org"]
    assert "/account/verify/" in email.body


def test_nothing_is_sent_for_work_that_is_rolled_back(django_capture_on_commit_callbacks):
    user = UserFactory(email="robin@example.org")

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        email_after_commit(to=user.email, template="accounts/email/verify", context={"user": user, "link": "http://x/"})
        raise RuntimeError("something later in the same transaction failed")

    assert callbacks == []
    assert mail.outbox == []


@pytest.fixture
def keep_signal_handlers() -> Iterator[None]:
    """db_worker installs its own SIGINT/SIGTERM handlers; give the test run its own back."""
    saved = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    yield
    for sig, handler in saved.items():
        signal.signal(sig, handler)


# Transactional: the worker closes and reopens database connections between tasks, as it does in
# production, which a test wrapped in one long transaction would not survive on PostgreSQL.
@pytest.mark.django_db(transaction=True)
@override_settings(TASKS=DATABASE_TASKS)
def test_with_the_database_backend_the_email_waits_in_the_queue_until_the_worker_runs(keep_signal_handlers):
    signup()  # commits for real, so its on-commit hook queues the email at once

    row = DBTaskResult.objects.get()
    assert row.task_path == "kindred.core.tasks.send_email"
    assert row.status == "READY"
    assert mail.outbox == []

    call_command("db_worker", "--batch", "--no-reload", "--no-startup-delay", "--interval", "0", verbosity=0)

    [email] = mail.outbox
    assert email.to == ["robin@example.org"]
    assert "/account/verify/" in email.body
    row.refresh_from_db()
    assert row.status == "SUCCESSFUL"
    assert row.return_value == 1  # one message sent
