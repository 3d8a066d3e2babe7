from django.db import migrations


def create_auditor_role(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.get_or_create(name="auditor")


class Migration(migrations.Migration):
    dependencies = [("org", "0003_user_security"), ("auth", "0012_alter_user_first_name_max_length")]
    operations = [migrations.RunPython(create_auditor_role, migrations.RunPython.noop)]
