"""Rebuild the search index and the near-duplicate index from the petitions (after a
restore, a change of the user dictionary, or a change of the MinHash settings)."""

import time

from django.core.management.base import BaseCommand

from xinfang.nlp.index import rebuild


class Command(BaseCommand):
    help = "Rebuild the search documents and the near-duplicate index of every petition."

    def add_arguments(self, parser):
        parser.add_argument("--batch", type=int, default=500)

    def handle(self, *args, **opts):
        started = time.perf_counter()

        def progress(done):
            self.stdout.write(f"  {done} petitions indexed ({time.perf_counter() - started:.0f} s)")

        done = rebuild(batch=opts["batch"], progress=progress)
        self.stdout.write(f"indexed={done} seconds={time.perf_counter() - started:.1f}")
