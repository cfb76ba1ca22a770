"""The spine moved to kindred.commons: every engagement is copied there (same ids), then the old table goes."""

from django.db import migrations

FIELDS = (
    "id",
    "public_id",
    "person_id",
    "organisation_id",
    "form",
    "role",
    "subject_type_id",
    "subject_id",
    "subject_label",
    "started_at",
    "last_active_at",
    "ended_at",
    "end_reason",
)


def copy_engagements(apps, schema_editor):
    Old = apps.get_model("journey", "Engagement")
    New = apps.get_model("commons", "Engagement")
    batch = []
    for row in Old.objects.order_by("id").values(*FIELDS).iterator(chunk_size=2000):
        batch.append(New(**row))
        if len(batch) >= 2000:
            New.objects.bulk_create(batch)
            batch = []
    if batch:
        New.objects.bulk_create(batch)
    if schema_editor.connection.vendor == "postgresql" and New.objects.exists():
        # Rows were inserted with their ids: move the sequence past them.
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence('commons_engagement', 'id'), (SELECT MAX(id) FROM commons_engagement))"
            )


def copy_back(apps, schema_editor):
    Old = apps.get_model("journey", "Engagement")
    New = apps.get_model("commons", "Engagement")
    Old.objects.bulk_create([Old(**row) for row in New.objects.order_by("id").values(*FIELDS)])


class Migration(migrations.Migration):
    dependencies = [
        ("journey", "0002_moments_status_reflections_dismissals"),
        ("commons", "0003_spine"),
    ]

    operations = [
        migrations.RunPython(copy_engagements, copy_back),
        migrations.DeleteModel(name="Engagement"),
    ]
