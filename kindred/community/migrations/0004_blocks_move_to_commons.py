"""One block everywhere: the online community's blocks are copied into kindred.commons' Block, then its own table goes."""

from django.db import migrations


def copy_blocks(apps, schema_editor):
    Old = apps.get_model("community", "Block")
    New = apps.get_model("commons", "Block")
    for old in Old.objects.all().iterator():
        block, created = New.objects.get_or_create(blocker_id=old.blocker_id, blocked_id=old.blocked_id)
        if created or old.created_at < block.created_at:
            New.objects.filter(pk=block.pk).update(created_at=old.created_at)  # keep when it was first made


def copy_back(apps, schema_editor):
    Old = apps.get_model("community", "Block")
    New = apps.get_model("commons", "Block")
    for block in New.objects.all().iterator():
        Old.objects.get_or_create(blocker_id=block.blocker_id, blocked_id=block.blocked_id)


class Migration(migrations.Migration):
    dependencies = [
        ("community", "0003_thread_lock_note"),
        ("commons", "0003_spine"),
    ]

    operations = [
        migrations.RunPython(copy_blocks, copy_back),
        migrations.DeleteModel(name="Block"),
    ]
