"""The accuser shield is a property of the material (issue 11, item 1; Art. 30): every
action of the transition table (`cases.services.FLOWS`) and every registration path is
taken with an accusation, and afterwards the accused township (城关镇) sees nothing of the
accuser — name, ID number, phone, address, agent, the scan of their ID card — in any case
that now holds the material, and cannot reveal or download it; the bureau's registrar
who took the letter still sees them, and so does the discipline organ it is sent to."""

import datetime
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from xinfang.api.services import issue_token
from xinfang.cases.models import Case
from xinfang.cases.services import FLOWS, perform
from xinfang.documents.models import Delivery
from xinfang.intake.models import Attachment, Petition, Petitioner
from xinfang.intake.services import PetitionIn, register

from . import walk

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
CHENGGUAN = "341122100"
ACCUSER = {"name": "檀若澜", "id_number": "110105198907157719", "phone": "13755544321", "address": "芦苇荡北岸六号"}
AGENT = ("檀梓骞", "检举人胞弟代办")
SCAN = "檀若澜身份证复印件.png"
SECRETS = [*ACCUSER.values(), *AGENT, SCAN.rsplit(".", 1)[0]]
REPLY = dict(outcome="explain", request_summary="查处粮站站长", facts="经查有关情况正在核实", opinion="已移交有关部门核查")
ACCUSED = ("cg_fuzeren", "cg_chengban", "cg_dengji")


