"""Stepping back and a death move into the reach gate's one state (kindred.commons' ReachState), which every
message respects; care's own copy goes. The incident that recorded a death keeps its "stop reminders" step."""

from django.db import migrations


def forwards(apps, schema_editor):
    CareState = apps.get_model("care", "CareState")
    ReachState = apps.get_model("commons", "ReachState")
    for old in CareState.objects.iterator():
        state, _ = ReachState.objects.get_or_create(person_id=old.person_id)
        if old.stepped_back_since is not None and state.stepped_back_since is None:
            state.stepped_back_since = old.stepped_back_since
        if old.deceased_at is not None and state.deceased_at is None:
            state.deceased_at = old.deceased_at
            state.deceased_recorded_by_id = old.deceased_recorded_by_id
        state.save()


def backwards(apps, schema_editor):
    CareState = apps.get_model("care", "CareState")
    ReachState = apps.get_model("commons", "ReachState")
    for state in ReachState.objects.exclude(stepped_back_since__isnull=True, deceased_at__isnull=True).iterator():
        CareState.objects.update_or_create(
            person_id=state.person_id,
            defaults={
                "stepped_back_since": state.stepped_back_since,
                "deceased_at": state.deceased_at,
                "deceased_recorded_by_id": state.deceased_recorded_by_id,
            },
        )


class Migration(migrations.Migration):
    dependencies = [
        ("care", "0002_move_onetoone_checkins"),
        ("commons", "0003_spine"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
        migrations.DeleteModel(name="CareState"),
    ]
