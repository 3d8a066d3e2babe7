"""The correction and voiding screens, and the late-entry confirmation on the register form."""

import pytest
from django.urls import reverse

from xinfang.cases.models import Case

from .test_case_actions import act
from .test_register_form import form_data

pytestmark = pytest.mark.time_machine("2026-03-02 10:00 +0800", tick=False)


def test_a_receipt_far_back_re_shows_the_form_with_the_confirmation_box_then_registers_a_late_entry(login):
    client = login("dengji")
    data = form_data(received_at="1999-03-01T09:00")
    response = client.post(reverse("web:register"), data)
    assert response.status_code == 422 and not Case.objects.exists()
    html = response.content.decode()
    assert 'data-testid="confirm-late"' in html and 'name="confirm_late"' in html and "征地补偿款未发放" in html
    response = client.post(reverse("web:register"), {**data, "confirm_late": "on"})
    assert response.status_code == 302
    case = Case.objects.get()
    assert case.is_late_entry
    assert 'data-testid="late-entry"' in client.get(response["Location"]).content.decode()
    assert 'data-testid="late-entry"' in client.get(reverse("web:search")).content.decode()


def test_the_correction_form_shows_what_is_registered_and_the_timeline_the_old_value(login, register_case):
    case = register_case(received_at="1999-03-01T09:00:00+08:00")
    client = login("dengji")
    html = client.get(reverse("web:case_action", args=[case.number, "correct"]), headers={"HX-Request": "true"}).content.decode()
    assert 'value="1999-03-01T09:00"' in html and 'name="correct-reason"' in html
    fields = {"received_at": "2026-03-01T09:00", "channel": "letter", "kind": "grievance", "title": case.title,
              "content": case.petitions.get().content, "headcount": "1", "reason": "年份录错"}
    response = act(client, case, "correct", fields)
    assert response.status_code == 302, response.content.decode()[:3000]
    page = client.get(reverse("web:case", args=[case.number])).content.decode()
    assert "收到时间：1999-03-01 09:00 → 2026-03-01 09:00" in page and "年份录错" in page


def test_voiding_from_the_case_page_takes_it_out_of_my_work(login, register_case):
    case = register_case()
    client = login("dengji")
    assert f'data-case="{case.number}"' in client.get(reverse("web:my_work")).content.decode()
    response = act(client, case, "void", {"reason": "重复登记"})
    assert response.status_code == 302
    assert f'data-case="{case.number}"' not in client.get(reverse("web:my_work")).content.decode()
    page = client.get(reverse("web:case", args=[case.number])).content.decode()
    assert "已作废" in page and 'data-testid="voided"' in page
