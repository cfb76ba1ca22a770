"""Encryption at rest: what reaches the database is ciphertext, and keys can rotate."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import connection, models
from django.test.utils import isolate_apps

from kindred.core import crypto
from kindred.core.crypto import EncryptedTextField

PLAIN = "We talked about the voices getting louder at night, and the walk by the canal."


@pytest.fixture
def secret_model(transactional_db: None) -> Iterator[type[models.Model]]:
    """A throwaway model with an encrypted field, its table created for this test and dropped after."""
    with isolate_apps("kindred.core"):

        class Secret(models.Model):
            body = EncryptedTextField(max_length=200, blank=True)
            label = models.CharField(max_length=20, blank=True)

            class Meta:
                app_label = "core"
                db_table = "core_test_crypto_secret"

            def __str__(self) -> str:
                return f"Secret {self.pk}"

        with connection.schema_editor() as editor:
            editor.create_model(Secret)
        try:
            yield Secret
        finally:
            with connection.schema_editor() as editor:
                editor.delete_model(Secret)


def raw_body(pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT body FROM core_test_crypto_secret WHERE id = %s", [pk])
        return cursor.fetchone()[0]


def test_database_holds_ciphertext_and_the_model_reads_plaintext(secret_model):
    row = secret_model.objects.create(body=PLAIN, label="a")
    stored = raw_body(row.pk)
    assert stored.startswith(crypto.TOKEN_PREFIX)
    assert PLAIN not in stored
    for word in ("voices", "canal", "louder"):
        assert word not in stored
    assert secret_model.objects.get(pk=row.pk).body == PLAIN


def test_same_text_encrypts_differently_each_time(secret_model):
    first = secret_model.objects.create(body=PLAIN)
    second = secret_model.objects.create(body=PLAIN)
    assert raw_body(first.pk) != raw_body(second.pk)


def test_updates_are_encrypted_too(secret_model):
    row = secret_model.objects.create(body="first draft")
    row.body = "a second thought about the canal"
    row.save()
    assert "canal" not in raw_body(row.pk)
    secret_model.objects.filter(pk=row.pk).update(body="via update()")
    assert "update" not in raw_body(row.pk)
    assert secret_model.objects.get(pk=row.pk).body == "via update()"


def test_empty_and_unicode_values_round_trip(secret_model):
    empty = secret_model.objects.create(body="")
    assert raw_body(empty.pk) == ""
    assert secret_model.objects.get(pk=empty.pk).body == ""
    welsh = secret_model.objects.create(body="Diolch — a good chat ☕")
    assert "Diolch" not in raw_body(welsh.pk)
    assert secret_model.objects.get(pk=welsh.pk).body == "Diolch — a good chat ☕"


def test_max_length_is_checked_on_the_plaintext(secret_model):
    fits = secret_model(body="x" * 200)
    fits.full_clean()  # the ciphertext is far longer than 200, but that doesn't count
    with pytest.raises(ValidationError) as excinfo:
        secret_model(body="x" * 201).full_clean()
    assert "body" in excinfo.value.message_dict
    form_field = secret_model._meta.get_field("body").formfield()
    assert form_field.max_length == 200


def test_keys_from_the_environment_and_rotation(secret_model, monkeypatch):
    old_key = Fernet.generate_key().decode()
    new_key = Fernet.generate_key().decode()
    monkeypatch.setenv(crypto.ENV_VAR, old_key)
    row = secret_model.objects.create(body=PLAIN)
    under_old = raw_body(row.pk)
    assert Fernet(old_key.encode()).decrypt(under_old.encode()).decode() == PLAIN

    # New key first, old key still listed: old rows still read, new writes use the new key.
    monkeypatch.setenv(crypto.ENV_VAR, f"{new_key}, {old_key}")
    assert secret_model.objects.get(pk=row.pk).body == PLAIN
    assert crypto.rotate_field(secret_model, "body") == 1
    under_new = raw_body(row.pk)
    assert under_new != under_old
    assert Fernet(new_key.encode()).decrypt(under_new.encode()).decode() == PLAIN

    # Old key dropped: everything still reads.
    monkeypatch.setenv(crypto.ENV_VAR, new_key)
    assert secret_model.objects.get(pk=row.pk).body == PLAIN


def test_a_wrong_key_fails_loudly_rather_than_returning_garbage(secret_model, monkeypatch):
    monkeypatch.setenv(crypto.ENV_VAR, Fernet.generate_key().decode())
    row = secret_model.objects.create(body=PLAIN)
    monkeypatch.setenv(crypto.ENV_VAR, Fernet.generate_key().decode())
    with pytest.raises(crypto.DecryptionError):
        secret_model.objects.get(pk=row.pk)


def test_a_malformed_key_is_a_configuration_error(monkeypatch):
    monkeypatch.setenv(crypto.ENV_VAR, "not-a-key")
    with pytest.raises(ImproperlyConfigured) as excinfo:
        crypto.encrypt("x")
    assert crypto.ENV_VAR in str(excinfo.value)


def test_development_key_is_derived_from_the_secret_key(monkeypatch, settings):
    monkeypatch.delenv(crypto.ENV_VAR, raising=False)
    token = crypto.encrypt("hello")
    assert crypto.decrypt(token) == "hello"
    assert Fernet(crypto.derive_key(settings.SECRET_KEY)).decrypt(token.encode()) == b"hello"
    settings.SECRET_KEY = "a-different-secret-" + "z" * 40
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(token)
