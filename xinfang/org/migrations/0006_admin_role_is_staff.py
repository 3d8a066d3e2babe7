from django.db import migrations


def admins_are_staff(apps, schema_editor):
    """The 系统管理员 role now opens the admin by itself (org/signals.py keeps `is_staff`
    with it); those who already hold it get the flag. Its permissions come after the
    migration (org.apps: post_migrate)."""
    User = apps.get_model("org", "User")
    User.objects.filter(groups__name="admin", is_staff=False).update(is_staff=True)


class Migration(migrations.Migration):
    dependencies = [("org", "0005_user_roles_stamp")]
    operations = [migrations.RunPython(admins_are_staff, migrations.RunPython.noop)]
