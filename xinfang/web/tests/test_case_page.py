import re

from django.urls import reverse

from xinfang.cases.services import perform


def buttons(html):
    return re.findall(r'data-action="([a-z_]+)"\s+href=', html)


def test_the_registrar_of_the_bureau_sees_the_routing_decisions(login, register_case):
    case = register_case()
    html = login("dengji").get(reverse("web:case", args=[case.number])).content.decode()
    assert buttons(html) == ["accept", "decline", "refuse", "forward", "merge", "correct", "void"]
    assert "受理" in html and case.title in html and "刘某" in html


def test_a_handler_of_the_same_bureau_sees_the_case_but_no_routing_buttons(login, register_case):
    case = register_case()
    html = login("chengban").get(reverse("web:case", args=[case.number])).content.decode()
    assert buttons(html) == [] and "本事项当前没有需要您办理的操作" in html


def test_after_assignment_only_the_township_head_gets_the_report_button(login, register_case, people, units):
    case = register_case()
    perform(case=case, action="accept", actor=people["dengji"])
    perform(case=case, action="assign", actor=people["dengji"], unit=units["chengguan"].code)
    url = reverse("web:case", args=[case.number])

    # An assigned case is answered through its result report, never by a reply of the town.
    assert "reply" not in buttons(login("cg_fuzeren").get(url).content.decode())
    assert "reply" not in buttons(login("cg_chengban").get(url).content.decode())
    assert "start" in buttons(login("cg_chengban").get(url).content.decode())
    assert buttons(login("dengji").get(url).content.decode()) == ["correct", "deliver"]  # it delivers its 受理告知书
    perform(case=case, action="start", actor=people["cg_chengban"])
    assert "report" in buttons(login("cg_fuzeren").get(url).content.decode())
    assert "report" not in buttons(login("cg_chengban").get(url).content.decode())
    assert "reply" not in buttons(login("cg_fuzeren").get(url).content.decode())


def test_the_case_page_shows_header_deadlines_assignments_and_timeline(login, register_case, people, units):
    case = register_case(category="0101")
    perform(case=case, action="accept", actor=people["dengji"], note="属于本级职权")
    perform(case=case, action="assign", actor=people["dengji"], unit=units["chengguan"].code, assisting=[units["land"].code])
    html = login("dengji").get(reverse("web:case", args=[case.number])).content.decode()

    assert case.number in html and "土地征收 / 征地补偿" in html and "已交办" in html
    assert "受理告知期限" in html and "办理期限" in html
    assert "主办</span>城关镇人民政府" in html and "协办</span>安宁县自然资源局" in html
    timeline = html[html.index('data-testid="timeline"'):]
    assert [a for a in re.findall(r'<li data-action="([a-z_]+)"', timeline)] == ["register", "accept", "assign"]
    assert "属于本级职权" in timeline and "协办：安宁县自然资源局" in timeline and "王登记" in timeline


def test_deadline_warnings_are_shown_as_a_yellow_alert(login, register_case):
    case = register_case()
    case.deadline_warnings = ["2027年的节假日安排尚未录入，期限按周末推算 / Holidays for 2027 are not known."]
    case.save(update_fields=["deadline_warnings"])
    html = login("dengji").get(reverse("web:case", args=[case.number])).content.decode()
    assert 'alert alert-warning' in html and "2027年的节假日安排尚未录入，期限按周末推算" in html
    assert "Holidays for 2027" not in html


def test_an_accusers_identity_is_hidden_from_the_unit_it_went_to(login, register_case, people, units):
    case = register_case(kind="accusation", title="反映某干部违规")
    perform(case=case, action="accept", actor=people["dengji"])
    perform(case=case, action="assign", actor=people["dengji"], unit=units["chengguan"].code)
    url = reverse("web:case", args=[case.number])
    assert "刘某" in login("dengji").get(url).content.decode()
    html = login("cg_fuzeren").get(url).content.decode()
    assert "刘某" not in html and "11010519491231002X" not in html and "仅登记单位与纪检监察机关可见" in html


def test_opening_the_page_records_the_read_of_personal_data(login, register_case):
    from xinfang.audit.models import AuditEntry

    case = register_case()
    login("dengji").get(reverse("web:case", args=[case.number]))
    assert AuditEntry.objects.filter(action="case.read_personal", object_id=str(case.pk)).count() == 1
