"""Benchmarks only: fill the database with many synthetic cases, fast."""

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from ...bulk import fill_cases


class Command(BaseCommand):
    help = (
        "仅供性能测试：以批量插入方式直接写入N件合成信访事项（不经登记和办理服务，无审计记录），用于压测，切勿用于演示或生产。 / "
        "FOR BENCHMARKS ONLY: writes N synthetic but consistent cases straight into the tables in bulk (no services, no "
        "audit trail): numbers continue each unit's sequence, statuses carry their dates and deadlines, one petition, "
        "petitioner and register event each. Adds to what is there. Never use it for demo or real data."
    )

    def add_arguments(self, parser):
        parser.add_argument("--cases", type=int, default=100_000, help="how many cases to add (default 100000)")
        parser.add_argument("--batch", type=int, default=5000, help="cases per transaction (default 5000)")
        parser.add_argument("--seed", type=int, default=11)
        parser.add_argument("--days", type=int, default=365, help="spread receipt over this many days back from now (default 365)")

    def handle(self, *args, cases, batch, seed, days, **options):
        if cases < 1 or batch < 1 or days < 1:
            raise CommandError("--cases, --batch and --days must be positive")
        self.stdout.write(f"bench_fill: {cases} synthetic cases into {connection.vendor} ({connection.settings_dict['NAME']})")
        counts, seconds = fill_cases(cases, batch=batch, seed=seed, days=days, log=self.stdout.write)
        summary = ", ".join(f"{status} {n}" for status, n in sorted(counts.items(), key=lambda kv: -kv[1]))
        self.stdout.write(summary)
        self.stdout.write(self.style.SUCCESS(f"bench_fill: {cases} cases in {seconds:.1f} s ({cases / seconds:,.0f} cases/s)"))
