"""A world with data in 城关镇 that nobody outside it may see, for the walks over every
route (test_scope_walk.py, test_accuser_shield.py).

Every personal detail, title, number and staff name of 城关镇's matters is a distinctive
string, so that finding one in a page, a JSON answer, a file or a header proves a leak.
"""

import datetime
from dataclasses import dataclass, field

import pytest
from django.contrib.auth.models import Permission
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from xinfang.api.services import issue_token
from xinfang.audit.models import AuditEntry
from xinfang.cases.models import Case
from xinfang.cases.services import perform
from xinfang.intake.models import Attachment, Petition, Petitioner
from xinfang.cases.attachments import attach
from xinfang.intake.services import PetitionIn, register

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64

REPLY = dict(outcome="support", request_summary="请求豆腐坊停止夜间排放酸浆水", facts="经查豆腐坊确有夜间排放酸浆水",
             opinion="责令豆腐坊加装沉淀池并停止夜间排放")


@dataclass
class Person:
    name: str
    id_number: str
    phone: str
    address: str

    def as_input(self):
        return {"name": self.name, "id_number": self.id_number, "phone": self.phone, "address": self.address}

    @property
    def strings(self):
        return [self.name, self.id_number, self.phone, self.address]


# 城关镇's petitioners. Nobody of another unit may ever read any of these.
GRIEVANT = Person("甄宓琼", "110105197103057718", "13977712345", "梧桐巷七十七号")
ROUTED = Person("滕望舒", "110105196607124596", "15855501234", "柳荫渡口三十三号")
ACCUSER = Person("蔺秋实", "110105198802142369", "13766654321", "蓼花渡口九号")
ONLINE = Person("封朔寒", "110105195511208133", "18922233344", "杏林坊十一号")

ACCUSATION_TEXT = "检举城关镇粮站站长侵吞种粮补贴，虚报冒领，数额巨大。"


@dataclass
class World:
    grievance: Case  # registered and handled in 城关镇, replied, with a petitioner's scan
    routed: Case  # registered at the county bureau, assigned to 城关镇
    accusation: Case  # an accusation registered at the county bureau, assigned to 城关镇
    online: Case  # sent by a member of the public to 城关镇 through the portal
    own: Case  # a case of 青山乡: the walking user's own, so that lists are not empty
    query_code: str
    attachments: list  # ids of 城关镇's attachments
    accuser_attachment: Attachment
    strings: dict = field(default_factory=dict)  # distinctive string -> what it is

    @property
    def numbers(self):
        return [self.grievance.number, self.routed.number, self.accusation.number, self.online.number]

    @property
    def cases(self):
        return [self.grievance, self.routed, self.accusation, self.online]


def give_admin_view(user, *extra_codenames):
    """Make `user` a staff member who may look at every model in the admin (and do the
    named extra things): a township's own administrator."""
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    perms = Permission.objects.filter(codename__startswith="view_") | Permission.objects.filter(codename__in=extra_codenames)
    user.user_permissions.set(perms)


def _failed_login(client, username):
    client.post("/login/", {"username": username, "password": "wrong-password-1"})
    client.logout()


