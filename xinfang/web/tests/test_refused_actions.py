from django.urls import reverse

from xinfang.cases.models import Case
from xinfang.cases.services import perform

from .test_case_actions import act


def snapshot(case):
    case = Case.objects.get(pk=case.pk)
    return case.status, case.version, case.current_unit_id, case.events.count()


def test_an_action_in_the_wrong_state_is_explained_and_changes_nothing(login, register_case, people):
    case = register_case()
    perform(case=case, action="accept", actor=people["dengji"])
    case.refresh_from_db()
    before = snapshot(case)
    response = act(login("dengji"), case, "accept", htmx=True)
    assert response.status_code == 409
    assert "事项当前为“已受理”，不能受理" in response.content.decode()
    assert snapshot(case) == before


def test_a_user_of_another_unit_is_told_the_case_is_not_with_them(login, register_case, people, units):
    case = register_case()
    perform(case=case, action="accept", actor=people["dengji"])
    perform(case=case, action="assign", actor=people["dengji"], unit=units["chengguan"].code)
    case.refresh_from_db()
    before = snapshot(case)
    response = act(login("fuzeren"), case, "reply", {"outcome": "support", "request_summary": "诉求", "facts": "事实", "opinion": "意见"})
    assert response.status_code == 403
    html = response.content.decode()
    assert "本事项当前不由您的单位办理，不能答复" in html and "<html" in html
    assert snapshot(case) == before


def test_a_role_that_may_not_act_is_told_so(login, register_case):
    case = register_case()
    before = snapshot(case)
    response = act(login("chengban"), case, "accept", htmx=True)
    assert response.status_code == 403 and "需要登记员、单位负责人角色才能受理" in response.content.decode()
    assert snapshot(case) == before


def test_a_stale_page_gets_the_conflict_message_and_keeps_its_old_version(login, register_case, people):
    case = register_case()
    old_version = case.version
    perform(case=case, action="accept", actor=people["fuzeren"])
    case.refresh_from_db()
    before = snapshot(case)
    response = act(login("dengji"), case, "decline", {"reason": "不属于信访事项", "proper_channel": "诉讼"}, htmx=True, version=old_version)
    html = response.content.decode()
    assert response.status_code == 409 and "该事项已被他人处理，请刷新后重试" in html and "刷新页面" in html
    assert f'name="version" value="{old_version}"' in html
    assert snapshot(case) == before


def test_opening_an_action_that_is_not_allowed_now_shows_why_instead_of_a_form(login, register_case):
    case = register_case()
    html = login("dengji").get(reverse("web:case_action", args=[case.number, "reply"]), headers={"HX-Request": "true"}).content.decode()
    assert "不能答复" in html and "<form" not in html
