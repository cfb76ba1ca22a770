"""The engines' full-text indexes over Offer.search_title / Offer.search_body.

SQLite: an FTS5 table with external content (directory_offer) kept in step by triggers.
PostgreSQL: two generated tsvector columns, the body one with a GIN index.
Both use no stemming or stop words of their own: the stems come from kindred.directory.text.

`install()` is idempotent. Migration 0003 calls it, and so does a post_migrate handler, because
on SQLite Django alters a table by rebuilding it, which silently drops its triggers; the handler
puts them back and rebuilds the index.
"""

from __future__ import annotations

from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper

FTS_TABLE = "directory_offer_fts"
TRIGGERS = ("directory_offer_fts_ai", "directory_offer_fts_ad", "directory_offer_fts_au")

_SQLITE_TABLE = """
CREATE VIRTUAL TABLE IF NOT EXISTS directory_offer_fts USING fts5(
    search_title, search_body,
    content='directory_offer', content_rowid='id',
    tokenize='unicode61 remove_diacritics 0'
)
"""
_SQLITE_TRIGGERS = (
    """
CREATE TRIGGER IF NOT EXISTS directory_offer_fts_ai AFTER INSERT ON directory_offer BEGIN
    INSERT INTO directory_offer_fts(rowid, search_title, search_body)
        VALUES (new.id, new.search_title, new.search_body);
END
""",
    """
CREATE TRIGGER IF NOT EXISTS directory_offer_fts_ad AFTER DELETE ON directory_offer BEGIN
    INSERT INTO directory_offer_fts(directory_offer_fts, rowid, search_title, search_body)
        VALUES ('delete', old.id, old.search_title, old.search_body);
END
""",
    """
CREATE TRIGGER IF NOT EXISTS directory_offer_fts_au AFTER UPDATE OF search_title, search_body ON directory_offer
BEGIN
    INSERT INTO directory_offer_fts(directory_offer_fts, rowid, search_title, search_body)
        VALUES ('delete', old.id, old.search_title, old.search_body);
    INSERT INTO directory_offer_fts(rowid, search_title, search_body)
        VALUES (new.id, new.search_title, new.search_body);
END
""",
)

_PG_COLUMNS = """
ALTER TABLE directory_offer
    ADD COLUMN IF NOT EXISTS search_title_vector tsvector
        GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, search_title)) STORED,
    ADD COLUMN IF NOT EXISTS search_body_vector tsvector
        GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, search_body)) STORED
"""
_PG_INDEX = (
    "CREATE INDEX IF NOT EXISTS directory_offer_search_body_gin ON directory_offer USING gin (search_body_vector)"
)


def install(connection: BaseDatabaseWrapper) -> bool:
    """Create whatever is missing; return True if anything was (re)created."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name IN (%s, %s, %s)", TRIGGERS
            )
            if cursor.fetchone()[0] == len(TRIGGERS):
                return False
            cursor.execute(_SQLITE_TABLE)
            for statement in _SQLITE_TRIGGERS:
                cursor.execute(statement)
            cursor.execute("INSERT INTO directory_offer_fts(directory_offer_fts) VALUES ('rebuild')")
            return True
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT count(*) FROM information_schema.columns WHERE table_name = 'directory_offer' "
                "AND column_name IN ('search_title_vector', 'search_body_vector') AND table_schema = current_schema()"
            )
            present = cursor.fetchone()[0]
            cursor.execute(_PG_COLUMNS)
            cursor.execute(_PG_INDEX)
            return present < 2
    return False


def uninstall(connection: BaseDatabaseWrapper) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            for name in TRIGGERS:
                cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
            cursor.execute("DROP TABLE IF EXISTS directory_offer_fts")
        elif connection.vendor == "postgresql":
            cursor.execute("DROP INDEX IF EXISTS directory_offer_search_body_gin")
            cursor.execute(
                "ALTER TABLE directory_offer DROP COLUMN IF EXISTS search_title_vector, "
                "DROP COLUMN IF EXISTS search_body_vector"
            )


def heal_after_migrate(sender: Any, using: str = "default", **kwargs: Any) -> None:
    """post_migrate: put back the SQLite triggers if a table rebuild dropped them (no-op otherwise)."""
    from django.db import connections

    from .models import Offer

    connection = connections[using]
    table = Offer._meta.db_table
    with connection.cursor() as cursor:
        if table not in connection.introspection.table_names(cursor):
            return  # migrated backwards past the directory's first migration
        columns = {column.name for column in connection.introspection.get_table_description(cursor, table)}
    if {"search_title", "search_body"} <= columns:  # not before migration 0002
        install(connection)
