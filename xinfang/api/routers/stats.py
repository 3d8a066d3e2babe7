from typing import Optional

from ninja import Query, Router

from xinfang.analytics.services import summary

from ..auth import staff
from ..schemas import IsoDate, SummaryOut, errors

router = Router(tags=["stats 统计"])


@router.get("/summary", response={200: SummaryOut, **errors(403, 404)}, by_alias=True)
def stats_summary(request, date_from: Optional[IsoDate] = Query(None, alias="from"),
                  date_to: Optional[IsoDate] = Query(None, alias="to"), unit: str = Query("", max_length=32)):
    """一段时间内、一个单位及其下级的统计和指标（默认本月1日至今天）/ Counts and measures for
    a period (by default from the first of this month to today) and a unit's subtree.
    Case figures cover the cases that the case list shows with the same filters."""
    return summary(staff(request), date_from=date_from, date_to=date_to, unit_code=unit or None)
