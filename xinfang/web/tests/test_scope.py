from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from xinfang.cases.models import Case
from xinfang.cases.services import perform
from xinfang.cases.attachments import attach

from .test_case_actions import act


def routed_to_chengguan(register_case, people, units):
    case = register_case()
    perform(case=case, action="accept", actor=people["dengji"])
    return perform(case=case, action="assign", actor=people["dengji"], unit=units["chengguan"].code)


def test_another_township_gets_404_for_a_case_routed_only_to_chengguan(login, register_case, people, units):
    case = routed_to_chengguan(register_case, people, units)
    client = login("qs_fuzeren")
    response = client.get(reverse("web:case", args=[case.number]))
    assert response.status_code == 404 and "找不到该页面或无权查看" in response.content.decode()
    assert client.get(reverse("web:case_action", args=[case.number, "reply"])).status_code == 404


def test_another_township_cannot_act_on_the_case(login, register_case, people, units):
    case = routed_to_chengguan(register_case, people, units)
    response = act(login("qs_fuzeren"), case, "reply", {"outcome": "support", "request_summary": "a", "facts": "b", "opinion": "c"})
    assert response.status_code == 404
    assert Case.objects.get(pk=case.pk).status == "assigned"


def test_the_case_is_missing_from_another_townships_lists(login, register_case, people, units):
    case = routed_to_chengguan(register_case, people, units)
    client = login("qs_fuzeren")
    assert case.number not in client.get(reverse("web:my_work")).content.decode()
    assert case.number not in client.get(reverse("web:search")).content.decode()
    assert case.number in login("cg_fuzeren").get(reverse("web:my_work")).content.decode()


def test_attachments_download_only_for_users_who_see_the_case(login, register_case, people, units):
    case = routed_to_chengguan(register_case, people, units)
    upload = SimpleUploadedFile("照片.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, content_type="image/png")
    item = attach(case=case, petition=case.petitions.first(), upload=upload, actor=people["dengji"])
    url = reverse("web:attachment", args=[item.pk])

    assert login("qs_fuzeren").get(url).status_code == 404
    response = login("cg_fuzeren").get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")
    assert login("qs_fuzeren").get(reverse("web:attachment", args=[item.pk + 999])).status_code == 404
