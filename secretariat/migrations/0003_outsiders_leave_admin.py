"""The admin is for staff: State users and stakeholders lose `is_staff` (they work in the portal)."""

from django.db import migrations

STAFF_ROLES = ("secretariat_admin", "secretariat_officer", "committee_member")


def outsiders_leave_admin(apps, schema_editor):
    User = apps.get_model("secretariat", "User")
    User.objects.exclude(role__in=STAFF_ROLES).exclude(is_superuser=True).update(is_staff=False)


class Migration(migrations.Migration):
    dependencies = [("secretariat", "0002_importjob")]

    operations = [migrations.RunPython(outsiders_leave_admin, migrations.RunPython.noop)]