@pytest.fixture
def world(people, units, settings, tmp_path, django_capture_on_commit_callbacks, client):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.XINFANG_NLP = {"index_mode": "inline"}  # indexed in the request, so search finds them
    settings.SMS_BACKEND = "xinfang.notify.sms.LocmemBackend"
    cache.clear()
    now = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        # 1. A grievance registered in 城关镇, accepted and answered there, with a scan.
        _, grievance = register(actor=people["cg_dengji"], files=[SimpleUploadedFile("甄宓琼来信扫描件.png", PNG)], data=PetitionIn(
            channel="letter", receiving_unit=units["chengguan"], title="豆腐坊排污扰民", kind="grievance",
            content="东街豆腐坊夜间排放酸浆水，臭味熏人，请求整治。", received_at=now - datetime.timedelta(days=3),
            petitioners=[GRIEVANT.as_input()]))
        grievance = perform(case=grievance, action="accept", actor=people["cg_fuzeren"])
        grievance = perform(case=grievance, action="reply", actor=people["cg_fuzeren"], **REPLY)
        attach(case=grievance, upload=SimpleUploadedFile("豆腐坊整改通知书.png", PNG), actor=people["cg_fuzeren"],
               reply=grievance.replies.get())

        # 2. A letter the county bureau registered and assigned to 城关镇.
        _, routed = register(actor=people["dengji"], data=PetitionIn(
            channel="letter", receiving_unit=units["bureau"], title="渡槽漏水淹没稻田", kind="grievance",
            content="西街渡槽年久失修漏水，淹没稻田十余亩。", received_at=now - datetime.timedelta(days=2),
            petitioners=[ROUTED.as_input()]))
        perform(case=routed, action="accept", actor=people["dengji"])
        routed = perform(case=routed, action="assign", actor=people["dengji"], unit=units["chengguan"].code)

        # 3. An accusation, registered at the bureau, assigned to 城关镇, with a second
        #    letter from the same accuser (a repeat) so that it forms a hot topic.
        _, accusation = register(actor=people["dengji"], files=[SimpleUploadedFile("蔺秋实身份证复印件.png", PNG)], data=PetitionIn(
            channel="letter", receiving_unit=units["bureau"], title="检举粮站站长侵吞补贴", kind="accusation",
            content=ACCUSATION_TEXT, received_at=now - datetime.timedelta(days=1), petitioners=[ACCUSER.as_input()]))
        perform(case=accusation, action="accept", actor=people["dengji"])
        accusation = perform(case=accusation, action="assign", actor=people["dengji"], unit=units["chengguan"].code)
        register(actor=people["dengji"], data=PetitionIn(
            channel="visit", receiving_unit=units["bureau"], title="再次检举粮站站长侵吞补贴", kind="accusation",
            content=ACCUSATION_TEXT + "至今未见查处。", received_at=now - datetime.timedelta(hours=5),
            petitioners=[ACCUSER.as_input()], case=accusation.number))
        accusation.refresh_from_db()

        # 4. An online petition from the public to 城关镇.
        from xinfang.portal import services as portal
        from xinfang.portal.captcha import new_challenge

        challenge = new_challenge()
        receipt = portal.submit(data=portal.SubmissionIn(
            kind="grievance", name=ONLINE.name, phone=ONLINE.phone, id_number=ONLINE.id_number, address=ONLINE.address,
            unit=units["chengguan"].code, place="城关镇杏林坊", title="杏林坊路灯常年不亮",
            content="杏林坊一带路灯常年不亮，夜间老人出行摔倒多次，请求修复。", consent=True),
            captcha_key=challenge.key, captcha_answer=challenge.answer, ip="203.0.113.9")
        online = receipt.case

        # 5. 青山乡's own case, seen by qs_fuzeren.
        _, own = register(actor=people["qs_fuzeren"], data=PetitionIn(
            channel="visit", receiving_unit=units["qingshan"], title="山下村道路修缮", kind="suggestion",
            content="山下村进村道路坑洼，建议修缮。", petitioners=[{"name": "山下村民", "phone": "13600000001"}]))

    # 城关镇's staff traces: an API token, an authenticator, a failed login.
    issue_token(user=people["cg_chengban"])
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.create(user=people["cg_fuzeren"], name="陈镇长的手机", confirmed=True)
    _failed_login(client, "cg_dengji")
    cache.clear()

    # Notices and their delivery (issue 12): the grievance's written answer delivered by
    # post with its scanned receipt; the accusation's acceptance notice signed for by the
    # accuser, whose name and receipt scan only the bureau may see (Art. 30).
    from xinfang.documents.tests import factories

    answer = factories.answer(grievance)
    perform(case=grievance, action="deliver", actor=people["cg_fuzeren"], document=answer.pk, channel="post",
            delivered_on=timezone.localdate(), recipient=GRIEVANT.name, proof=factories.scan("甄宓琼签收的送达回证.pdf"))
    notice = factories.notice(accusation, "accept_notice", unit=units["bureau"])
    perform(case=accusation, action="deliver", actor=people["dengji"], document=notice.pk, channel="in_person",
            delivered_on=timezone.localdate(), recipient=ACCUSER.name, proof=factories.scan("蔺秋实签收的送达回证.pdf"))
    grievance.refresh_from_db()
    accusation.refresh_from_db()
    attachments = list(Attachment.objects.filter(case__in=[grievance, routed, accusation, online]).values_list("pk", flat=True))
    w = World(grievance=grievance, routed=routed, accusation=accusation, online=online, own=own, query_code=receipt.code,
              attachments=attachments, accuser_attachment=Attachment.objects.get(original_name="蔺秋实身份证复印件.png"))
    for who, person in [("信访人", GRIEVANT), ("信访人", ROUTED), ("检举人", ACCUSER), ("网上信访人", ONLINE)]:
        for label, value in zip(["姓名", "身份证号", "电话", "住址"], person.strings):
            w.strings[value] = f"{who}{label}"
    for case in w.cases:
        w.strings[case.number] = "事项编号"
        w.strings[case.title] = "事项标题"
    for text in ["东街豆腐坊夜间排放酸浆水", "西街渡槽年久失修漏水", "虚报冒领，数额巨大", "夜间老人出行摔倒多次",
                 REPLY["opinion"], "甄宓琼来信扫描件", "豆腐坊整改通知书", "蔺秋实身份证复印件", "签收的送达回证",
                 answer.number, notice.number]:
        w.strings[text] = "内容、答复或附件名"
    for username in ["cg_dengji", "cg_chengban", "cg_fuzeren"]:
        w.strings[people[username].display_name] = "城关镇工作人员姓名"
    w.strings["陈镇长的手机"] = "城关镇工作人员的验证器"
    return w


