"""One acknowledgement of rules: spaces' house rules are copied into kindred.commons' Rules (versions, texts, authors, dates and
who agreed to which), then the community's own tables go."""

from django.db import migrations


def copy_rules(apps, schema_editor):
    Old = apps.get_model("community", "HouseRules")
    OldAck = apps.get_model("community", "HouseRulesAcknowledgement")
    Rules = apps.get_model("commons", "Rules")
    Ack = apps.get_model("commons", "RulesAcknowledgement")
    ContentType = apps.get_model("contenttypes", "ContentType")
    place_type, _ = ContentType.objects.get_or_create(app_label="community", model="space")
    moved = {}
    for old in Old.objects.all().order_by("pk").iterator():
        new = Rules.objects.create(
            subject_type=place_type,
            subject_id=str(old.space_id),
            version=old.version,
            text=old.text,
            created_by_id=old.created_by_id,
        )
        Rules.objects.filter(pk=new.pk).update(created_at=old.created_at)
        moved[old.pk] = new.pk
    for ack in OldAck.objects.all().iterator():
        new = Ack.objects.create(rules_id=moved[ack.rules_id], person_id=ack.user_id)
        Ack.objects.filter(pk=new.pk).update(acknowledged_at=ack.acknowledged_at)


class Migration(migrations.Migration):
    dependencies = [
        ("community", "0006_spaces_can_be_archived"),
        ("commons", "0004_rules"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(copy_rules, migrations.RunPython.noop),
        migrations.DeleteModel(name="HouseRulesAcknowledgement"),
        migrations.DeleteModel(name="HouseRules"),
    ]
