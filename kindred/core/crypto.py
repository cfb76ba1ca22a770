"""Encryption at rest for private notes and safeguarding records.

Keys come from the environment variable ``KINDRED_FIELD_KEY``: one or more urlsafe-base64 32-byte Fernet
keys, comma-separated. The first key encrypts; every key decrypts, so a key can be rotated by putting the
new one first, running ``rotate_field`` (or re-saving the rows), then dropping the old one.

Without the variable (development and tests) a key is derived from ``SECRET_KEY`` with HKDF, so a fresh
checkout works; production should always set its own key, kept apart from the database backups.
"""

from __future__ import annotations

import base64
import os
from functools import lru_cache
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core import checks, validators
from django.core.exceptions import ImproperlyConfigured
from django.db import connections, models, router

ENV_VAR = "KINDRED_FIELD_KEY"
# Every Fernet token starts with this (version byte 0x80, base64-encoded).
TOKEN_PREFIX = "gAAAAA"  # noqa: S105 - not a secret: the marker every Fernet token begins with


class DecryptionError(Exception):
    """The stored value could not be decrypted with any configured key."""


def derive_key(secret: str) -> bytes:
    """A Fernet key derived from a secret (development default), stable for the same secret."""
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=b"kindred-field-encryption", info=b"fernet-key-v1")
    return base64.urlsafe_b64encode(hkdf.derive(secret.encode()))


def configured_keys() -> list[bytes]:
    raw = os.environ.get(ENV_VAR, "").strip()
    if not raw:
        return [derive_key(settings.SECRET_KEY)]
    keys = [item.strip().encode() for item in raw.split(",") if item.strip()]
    for key in keys:
        try:
            Fernet(key)
        except (ValueError, TypeError) as exc:
            raise ImproperlyConfigured(
                f"{ENV_VAR} must be a comma-separated list of urlsafe-base64 32-byte keys "
                "(make one with: python -c "
                "'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())')."
            ) from exc
    return keys


@lru_cache(maxsize=4)
def _fernet_for(keys: tuple[bytes, ...]) -> MultiFernet:
    return MultiFernet([Fernet(key) for key in keys])


def fernet() -> MultiFernet:
    """The current cipher; cached per key set, so changing the environment (tests, rotation) takes effect."""
    return _fernet_for(tuple(configured_keys()))


def encrypt(plaintext: str) -> str:
    return fernet().encrypt(plaintext.encode("utf-8")).decode("ascii")


def decrypt(token: str) -> str:
    try:
        return fernet().decrypt(token.encode("ascii")).decode("utf-8")
    except (InvalidToken, UnicodeError) as exc:
        raise DecryptionError("This value could not be decrypted with the configured keys.") from exc


def rotate(token: str) -> str:
    """Re-encrypt a stored token under the first (newest) key."""
    try:
        return fernet().rotate(token.encode("ascii")).decode("ascii")
    except InvalidToken as exc:
        raise DecryptionError("This value could not be decrypted with the configured keys.") from exc


def rotate_field(model: type[models.Model], field_name: str, *, batch_size: int = 500) -> int:
    """Re-encrypt every stored value of one encrypted field under the newest key; returns rows changed."""
    field = model._meta.get_field(field_name)
    manager = model._default_manager
    db = router.db_for_write(model)
    quote = connections[db].ops.quote_name
    pk, column, table = quote(model._meta.pk.column), quote(field.column), quote(model._meta.db_table)
    # Only identifiers from the model, quoted by the backend; the one value is a parameter.
    sql = f"SELECT {pk}, {column} FROM {table} WHERE {pk} > %s ORDER BY {pk} LIMIT {int(batch_size)}"  # noqa: S608
    changed = 0
    last_pk: Any = 0
    while True:
        # Read the stored tokens themselves (a queryset would decrypt them on the way out).
        with connections[db].cursor() as cursor:
            cursor.execute(sql, [last_pk])
            rows = cursor.fetchall()
        if not rows:
            return changed
        for pk, stored in rows:
            last_pk = pk
            if stored:
                # _Raw tells the field the token is already ciphertext, so it isn't encrypted twice.
                manager.filter(pk=pk).update(**{field.name: _Raw(rotate(stored))})
                changed += 1


class _Raw(str):
    """A value that is already ciphertext: EncryptedTextField stores it unchanged."""


class EncryptedTextField(models.TextField):
    """Text encrypted with Fernet before it reaches the database; decrypted when read.

    ``max_length`` limits the plaintext (the ciphertext is longer and unbounded). The column cannot be searched,
    ordered or filtered by content — only null/empty checks make sense.
    """

    description = "Text encrypted at rest"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.max_length is not None:
            # TextField doesn't validate max_length itself; do it on the plaintext.
            self.validators.append(validators.MaxLengthValidator(self.max_length))

    def check(self, **kwargs: Any) -> list[checks.CheckMessage]:
        errors = super().check(**kwargs)
        if self.db_index or self.unique:
            errors.append(checks.Error("EncryptedTextField cannot be indexed or unique.", obj=self, id="kindred.E001"))
        return errors

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> str | None:
        if value is None or value == "":
            return value
        return decrypt(value)

    def to_python(self, value: Any) -> str | None:
        if value is None or isinstance(value, str):
            return value
        return str(value)

    def get_prep_value(self, value: Any) -> str | None:
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        if isinstance(value, _Raw):
            return str(value)
        return encrypt(str(value))
