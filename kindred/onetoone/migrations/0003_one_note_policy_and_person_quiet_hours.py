# One way for two things that were stored twice:
#
# - Whether supervisors may read private session notes: the scheme's setting (Scheme.supervisor_reads_notes) stays;
#   the organisation-wide PracticePolicy goes. The rule was "either says yes", so every scheme of an organisation
#   whose policy said yes gets yes: nobody who could read notes before loses access, and nobody gains any.
# - Quiet hours: the person's own (accounts.Profile), which every email already respects, instead of a copy per
#   scheme that only held back message emails. A supporter's scheme quiet hours fill the person's only where the
#   person had none (the most recently updated profile wins if there are several).

from django.db import migrations


def forwards(apps, schema_editor):
    PracticePolicy = apps.get_model("onetoone", "PracticePolicy")
    Scheme = apps.get_model("onetoone", "Scheme")
    SupporterProfile = apps.get_model("onetoone", "SupporterProfile")
    Profile = apps.get_model("accounts", "Profile")

    allowing = PracticePolicy.objects.filter(supervisors_may_read_notes=True).values("organisation_id")
    Scheme.objects.filter(organisation_id__in=allowing).update(supervisor_reads_notes=True)

    seen = set()
    supporters = SupporterProfile.objects.filter(
        quiet_hours_start__isnull=False, quiet_hours_end__isnull=False
    ).order_by("-updated_at", "-id")
    for supporter in supporters:
        if supporter.user_id in seen:
            continue
        seen.add(supporter.user_id)
        person, _ = Profile.objects.get_or_create(user_id=supporter.user_id)
        if person.quiet_hours_start is None and person.quiet_hours_end is None:
            person.quiet_hours_start = supporter.quiet_hours_start
            person.quiet_hours_end = supporter.quiet_hours_end
            person.save(update_fields=["quiet_hours_start", "quiet_hours_end"])


def backwards(apps, schema_editor):
    SupporterProfile = apps.get_model("onetoone", "SupporterProfile")
    Profile = apps.get_model("accounts", "Profile")
    for person in Profile.objects.filter(quiet_hours_start__isnull=False, quiet_hours_end__isnull=False):
        SupporterProfile.objects.filter(user_id=person.user_id).update(
            quiet_hours_start=person.quiet_hours_start, quiet_hours_end=person.quiet_hours_end
        )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("onetoone", "0002_practice"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
        migrations.RemoveField(model_name="supporterprofile", name="quiet_hours_end"),
        migrations.RemoveField(model_name="supporterprofile", name="quiet_hours_start"),
        migrations.DeleteModel(name="PracticePolicy"),
    ]
