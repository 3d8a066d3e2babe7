"""Train the suggestion models (category, second-level category, responsible unit) from
the cases the office has classified and routed, store them as new versions and print
their cross-validated figures. The same runs nightly (huey) and from the admin."""

from django.core.management.base import BaseCommand

from xinfang.nlp.services import train_models


class Command(BaseCommand):
    help = "Train and store new versions of the suggestion models; print their cross-validated figures."

    def handle(self, *args, **opts):
        for row in train_models(actor=None):
            f1 = f"{row.macro_f1:.4f}" if row.macro_f1 is not None else "—"
            self.stdout.write(f"{row.target} v{row.version}: samples={row.samples} classes={row.classes} macro_f1={f1}"
                              + (f"  ({row.notes})" if row.notes else ""))
