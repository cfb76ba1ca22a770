"""The after-session check-in is now kindred.care's SupporterCheckIn: its rows were copied there first."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("onetoone", "0003_one_note_policy_and_person_quiet_hours"),
        ("care", "0002_move_onetoone_checkins"),
    ]

    operations = [
        migrations.DeleteModel(
            name="WorkerWellbeingCheckIn",
        ),
    ]
