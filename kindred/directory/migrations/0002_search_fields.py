"""Search: stems for the full-text index on offers, and public ids for synonym sets (used in URLs)."""

import uuid

from django.db import migrations, models


def give_synonyms_public_ids(apps, schema_editor):
    Synonym = apps.get_model("directory", "Synonym")
    for synonym in Synonym.objects.filter(public_id__isnull=True):
        synonym.public_id = uuid.uuid4()
        synonym.save(update_fields=["public_id"])


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="offer",
            name="search_title",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.AddField(
            model_name="offer",
            name="search_body",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.AddField(
            model_name="synonym",
            name="public_id",
            field=models.UUIDField(null=True, editable=False),
        ),
        migrations.RunPython(give_synonyms_public_ids, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="synonym",
            name="public_id",
            field=models.UUIDField(default=uuid.uuid4, unique=True, editable=False),
        ),
    ]
