"""The audit record as CSV or Excel, for the filters the auditor chose."""

import csv
import io
import json

from django.utils import timezone
from openpyxl import Workbook

from .forms import action_label

HEADER = ["序号", "时间", "操作人账号", "操作人姓名", "操作", "操作说明", "对象类型", "对象标识", "来源地址", "内容", "摘要"]
# A spreadsheet program runs a cell that starts with one of these as a formula: prefix it.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _safe(value):
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def rows(queryset):
    for e in queryset.select_related("actor").order_by("seq").iterator(chunk_size=2000):
        actor = e.actor
        yield [e.seq, timezone.localtime(e.at).strftime("%Y-%m-%d %H:%M:%S"), actor.username if actor else "",
               actor.display_name if actor else "", e.action, action_label(e.action), e.object_type, e.object_id, e.ip or "",
               json.dumps(e.detail, ensure_ascii=False, sort_keys=True) if e.detail else "", e.hash]


class _Echo:
    def write(self, value):
        return value


def csv_stream(queryset):
    """UTF-8 with a byte-order mark, so that Excel and WPS open the Chinese correctly."""
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(HEADER)
    for row in rows(queryset):
        yield writer.writerow([_safe(v) for v in row])


def xlsx_bytes(queryset):
    book = Workbook(write_only=True)
    sheet = book.create_sheet("审计记录")
    for letter, width in zip("ABCDEFGHIJK", [8, 20, 14, 10, 22, 20, 16, 12, 16, 50, 20]):
        sheet.column_dimensions[letter].width = width
    sheet.append(HEADER)
    for row in rows(queryset):
        sheet.append([row[0]] + [_safe(v) for v in row[1:]])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