@pytest.fixture
def world_rows(world):
    """What 城关镇's data looks like now, to compare after the walk: every field of its
    cases, petitions, petitioners, attachments, timeline, replies, routing, submission,
    staff accounts, tokens and authenticators."""
    from django.forms.models import model_to_dict
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from xinfang.api.models import ApiToken
    from xinfang.cases.models import CaseAssignment, CaseEvent, Evaluation, Reply
    from xinfang.documents.models import Delivery
    from xinfang.org.models import User
    from xinfang.portal.models import Submission

    case_ids = [c.pk for c in world.cases]

    def snapshot():
        rows = {}
        for model, qs in [
            (Case, Case.objects.filter(pk__in=case_ids)),
            (Petition, Petition.objects.filter(case__in=case_ids)),
            (Petitioner, Petitioner.objects.filter(petition__case__in=case_ids)),
            (Attachment, Attachment.objects.filter(case__in=case_ids)),
            (CaseEvent, CaseEvent.objects.filter(case__in=case_ids)),
            (CaseAssignment, CaseAssignment.objects.filter(case__in=case_ids)),
            (Reply, Reply.objects.filter(case__in=case_ids)),
            (Evaluation, Evaluation.objects.filter(case__in=case_ids)),
            (Submission, Submission.objects.filter(case__in=case_ids)),
            (Delivery, Delivery.objects.filter(document__subject_type__model="case", document__subject_id__in=case_ids)),
            (User, User.objects.filter(username__startswith="cg_")),
            (ApiToken, ApiToken.objects.filter(user__username__startswith="cg_")),
            (TOTPDevice, TOTPDevice.objects.filter(user__username__startswith="cg_")),
        ]:
            rows[model.__name__] = sorted((repr(sorted(model_to_dict(o).items(), key=lambda kv: kv[0])) for o in qs))
        rows["audit entries about them"] = AuditEntry.objects.filter(
            object_type="cases.case", object_id__in=[str(i) for i in case_ids], action__startswith="case.").exclude(
            action__in=["case.view", "case.read_personal"]).count()
        return rows

    return snapshot
