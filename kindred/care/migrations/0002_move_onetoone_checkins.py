"""Move the one-to-one after-session check-ins into the one supporter check-in.

They were made when the form said "your supervisor can see your check-ins", so they stay shared with the
supervisor. The notes are decrypted and re-encrypted by the field, with the same key.
"""

from django.db import migrations


def forwards(apps, schema_editor):
    Old = apps.get_model("onetoone", "WorkerWellbeingCheckIn")
    New = apps.get_model("care", "SupporterCheckIn")
    for old in Old.objects.select_related("session__match__scheme").iterator():
        if New.objects.filter(public_id=old.public_id).exists():
            continue
        new = New.objects.create(
            public_id=old.public_id,
            worker_id=old.worker_id,
            session_id=old.session_id,
            organisation_id=old.session.match.scheme.organisation_id if old.session_id else None,
            feeling=old.feeling,
            note=old.note,
            would_like_to_talk=old.would_like_to_talk,
            shared_with_supervisor=True,
        )
        New.objects.filter(pk=new.pk).update(created_at=old.created_at)  # auto_now_add ignores a given value


def backwards(apps, schema_editor):
    Old = apps.get_model("onetoone", "WorkerWellbeingCheckIn")
    New = apps.get_model("care", "SupporterCheckIn")
    for new in New.objects.filter(meeting__isnull=True).iterator():
        old = Old.objects.create(
            public_id=new.public_id,
            worker_id=new.worker_id,
            session_id=new.session_id,
            feeling=new.feeling,
            note=new.note,
            would_like_to_talk=new.would_like_to_talk,
        )
        Old.objects.filter(pk=old.pk).update(created_at=new.created_at)


class Migration(migrations.Migration):
    dependencies = [
        ("care", "0001_supporter_care_and_incidents"),
        ("onetoone", "0003_one_note_policy_and_person_quiet_hours"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
