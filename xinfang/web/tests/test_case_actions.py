from django.urls import reverse

from xinfang.cases.models import Case


def act(client, case, action, data=None, htmx=False, version=None):
    data = {"version": case.version if version is None else version, **{f"{action}-{k}": v for k, v in (data or {}).items()}}
    headers = {"HX-Request": "true"} if htmx else {}
    return client.post(reverse("web:case_action", args=[case.number, action]), data, headers=headers)


def test_accept_then_assign_through_the_forms_moves_the_case(login, register_case, units):
    case = register_case()
    client = login("dengji")
    response = act(client, case, "accept", {"note": "属于本县职权"})
    assert response.status_code == 302 and response["Location"] == reverse("web:case", args=[case.number])
    case.refresh_from_db()
    assert case.status == "accepted"
    response = act(client, case, "assign", {"unit": units["chengguan"].code, "assisting": [units["land"].code, units["housing"].code]},
                   htmx=True)
    assert response.status_code == 200 and response["HX-Redirect"] == reverse("web:case", args=[case.number])
    case.refresh_from_db()
    assert case.status == "assigned" and case.current_unit == units["chengguan"]
    assert sorted(a.unit.code for a in case.assignments.filter(is_lead=False)) == [units["housing"].code, units["land"].code]
    page = client.get(reverse("web:case", args=[case.number])).content.decode()
    assert "已交办" in page


def test_the_action_form_partial_has_the_fields_of_that_action_and_the_version(login, register_case):
    case = register_case()
    html = login("dengji").get(reverse("web:case_action", args=[case.number, "decline"]), headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in html
    assert 'name="decline-reason"' in html and 'name="decline-proper_channel"' in html and 'name="decline-guided_procedure"' in html
    assert f'name="version" value="{case.version}"' in html


def test_without_htmx_the_action_opens_on_the_full_case_page(login, register_case):
    case = register_case()
    html = login("dengji").get(reverse("web:case_action", args=[case.number, "forward"])).content.decode()
    assert "<html" in html and 'name="forward-unit"' in html and "安宁县自然资源局" in html and case.title in html


def test_missing_required_fields_are_shown_next_to_them_and_kept(login, register_case):
    case = register_case()
    response = act(login("dengji"), case, "decline", {"reason": "", "proper_channel": "向法院起诉"}, htmx=True)
    assert response.status_code == 422
    html = response.content.decode()
    assert "请填写必填项" in html and 'id="id_decline-reason_error"' in html and "此项必填" in html
    assert 'value="向法院起诉"' in html
    assert Case.objects.get(pk=case.pk).status == "registered"


def test_the_reply_form_has_the_outcome_choices_and_the_opinion_fields(login, register_case, people, units):
    from xinfang.cases.services import perform

    case = register_case()
    perform(case=case, action="accept", actor=people["dengji"])  # the bureau answers it itself
    html = login("fuzeren").get(reverse("web:case_action", args=[case.number, "reply"]), headers={"HX-Request": "true"}).content.decode()
    for label in ["支持", "解释", "不支持", "信访诉求", "查明事实", "处理意见及理由", "法律政策依据", "救济途径"]:
        assert label in html


def test_an_unknown_action_is_a_404(login, register_case):
    case = register_case()
    assert login("dengji").get(reverse("web:case_action", args=[case.number, "explode"])).status_code == 404


def test_a_value_the_service_rejects_is_named_after_the_reason(login, register_case, people, units):
    from xinfang.cases.services import perform

    case = register_case()
    perform(case=case, action="accept", actor=people["dengji"])
    case.refresh_from_db()
    response = act(login("dengji"), case, "extend", {"days": "45", "reason": "案情复杂"})
    assert response.status_code == 403  # the clerk may not extend; the head may
    response = act(login("fuzeren"), case, "extend", {"days": "45", "reason": "案情复杂"}, htmx=True)
    assert response.status_code == 422
    assert "延期不得超过30日（1–30）" in response.content.decode()
