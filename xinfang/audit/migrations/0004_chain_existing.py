"""Chain the audit record, step 2: entries written before the chain existed are
chained in the order they were written (id). A migration of its own so that PostgreSQL
runs the updates and the later ALTER TABLE in separate transactions."""

from django.db import migrations

from xinfang.audit.chain import GENESIS, entry_hash, row_values


def chain_existing(apps, schema_editor):
    AuditEntry = apps.get_model("audit", "AuditEntry")
    AuditChainHead = apps.get_model("audit", "AuditChainHead")
    prev, seq = GENESIS, 0
    for entry in AuditEntry.objects.order_by("id").iterator(chunk_size=2000):
        seq += 1
        entry.seq, entry.prev_hash = seq, prev
        entry.hash = entry_hash(**row_values(entry))
        AuditEntry.objects.filter(pk=entry.pk).update(seq=seq, prev_hash=prev, hash=entry.hash)
        prev = entry.hash
    if seq:
        AuditChainHead.objects.create(pk=1, last_seq=seq, last_hash=prev)


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_chain")]
    operations = [migrations.RunPython(chain_existing, migrations.RunPython.noop)]
