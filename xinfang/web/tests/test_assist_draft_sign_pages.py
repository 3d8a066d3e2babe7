"""The case page's actions for an assisting unit (协办意见), a handler (办理进展, 拟办) and
the head who signs (审签), through the htmx forms."""

import pytest
from django.urls import reverse

from xinfang.cases.models import Reply
from xinfang.cases.services import perform

from .test_case_actions import act

pytestmark = pytest.mark.time_machine("2026-03-02 10:00 +0800", tick=False)

REPLY = {"outcome": "support", "request_summary": "发放补偿款", "facts": "经核实补偿款未发放", "opinion": "责成十日内发放"}


@pytest.fixture
def assisted(register_case, people, units):
    case = register_case()
    perform(case=case, action="accept", actor=people["dengji"])
    perform(case=case, action="assign", actor=people["dengji"], unit=units["chengguan"].code, assisting=[units["housing"].code])
    case.refresh_from_db()
    return case


def test_the_assisting_unit_sees_the_case_in_my_work_and_submits_its_part(login, assisted):
    client = login("zj_fuzeren")
    work = client.get(reverse("web:my_work")).content.decode()
    assert f'data-case="{assisted.number}"' in work and 'data-testid="assisting"' in work and "协办 03-17前" in work
    page = client.get(reverse("web:case", args=[assisted.number])).content.decode()
    assert 'data-action="assist"' in page
    response = act(client, assisted, "assist", {"opinion": "规划手续齐全"}, htmx=True)
    assert response.status_code == 200 and response["HX-Redirect"]
    assert f'data-case="{assisted.number}"' not in client.get(reverse("web:my_work")).content.decode()


def test_the_lead_sees_the_assisting_part_in_the_report_form(login, assisted, people):
    perform(case=assisted, action="assist", actor=people["zj_fuzeren"], opinion="规划手续齐全")
    perform(case=assisted, action="start", actor=people["cg_chengban"])
    html = login("cg_fuzeren").get(reverse("web:case_action", args=[assisted.number, "report"]),
                                   headers={"HX-Request": "true"}).content.decode()
    assert 'data-testid="assisting-opinions"' in html and "规划手续齐全" in html


def test_a_handler_drafts_and_the_head_reports_an_edited_draft_which_the_bureau_accepts(login, assisted, people):
    perform(case=assisted, action="start", actor=people["cg_chengban"])
    assisted.refresh_from_db()
    handler = login("cg_chengban")
    page = handler.get(reverse("web:case", args=[assisted.number])).content.decode()
    assert 'data-action="progress"' in page and 'data-action="draft"' in page and 'data-action="reply"' not in page
    assert act(handler, assisted, "progress", {"note": "已到现场核实"}).status_code == 302
    assisted.refresh_from_db()
    assert act(handler, assisted, "draft", REPLY).status_code == 302
    assisted.refresh_from_db()
    head = login("cg_fuzeren")
    page = head.get(reverse("web:case", args=[assisted.number])).content.decode()
    # An assigned case: the head reports the draft (edited) to the bureau instead of signing it.
    assert 'data-testid="pending-draft"' in page and 'data-action="report"' in page and 'data-action="sign"' not in page
    form = head.get(reverse("web:case_action", args=[assisted.number, "report"]), headers={"HX-Request": "true"}).content.decode()
    assert "责成十日内发放" in form and 'data-testid="draft-by"' in form and "办理情况" in form and "报送交办单位" in form
    response = act(head, assisted, "report", {**REPLY, "opinion": "责成七日内发放", "summary": "已约谈村委会，补偿款七日内发放"})
    assert response.status_code == 302
    assisted.refresh_from_db()
    assert assisted.status == "reported" and not Reply.objects.filter(case=assisted).exists()
    response = act(login("fuzeren"), assisted, "approve", {"note": "同意"})
    assert response.status_code == 302
    assert Reply.objects.get(case=assisted).opinion == "责成七日内发放"
    assert Reply.objects.get(case=assisted).signed_by == people["cg_fuzeren"]
    page = head.get(reverse("web:case", args=[assisted.number])).content.decode()
    assert "已约谈村委会，补偿款七日内发放" in page and "已到现场核实" in page and 'data-testid="report-back"' in page
