"""Chain the audit record, step 1: the chain head and the new columns."""

import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_initial")]

    operations = [
        migrations.CreateModel(
            name="AuditChainHead",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("last_seq", models.BigIntegerField(default=0, verbose_name="末条序号")),
                ("last_hash", models.CharField(max_length=64, verbose_name="末条摘要")),
                ("updated_at", models.DateTimeField(default=django.utils.timezone.now, verbose_name="更新时间")),
            ],
            options={"verbose_name": "审计链末端", "verbose_name_plural": "审计链末端"},
        ),
        migrations.AlterModelOptions(
            name="auditentry",
            options={"ordering": ["-seq"], "verbose_name": "审计记录", "verbose_name_plural": "审计记录"},
        ),
        migrations.AlterField(
            model_name="auditentry",
            name="at",
            field=models.DateTimeField(db_index=True, default=django.utils.timezone.now, editable=False, verbose_name="时间"),
        ),
        migrations.AddField(
            model_name="auditentry", name="seq",
            field=models.BigIntegerField(null=True, editable=False, verbose_name="序号"),
        ),
        migrations.AddField(
            model_name="auditentry", name="prev_hash",
            field=models.CharField(default="", editable=False, max_length=64, verbose_name="前序摘要"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="auditentry", name="hash",
            field=models.CharField(default="", editable=False, max_length=64, verbose_name="摘要"),
            preserve_default=False,
        ),
    ]
