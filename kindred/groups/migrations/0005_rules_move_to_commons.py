"""One acknowledgement of rules: groups' ground rules are copied into kindred.commons' Rules (versions, texts, authors, dates and
who agreed to which), then groups' own tables go."""

from django.db import migrations


def copy_rules(apps, schema_editor):
    Old = apps.get_model("groups", "GroundRules")
    OldAck = apps.get_model("groups", "GroundRulesAcknowledgement")
    Rules = apps.get_model("commons", "Rules")
    Ack = apps.get_model("commons", "RulesAcknowledgement")
    ContentType = apps.get_model("contenttypes", "ContentType")
    place_type, _ = ContentType.objects.get_or_create(app_label="groups", model="group")
    moved = {}
    for old in Old.objects.all().order_by("pk").iterator():
        new = Rules.objects.create(
            subject_type=place_type,
            subject_id=str(old.group_id),
            version=old.version,
            text=old.text,
            created_by_id=old.created_by_id,
        )
        Rules.objects.filter(pk=new.pk).update(created_at=old.created_at)
        moved[old.pk] = new.pk
    for ack in OldAck.objects.all().iterator():
        new = Ack.objects.create(rules_id=moved[ack.rules_id], person_id=ack.person_id)
        Ack.objects.filter(pk=new.pk).update(acknowledged_at=ack.acknowledged_at)


class Migration(migrations.Migration):
    dependencies = [
        ("groups", "0004_private_group_offers_unlisted"),
        ("commons", "0004_rules"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(copy_rules, migrations.RunPython.noop),
        migrations.DeleteModel(name="GroundRulesAcknowledgement"),
        migrations.DeleteModel(name="GroundRules"),
    ]
