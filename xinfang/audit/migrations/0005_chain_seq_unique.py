"""Chain the audit record, step 3: every entry has its sequence number now."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("audit", "0004_chain_existing")]

    operations = [
        migrations.AlterField(
            model_name="auditentry", name="seq",
            field=models.BigIntegerField(editable=False, unique=True, verbose_name="序号"),
        ),
        migrations.AddIndex(
            model_name="auditentry",
            index=models.Index(fields=["object_type", "object_id"], name="audit_object_idx"),
        ),
    ]
