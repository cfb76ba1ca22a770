"""Full-text search over offers: fill the stems, create each engine's index, seed default synonyms.

SQLite gets an FTS5 table kept in step by triggers; PostgreSQL gets generated tsvector columns with
a GIN index. See kindred/directory/fts.py, which also repairs the SQLite triggers after table rebuilds.
"""

from django.db import migrations

from kindred.directory import fts
from kindred.directory.text import DEFAULT_SYNONYMS, document_for


def fill_search_fields(apps, schema_editor):
    Offer = apps.get_model("directory", "Offer")
    for offer in Offer.objects.all().iterator():
        offer.search_title, offer.search_body = document_for(offer)
        offer.save(update_fields=["search_title", "search_body"])


def install_index(apps, schema_editor):
    fts.install(schema_editor.connection)


def uninstall_index(apps, schema_editor):
    fts.uninstall(schema_editor.connection)


def seed_synonyms(apps, schema_editor):
    Synonym = apps.get_model("directory", "Synonym")
    for terms in DEFAULT_SYNONYMS:
        Synonym.objects.get_or_create(terms=terms)


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0002_search_fields"),
    ]

    operations = [
        migrations.RunPython(fill_search_fields, migrations.RunPython.noop),
        migrations.RunPython(install_index, uninstall_index),
        migrations.RunPython(seed_synonyms, migrations.RunPython.noop),
    ]
