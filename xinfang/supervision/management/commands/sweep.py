"""Run the reminders and overdue sweep now (what the huey periodic task runs) and print
what it did."""

import json

from django.core.management.base import BaseCommand

from xinfang.supervision import sweeps


class Command(BaseCommand):
    help = ("催办扫描：对临期、逾期的法定期限和督办事项生成催办（临期提醒、逾期催办、逾期通报），通知责任单位，逾期较久的提级督办。"
            "重复运行不会重复催办。 / Run the reminders and overdue sweep now; running it again makes and sends nothing twice.")

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="print the result as JSON")

    def handle(self, *args, **options):
        result = sweeps.run()
        if options.get("json"):
            self.stdout.write(json.dumps(result.as_dict(), ensure_ascii=False))
        else:
            self.stdout.write(str(result))
