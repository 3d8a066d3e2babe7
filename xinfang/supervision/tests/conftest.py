import datetime

import pytest

from xinfang.cases.services import perform
from xinfang.supervision import items

DAY = datetime.date(2026, 3, 2)  # tests travel to 2026-03-02 10:00 (Asia/Shanghai), a Monday


@pytest.fixture
def assigned_case(people, register_case, settings, tmp_path):
    """A case the bureau accepted and assigned to 城关镇, which started on it."""
    settings.MEDIA_ROOT = tmp_path
    case = register_case()
    case = perform(case=case, action="accept", actor=people["dengji"])
    case = perform(case=case, action="assign", actor=people["dengji"], unit="341122100")
    return perform(case=case, action="start", actor=people["cg_chengban"])


@pytest.fixture
def item(people, assigned_case):
    """A 重点督办 item of the bureau's supervisor on 城关镇, due in ten days."""
    row, _ = items.open_item(case=assigned_case, actor=people["ducha"], level="key", unit="341122100",
                             requirement="十日内核实补偿款发放情况并报告", due_date=DAY + datetime.timedelta(days=10),
                             responsible="cg_chengban")
    return row


@pytest.fixture
def on_day():
    """The clock stands at 2026-03-02 10:00 in Shanghai; `on_day.move_to(...)` moves it."""
    import time_machine

    with time_machine.travel("2026-03-02 10:00 +0800", tick=False) as traveller:
        yield traveller
