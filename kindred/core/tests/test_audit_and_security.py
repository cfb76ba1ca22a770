from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from kindred.core.models import AuditEvent
from kindred.core.services import audit_record

ROOT = Path(__file__).resolve().parents[3]


@pytest.mark.django_db
def test_audit_record_stores_actor_subject_and_detail(personas):
    event = audit_record(
        actor=personas.coordinator,
        action="membership.granted",
        subject=personas.member,
        organisation=personas.organisation,
        detail={"role": "peer"},
    )
    stored = AuditEvent.objects.get(pk=event.pk)
    assert stored.actor == personas.coordinator
    assert stored.subject_type == "accounts.user"
    assert stored.subject_id == str(personas.member.public_id)  # public id, never the integer key
    assert stored.organisation == personas.organisation
    assert stored.detail == {"role": "peer"}


@pytest.mark.django_db
def test_anonymous_actor_is_stored_as_none():
    from django.contrib.auth.models import AnonymousUser

    assert audit_record(actor=AnonymousUser(), action="x").actor is None


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", ["home", "safety:crisis", "accounts:login", "accounts:signup"])
def test_security_headers_and_strict_csp_on_pages(client, url_name):
    response = client.get(reverse(url_name))
    assert response.status_code == 200
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]


@pytest.mark.django_db
def test_pages_load_no_third_party_assets(client):
    html = client.get(reverse("home")).content.decode()
    for marker in ('src="http', "src='http", 'href="http', "//cdn", "googleapis", "gstatic"):
        assert marker not in html


def test_static_files_are_all_vendored():
    """Every asset the templates reference is a file in the repo; nothing is fetched from elsewhere."""
    static = ROOT / "kindred" / "static"
    assert (static / "vendor" / "htmx.min.js").stat().st_size > 10_000
    assert (static / "kindred" / "site.css").exists()


def test_deploy_checks_pass_with_production_settings(tmp_path):
    env = {
        **os.environ,
        "KINDRED_DEBUG": "0",
        "SECRET_KEY": "x" * 60 + "production-like-secret-for-the-check",
        "ALLOWED_HOSTS": "kindred.example.org",
        "KINDRED_DATA_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "kindred.settings",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_settings_refuse_to_start_without_a_secret_key(tmp_path):
    env = {**os.environ, "KINDRED_DEBUG": "0", "SECRET_KEY": "", "KINDRED_DATA_DIR": str(tmp_path)}
    env["DJANGO_SETTINGS_MODULE"] = "kindred.settings"
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr
