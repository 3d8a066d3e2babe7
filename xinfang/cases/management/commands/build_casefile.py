"""Build (or build again) the electronic case file of an archived case, now, in this
process: for an operator after installing LibreOffice, or when the worker was down."""

from django.core.management.base import BaseCommand, CommandError

from xinfang.cases import casefile
from xinfang.cases.models import Case
from xinfang.lib.errors import ServiceError


class Command(BaseCommand):
    help = "生成已归档事项的电子案卷 / Build the case file (PDF, zip, manifest) of an archived case."

    def add_arguments(self, parser):
        parser.add_argument("number", help="事项编号 / case number, e.g. 341122-XFJ-2026-00001")

    def handle(self, *args, number, **options):
        case = Case.objects.filter(number=number.strip()).first()
        if case is None:
            raise CommandError(f"找不到事项 {number} / No case numbered {number}.")
        try:
            row = casefile.build(case)
        except ServiceError as exc:
            raise CommandError(exc.message)
        self.stdout.write(f"{case.number}: {row.pages} 页 / pages, {len(row.manifest)} 件 / items, "
                          f"PDF {row.pdf.name}, zip {row.bundle.name}")
        for failure in row.failures:
            self.stdout.write(f"转换失败 / failed: {failure['name']} ({failure['title']}): {failure['reason']}")