@pytest.fixture
def scene(people, units, settings, tmp_path):
    """An accusation registered at the county bureau by an agent, with a scan of the
    accuser's ID card; and a grievance the bureau assigned to 城关镇 (the accused)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    _, accusation = register(actor=people["dengji"], files=[SimpleUploadedFile(SCAN, PNG)], data=PetitionIn(
        channel="letter", receiving_unit=units["bureau"], title="检举城关镇粮站站长", kind="accusation",
        content="检举城关镇粮站站长虚报冒领种粮补贴。", received_at=datetime.datetime.now(datetime.timezone.utc),
        petitioners=[ACCUSER], agent_name=AGENT[0], agent_role=AGENT[1]))
    _, grievance = register(actor=people["dengji"], data=PetitionIn(
        channel="letter", receiving_unit=units["bureau"], title="渡槽漏水", kind="grievance", content="渡槽漏水淹没稻田。",
        petitioners=[{"name": "来信人", "phone": "13900000077"}]))
    perform(case=grievance, action="accept", actor=people["dengji"])
    grievance = perform(case=grievance, action="assign", actor=people["dengji"], unit=CHENGGUAN)
    return accusation, grievance


def sees(client, user, numbers):
    """What `user` is shown of the accuser: the secrets found on the case page and in the
    API detail of each case they may open, and the reveals and downloads that work."""
    client.force_login(user)
    token = issue_token(user=user)[0]
    auth = {"Authorization": f"Bearer {token}"}
    shown = []
    for number in numbers:
        page = client.get(f"/cases/{number}/")
        detail = client.get(f"/api/v1/cases/{number}", headers=auth)
        text = page.content.decode() + (json.dumps(detail.json(), ensure_ascii=False) if detail.status_code == 200 else "")
        shown += [f"{number}: {s}" for s in SECRETS if s in text]
        for person in Petitioner.objects.filter(name=ACCUSER["name"]):
            for url in (f"/api/v1/cases/{number}/petitioners/{person.pk}/reveal",):
                answer = client.post(url, headers=auth)
                if answer.status_code == 200:
                    shown.append(f"{number}: reveal of {person.pk}")
            if client.post(f"/cases/{number}/petitioners/{person.pk}/reveal/").status_code == 200:
                shown.append(f"{number}: page reveal of {person.pk}")
    for item in Attachment.objects.filter(original_name=SCAN):
        if client.get(f"/attachments/{item.pk}/").status_code == 200:
            shown.append(f"download of {item.original_name}")
    for record in Delivery.objects.exclude(proof=""):
        if client.get(f"/deliveries/{record.pk}/proof/").status_code == 200:
            shown.append(f"download of {record.proof_name}")
    for number in numbers:
        listed = client.get(f"/api/v1/cases/{number}/documents", headers=auth)
        if listed.status_code == 200:
            text = json.dumps(listed.json(), ensure_ascii=False)
            shown += [f"{number} documents: {s}" for s in SECRETS if s in text]
    client.logout()
    return shown


# An assigned case is answered through its result report (报送办理结果), accepted by the
# bureau (审核通过); then the accuser asks for review and the bureau answers it.
REPORT = {**REPLY, "summary": "已到粮站核实并提出处理意见"}
ASSIGNED = [("accept", "dengji", {}), ("assign", "dengji", {"unit": CHENGGUAN})]
STARTED = ASSIGNED + [("start", "cg_chengban", {})]
REPORTED = STARTED + [("report", "cg_fuzeren", REPORT)]
ANSWERED = REPORTED + [("approve", "fuzeren", {"note": "同意"})]
REVIEWED = ANSWERED + [("review", "dengji", {"reasons": "不服处理意见"}), ("reply", "fuzeren", REPLY)]
# For each action: the steps that bring the accusation to a state where it is allowed,
# then who takes it and with what.
PATHS = {
    "accept": ([], "dengji", {}),
    "decline": ([], "dengji", {"reason": "不属信访事项", "proper_channel": "向纪检监察机关反映"}),
    "refuse": ([], "dengji", {"basis": "art19", "reason": "办理期间再次提出"}),
    "forward": ([], "dengji", {"unit": CHENGGUAN}),
    "assign": (ASSIGNED[:1], "dengji", {"unit": CHENGGUAN}),
    "return": (ASSIGNED, "cg_fuzeren", {"reason": "不属本镇"}),
    "start": (ASSIGNED, "cg_chengban", {}),
    "extend": (ASSIGNED, "cg_fuzeren", {"days": 30, "reason": "情况复杂"}),
    # The bureau answers what it handles itself directly, with the scan of the answer.
    "reply": (ASSIGNED[:1], "fuzeren", {**REPLY, "documents": "upload"}),
    "report": (STARTED, "cg_fuzeren", {**REPORT, "documents": "upload"}),
    "approve": (REPORTED, "fuzeren", {"note": "同意"}),
    "send_back": (REPORTED, "fuzeren", {"reason": "核实不充分", "due_date": "tomorrow"}),
    "evaluate": (ANSWERED, "cg_fuzeren", {"satisfaction": "satisfied"}),
    "close": (ANSWERED, "cg_fuzeren", {}),
    "review": (ANSWERED, "dengji", {"reasons": "不服处理意见"}),
    "re_review": (REVIEWED, "dengji", {"reasons": "不服复查意见"}),
    "conclude": (REVIEWED, "fuzeren", {}),
    "follow_up": (ANSWERED, "cg_fuzeren", {"note": "电话回访"}),
    "archive": ([("decline", "dengji", {"reason": "不属信访事项", "proper_channel": "向纪检监察机关反映"})], "dengji", {}),
    "merge": ([], "dengji", {"into": "grievance"}),
    "split": ([("merge", "dengji", {"into": "grievance"})], "dengji", {}),
    "note": (ASSIGNED, "cg_chengban", {"note": "已了解"}),
    # Issue 18's rows: correcting and voiding a registration, an assisting unit's part, a
    # handler's progress and draft, and the head's signature (of a case the bureau
    # handles itself: an assigned case's draft goes into the result report).
    "correct": ([], "dengji", {"title": "检举城关镇粮站站长虚报冒领补贴", "reason": "标题更正"}),
    "void": ([], "dengji", {"reason": "重复登记"}),
    "assist": ([ASSIGNED[0], ("assign", "dengji", {"unit": CHENGGUAN, "assisting": ["341122-ZJJ"]})], "zj_fuzeren",
               {"opinion": "住建局协办意见"}),
    "progress": (STARTED, "cg_chengban", {"note": "已到粮站核实"}),
    "draft": (STARTED, "cg_chengban", REPLY),
    "sign": (ASSIGNED[:1] + [("start", "chengban", {}), ("draft", "chengban", REPLY)], "fuzeren", {}),
    # Issue 12: the delivery of the written answer, signed for by the accuser on a receipt
    # whose scan names them (the file name stands for what the scan shows).
    "deliver": (ANSWERED, "dengji", {"document": "answer", "channel": "post", "delivered_on": "today",
                                     "recipient": ACCUSER["name"], "proof": "receipt"}),
}


def test_the_walk_covers_every_action_of_the_table():
    assert set(PATHS) == set(FLOWS)


def _params(params, grievance, case=None):
    from django.utils import timezone

    from xinfang.documents.tests.factories import PDF, answer

    params = dict(params)
    if params.get("document") == "answer":
        params["document"] = answer(Case.objects.get(pk=case.pk)).pk
    if params.get("delivered_on") == "today":
        params["delivered_on"] = timezone.localdate()
    if params.get("due_date") == "tomorrow":
        params["due_date"] = timezone.localdate() + datetime.timedelta(days=1)
    if params.get("proof") == "receipt":
        params["proof"] = SimpleUploadedFile(SCAN.replace("身份证复印件", "签收的送达回证").replace(".png", ".pdf"), PDF)
    if params.get("into") == "grievance":
        params["into"] = grievance.number
    if params.get("documents") == "upload":
        params["documents"] = [SimpleUploadedFile("檀若澜收到的答复.png", PNG)]
    return params


@pytest.mark.parametrize("action", sorted(PATHS))
def test_no_action_carries_the_accuser_to_the_accused(action, scene, people, client):
    accusation, grievance = scene
    steps, who, params = PATHS[action]
    for step, actor, step_params in steps:
        perform(case=accusation, action=step, actor=people[actor], **_params(step_params, grievance))
    perform(case=accusation, action=action, actor=people[who], **_params(params, grievance, accusation))

    numbers = [accusation.number, grievance.number]
    for username in ACCUSED:
        assert sees(client, people[username], numbers) == [], (action, username)
    holder = Case.objects.get(petitions__petitioners__name=ACCUSER["name"])
    client.force_login(people["dengji"])  # the registrar who took the letter still sees the accuser, wherever it went
    assert ACCUSER["name"] in client.get(f"/cases/{holder.number}/").content.decode()
    assert Petition.objects.get(petitioners__name=ACCUSER["name"]).shield_unit.code == "341122-XFJ"


def test_the_accused_head_may_not_merge_the_accusation_into_a_case_of_theirs(scene, people, client):
    accusation, grievance = scene
    perform(case=accusation, action="accept", actor=people["dengji"])
    perform(case=accusation, action="assign", actor=people["dengji"], unit=CHENGGUAN)
    token = issue_token(user=people["cg_fuzeren"])[0]
    answer = client.post(f"/api/v1/cases/{accusation.number}/actions/merge", {"into": grievance.number},
                         content_type="application/json", headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 403 and answer.json()["error"]["code"] == "shielded"
    assert "检举人" in answer.json()["error"]["message"]
    assert Petition.objects.filter(case=accusation).count() == 1 and Petition.objects.filter(case=grievance).count() == 1
    assert sees(client, people["cg_fuzeren"], [accusation.number, grievance.number]) == []


def test_an_accusation_registered_into_the_accused_units_case_keeps_its_shield(scene, people, units, client):
    _, grievance = scene
    token = issue_token(user=people["dengji"])[0]
    answer = client.post("/api/v1/petitions", {
        "channel": "visit", "receiving_unit": units["bureau"].code, "title": "检举粮站站长", "kind": "accusation",
        "content": "来访检举粮站站长。", "case": grievance.number,
        "petitioners": [ACCUSER]}, content_type="application/json", headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 201, answer.content
    client.force_login(people["dengji"])
    page = client.post("/register/", {
        "channel": "letter", "received_at": "", "receiving_unit": units["bureau"].code, "title": "来信检举粮站站长",
        "kind": "accusation", "category_top": "", "category": "", "content": "来信检举粮站站长。", "case": grievance.number,
        "headcount": "1", "agent_name": AGENT[0], "agent_role": AGENT[1], "referral_from": "",
        "p-TOTAL_FORMS": "1", "p-INITIAL_FORMS": "0", "p-MIN_NUM_FORMS": "0", "p-MAX_NUM_FORMS": "200",
        "p-0-name": ACCUSER["name"], "p-0-phone": ACCUSER["phone"]})
    assert page.status_code == 302, page.content.decode()[-3000:]
    client.logout()

    shielded = Petition.objects.filter(case=grievance, kind="accusation")
    assert shielded.count() == 2 and {p.shield_unit.code for p in shielded} == {"341122-XFJ"}
    assert sees(client, people["cg_chengban"], [grievance.number]) == []
    assert sees(client, people["cg_fuzeren"], [grievance.number]) == []


def test_the_discipline_organ_sees_the_accuser_and_the_accused_still_does_not(scene, people, client, units):
    accusation, _ = scene
    perform(case=accusation, action="forward", actor=people["dengji"], unit=units["discipline"].code)
    discipline = sees(client, people["jw_fuzeren"], [accusation.number])
    assert f"{accusation.number}: {ACCUSER['name']}" in discipline and f"download of {SCAN}" in discipline
    assert any("reveal" in line for line in discipline)
    assert sees(client, people["cg_fuzeren"], [accusation.number]) == []
