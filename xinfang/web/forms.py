"""Forms of the pages. They parse what was typed; the rules (what is required, what is
valid for a case or a petition) live in the services, whose errors the views put back
next to the fields. So most fields here are `required=False` on purpose."""

import secrets

from django import forms
from django.utils import timezone

from xinfang.cases.choices import (
    Channel,
    GuidedProcedure,
    Kind,
    MergeReason,
    Outcome,
    RefuseBasis,
    Satisfaction,
    Status,
)
from xinfang.cases.clock import limit
from xinfang.cases.models import CaseAssignment
from xinfang.cases.case_documents import notices_of
from xinfang.cases.services import legal_handle_due, pending_draft, proposed_answer, routable, suggested_send_back_due
from xinfang.documents.delivery import with_current
from xinfang.documents.kinds import DeliveryChannel, Retention
from xinfang.intake.choices import DocumentType, Sex
from xinfang.intake.models import Category
from xinfang.org.models import Unit

BLANK = [("", "—— 请选择 ——")]


def unit_choices(units):
    """Units as an indented list (the tree by `path`), valued by their code."""
    units = list(units)
    top = min((u.path.count("/") for u in units), default=0)
    return [(u.code, "\u3000" * (u.path.count("/") - top) + u.name) for u in units]


class OptionAttrsSelect(forms.Select):
    """A select whose options carry extra data- attributes, e.g. a category's parent."""

    def __init__(self, *args, option_attrs=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.option_attrs = option_attrs or {}

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        option["attrs"].update(self.option_attrs.get(str(value), {}))
        return option


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files from one <input type=file multiple>; the service checks each file."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, (list, tuple)) else [data]
        return [super(MultipleFileField, self).clean(f, initial) for f in files if f]


class RegisterForm(forms.Form):
    channel = forms.ChoiceField(label="信访渠道", choices=Channel.choices, widget=forms.RadioSelect, required=False)
    received_at = forms.DateTimeField(
        label="收到时间", required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    receiving_unit = forms.ChoiceField(label="接收单位", required=False)
    kind = forms.ChoiceField(label="信访性质", choices=Kind.choices, widget=forms.RadioSelect, required=False)
    category_top = forms.ChoiceField(label="问题类别", required=False)
    category = forms.ChoiceField(label="问题细类", required=False)
    accused_unit = forms.ChoiceField(label="被检举控告单位", required=False)
    accused_post = forms.CharField(label="被检举控告职务或部门", required=False, max_length=100,
                                   widget=forms.TextInput(attrs={"placeholder": "如：村主任、财务室"}))
    title = forms.CharField(label="标题", required=False, max_length=200,
                            widget=forms.TextInput(attrs={"placeholder": "一句话概括诉求，如：征地补偿款未发放"}))
    content = forms.CharField(label="信访内容", required=False,
                              widget=forms.Textarea(attrs={"rows": 6, "placeholder": "信访人反映的主要事实和诉求"}))
    headcount = forms.IntegerField(label="来访人数", required=False, min_value=1, initial=1,
                                   widget=forms.NumberInput(attrs={"min": 1, "inputmode": "numeric"}))
    case = forms.CharField(label="并入事项", required=False, widget=forms.HiddenInput)
    # One-time key of this form (intake.services.register): sent twice, it finds the
    # case the first sending made instead of making a second one.
    submission_key = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)
    attachments = MultipleFileField(label="附件", required=False,
                                    help_text="信件扫描件、照片、PDF、Office文档、音视频，可多选，单个不超过20MB")
    agent_name = forms.CharField(label="代办人", required=False, max_length=40,
                                 help_text="信息员、代办员或人大代表代为登记时填写")
    agent_role = forms.CharField(label="代办人身份", required=False, max_length=40,
                                 widget=forms.TextInput(attrs={"list": "agent-roles"}))
    referral_from = forms.CharField(label="转送来源", required=False, max_length=100,
                                    widget=forms.TextInput(attrs={"placeholder": "如：江州市信访局"}))
    confirm_late = forms.BooleanField(label="确认补录：收到时间无误，本件为事后补登记", required=False)

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        scope = actor.unit.scope_root
        self.fields["receiving_unit"].choices = unit_choices(Unit.objects.active().subtree(scope))
        self.fields["receiving_unit"].initial = actor.unit.code
        self.fields["accused_unit"].choices = [("", "（未指明单位）")] + unit_choices(Unit.objects.active().subtree(scope))
        self.fields["received_at"].initial = timezone.localtime().replace(second=0, microsecond=0)
        self.fields["submission_key"].initial = secrets.token_urlsafe(24)
        tops, children, parents = [], [], {}
        for cat in Category.objects.filter(is_active=True).select_related("parent").order_by("sort_order", "code"):
            if cat.parent_id is None:
                tops.append((cat.code, cat.name))
            else:
                children.append((cat.parent.sort_order, cat.parent.code, cat.sort_order, cat.code, cat.name))
                parents[cat.code] = {"data-parent": cat.parent.code}
        children.sort()
        self.fields["category_top"].choices = BLANK + tops
        self.fields["category"].choices = [("", "—— 细类（可不选）——")] + [(code, name) for *_, code, name in children]
        self.fields["category"].widget = OptionAttrsSelect(choices=self.fields["category"].choices, option_attrs=parents)
        self.fields["title"].widget.attrs["autocomplete"] = "off"

    @property
    def category_code(self):
        data = self.cleaned_data
        return data.get("category") or data.get("category_top") or ""


class PetitionerForm(forms.Form):
    name = forms.CharField(label="姓名", required=False, max_length=40, widget=forms.TextInput(attrs={"autocomplete": "off"}))
    document_type = forms.ChoiceField(label="证件类型", required=False, choices=DocumentType.choices,
                                      initial=DocumentType.RESIDENT_ID, widget=forms.Select(attrs={"class": "js-lookup"}))
    id_number = forms.CharField(label="证件号码", required=False, max_length=24,
                                widget=forms.TextInput(attrs={"class": "js-lookup font-monospace", "autocomplete": "off", "spellcheck": "false"}))
    sex = forms.ChoiceField(label="性别", required=False, choices=[("", "—")] + Sex.choices,
                            help_text="身份证、居住证号码自带性别，不必选择")
    phone = forms.CharField(label="联系电话", required=False, max_length=20,
                            widget=forms.TextInput(attrs={"class": "js-lookup", "autocomplete": "off", "inputmode": "tel"}))
    household_unit = forms.ChoiceField(label="户籍地", required=False)
    household_place = forms.CharField(label="辖区外户籍地", required=False, max_length=100,
                                      widget=forms.TextInput(attrs={"autocomplete": "off", "placeholder": "辖区外请填写，如：浙江省杭州市西湖区"}))
    address = forms.CharField(label="住址", required=False, max_length=200, widget=forms.TextInput(attrs={"autocomplete": "off"}))
    is_representative = forms.BooleanField(label="代表", required=False)
    sms_opt_out = forms.BooleanField(label="不接收短信通知", required=False)

    def __init__(self, *args, places=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["household_unit"].choices = [("", "—— 辖区外或不详 ——")] + list(places)
        for field in self.fields.values():
            field.widget.attrs.setdefault("aria-label", field.label)


def household_choices():
    """The deployment's places (county, townships, villages) as an indented list: the
    choices of a petitioner's 户籍地. One query for the whole form."""
    return unit_choices(Unit.objects.active().places().only("code", "name", "path"))


def petitioner_formset(data=None, *, rows=1):
    """The repeatable petitioner rows; `rows` blank ones on a new form."""
    cls = forms.formset_factory(PetitionerForm, extra=rows, max_num=200, absolute_max=200)
    places = [(code, label.removesuffix("人民政府")) for code, label in household_choices()]
    return cls(data, prefix="p", form_kwargs={"places": places})


class SearchForm(forms.Form):
    q = forms.CharField(label="关键词", required=False, max_length=100,
                        widget=forms.TextInput(attrs={"type": "search", "placeholder": "编号、标题、内容，或信访人证件号、电话"}))
    status = forms.ChoiceField(label="状态", required=False, choices=[("", "全部状态")] + Status.choices)
    kind = forms.ChoiceField(label="性质", required=False, choices=[("", "全部性质")] + Kind.choices)
    category = forms.ChoiceField(label="问题类别", required=False)
    unit = forms.ChoiceField(label="单位", required=False)
    overdue = forms.ChoiceField(label="超期", required=False, choices=[("", "不限"), ("yes", "仅超期"), ("no", "未超期")])
    received_from = forms.DateField(label="收到日期自", required=False,
                                    widget=forms.DateInput(attrs={"type": "date", "aria-label": "收到日期自"}))
    received_to = forms.DateField(label="收到日期至", required=False,
                                  widget=forms.DateInput(attrs={"type": "date", "aria-label": "收到日期至"}))

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        cats = [("", "全部类别")]
        for cat in Category.objects.filter(is_active=True).order_by("code"):
            cats.append((cat.code, ("\u3000" + cat.name) if cat.parent_id else cat.name))
        self.fields["category"].choices = cats
        scope = actor.unit.scope_root if actor.unit_id else None
        units = Unit.objects.active().subtree(scope) if scope else Unit.objects.none()
        self.fields["unit"].choices = [("", "全部单位")] + unit_choices(units)

    @property
    def overdue_flag(self):
        return {"yes": True, "no": False}.get(self.cleaned_data.get("overdue") or "")


# --- one form per case action; field names are the keyword params of cases.services -----
# `required_fields` only puts the asterisks on the page; the service decides (require()).


class NoteForm(forms.Form):
    required_fields = ()
    note = forms.CharField(label="说明", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ArchiveForm(NoteForm):
    retention = forms.ChoiceField(label="保管期限", required=False, choices=[("", "（按事项性质默认）")] + Retention.choices,
                                  help_text="归档后自动生成电子案卷（PDF 与原件包）。")


class DeclineForm(forms.Form):
    required_fields = ("reason", "proper_channel")
    reason = forms.CharField(label="不予受理理由", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    proper_channel = forms.CharField(label="告知途径", required=False, max_length=200,
                                     widget=forms.TextInput(attrs={"placeholder": "如：向安宁县人民法院提起诉讼"}))
    guided_procedure = forms.ChoiceField(label="导入法定程序", required=False, choices=[("", "（不涉及）")] + GuidedProcedure.choices)


class RefuseForm(forms.Form):
    required_fields = ("basis", "reason")
    basis = forms.ChoiceField(label="不再受理依据", required=False, choices=RefuseBasis.choices, widget=forms.RadioSelect)
    reason = forms.CharField(label="理由", required=False, widget=forms.Textarea(attrs={"rows": 3}))


class ForwardForm(forms.Form):
    required_fields = ("unit",)
    unit = forms.ChoiceField(label="转送至", required=False)
    note = forms.CharField(label="说明", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, case, actor, **kwargs):
        super().__init__(*args, **kwargs)
        units = routable(case, Unit.objects.active().exclude(pk=case.current_unit_id))
        self.fields["unit"].choices = BLANK + unit_choices(units)


class AssignForm(forms.Form):
    required_fields = ("unit",)
    unit = forms.ChoiceField(label="主办单位", required=False)
    assisting = forms.MultipleChoiceField(label="协办单位（可多选）", required=False,
                                          widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}))
    due_date = forms.DateField(label="交办期限", required=False, widget=forms.DateInput(attrs={"type": "date"}),
                               help_text="不填则按法定办理期限")
    assist_due = forms.DateField(label="协办期限", required=False, widget=forms.DateInput(attrs={"type": "date"}),
                                 help_text="协办单位提交协办意见的期限；不填则为交办后15日，且不晚于办理期限")
    note = forms.CharField(label="交办意见", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, case, actor, **kwargs):
        super().__init__(*args, **kwargs)
        units = routable(case, Unit.objects.active().subtree(actor.unit.scope_root).exclude(pk=case.current_unit_id))
        choices = unit_choices(units)
        self.fields["unit"].choices = BLANK + choices
        self.fields["assisting"].choices = [(code, label.strip("\u3000")) for code, label in choices]
        if case.handle_due:
            self.fields["due_date"].widget.attrs["max"] = case.handle_due.isoformat()
            self.fields["due_date"].help_text = f"不填则按法定办理期限（{case.handle_due:%Y-%m-%d}）"


class ReturnForm(forms.Form):
    required_fields = ("reason",)
    reason = forms.CharField(label="退回理由", required=False, widget=forms.Textarea(attrs={"rows": 3}),
                             help_text="认为交办有误的，应在收到后5个工作日内提出")


class ExtendForm(forms.Form):
    required_fields = ("days", "reason")
    days = forms.IntegerField(label="延长天数", required=False, min_value=1, widget=forms.NumberInput(attrs={"min": 1}))
    reason = forms.CharField(label="延期理由（将告知信访人）", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, case, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["days"].widget.attrs["max"] = limit("extend_max_days")
        self.fields["days"].help_text = f"最多{limit('extend_max_days')}天，只能延期一次"


class ReplyForm(forms.Form):
    required_fields = ("outcome", "request_summary", "facts", "opinion")
    outcome = forms.ChoiceField(label="处理意见", required=False, choices=Outcome.choices, widget=forms.RadioSelect)
    request_summary = forms.CharField(label="信访诉求", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    facts = forms.CharField(label="查明事实", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    opinion = forms.CharField(label="处理意见及理由", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    legal_basis = forms.CharField(label="法律政策依据", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    remedy = forms.CharField(label="救济途径", required=False, widget=forms.Textarea(attrs={"rows": 2}),
                             help_text="不填则写入默认的复查、复核告知")
    settlement = forms.CharField(label="调解或和解协议", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    documents = MultipleFileField(label="答复文书", required=False,
                                  help_text="处理意见书等（PDF、图片或Office文档）；信访人凭查询码可在网上下载，请勿上传内部材料")


class AssistingOpinions:
    """The assisting units' parts, shown above the reply: the lead unit reads them first."""

    def load_opinions(self, case):
        self.assisting_opinions = list(CaseAssignment.objects.filter(case=case, is_lead=False, returned_at__isnull=True)
                                       .select_related("unit", "submitted_by").order_by("assigned_at", "id"))


class ReplyContextForm(AssistingOpinions, ReplyForm):
    def __init__(self, *args, case, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.load_opinions(case)


class DraftForm(AssistingOpinions, ReplyForm):
    """拟办: the written opinion as the handler proposes it; a draft already waiting is
    shown to be improved."""

    def __init__(self, *args, case, actor, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["documents"]
        self.load_opinions(case)
        if draft := pending_draft(case):
            self.initial.update({name: getattr(draft, name) for name in draft.FIELDS})


class SignForm(AssistingOpinions, ReplyForm):
    """审签: the handler's draft, for the head to edit and sign as the reply."""

    def __init__(self, *args, case, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.load_opinions(case)
        self.draft = pending_draft(case)
        if self.draft:
            self.initial.update({name: getattr(self.draft, name) for name in self.draft.FIELDS})


class ReportForm(AssistingOpinions, ReplyForm):
    """报送办理结果: the lead unit's head reports what was done (办理情况) and the written
    answer it proposes, prefilled from the handler's draft; the assigning unit decides."""

    required_fields = ("summary",) + ReplyForm.required_fields
    summary = forms.CharField(label="办理情况", required=False, widget=forms.Textarea(attrs={"rows": 4}),
                              help_text="调查核实、协调处理的经过和结果；报送交办单位审核，不告知信访人")
    field_order = ["summary"]

    def __init__(self, *args, case, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.load_opinions(case)
        self.fields["documents"].help_text = "处理意见书等；审核通过后随答复意见一并提供给信访人，请勿上传内部材料"
        self.draft = pending_draft(case)
        # After a send-back: the answer last reported; else the handler's draft.
        self.initial.update({name: value for name, value in proposed_answer(case, draft=self.draft).items() if value})


class ApproveForm(forms.Form):
    """审核通过: the assigning unit accepts the result; the proposed answer becomes the reply."""

    note = forms.CharField(label="审核意见", required=False, widget=forms.Textarea(attrs={"rows": 2}),
                           help_text="审核通过后，报送的处理意见即作为答复意见，并生成信访处理意见书")


class SendBackForm(forms.Form):
    """退回补办: the result is not enough; a reason and a new due date (never after the
    legal deadline)."""

    required_fields = ("reason", "due_date")
    reason = forms.CharField(label="退回理由", required=False, widget=forms.Textarea(attrs={"rows": 3}),
                             help_text="需要补充调查或修改的内容，将告知主办单位")
    due_date = forms.DateField(label="重新报送期限", required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))

    def __init__(self, *args, case, actor, **kwargs):
        super().__init__(*args, **kwargs)
        latest = legal_handle_due(case)
        self.initial.setdefault("due_date", suggested_send_back_due(case))
        self.fields["due_date"].widget.attrs.update({"min": timezone.localdate().isoformat(), "max": latest.isoformat()})
        self.fields["due_date"].help_text = f"不得晚于法定办理期限 {latest:%Y-%m-%d}"


class AssistForm(forms.Form):
    required_fields = ("opinion",)
    opinion = forms.CharField(label="协办意见", required=False, widget=forms.Textarea(attrs={"rows": 4}),
                              help_text="本单位就职责范围内事项的核查情况和意见，提交后主办单位答复前可见")


class ProgressForm(forms.Form):
    required_fields = ("note",)
    note = forms.CharField(label="办理进展", required=False, widget=forms.Textarea(attrs={"rows": 3}),
                           help_text="如：已到现场核实、已约谈有关单位、已调取材料")


EVALUATION_CHANNELS = [("", "—— 评价渠道 ——"), ("phone", "电话"), ("visit", "当面"), ("letter", "书面"),
                       ("online", "网上"), ("sms", "短信")]


class EvaluateForm(forms.Form):
    required_fields = ("satisfaction",)
    satisfaction = forms.ChoiceField(label="满意度", required=False, choices=Satisfaction.choices, widget=forms.RadioSelect)
    channel = forms.ChoiceField(label="评价渠道", required=False, choices=EVALUATION_CHANNELS)
    comment = forms.CharField(label="信访人意见", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ReasonsForm(forms.Form):
    required_fields = ("reasons",)
    reasons = forms.CharField(label="请求理由", required=False, widget=forms.Textarea(attrs={"rows": 3}))


class FollowUpForm(forms.Form):
    required_fields = ("note",)
    method = forms.ChoiceField(label="回访方式", required=False,
                               choices=[("电话回访", "电话回访"), ("上门回访", "上门回访"), ("短信回访", "短信回访"), ("其他", "其他")])
    note = forms.CharField(label="回访情况", required=False, widget=forms.Textarea(attrs={"rows": 3}))


class MergeForm(forms.Form):
    required_fields = ("into",)
    into = forms.CharField(label="并入事项编号", required=False, max_length=40,
                           widget=forms.TextInput(attrs={"placeholder": "如：341122-XFJ-2026-00001", "class": "font-monospace"}))
    reason = forms.ChoiceField(label="并案原因", required=False, choices=MergeReason.choices, widget=forms.RadioSelect,
                               initial=MergeReason.REPEAT)
    note = forms.CharField(label="说明", required=False, widget=forms.Textarea(attrs={"rows": 2}),
                           help_text="本事项的信访件和附件将转入目标事项，可撤销并案恢复")


class CorrectForm(forms.Form):
    """更正登记: the registered facts of the opening petition, shown as they are; what is
    changed is corrected, with the reason."""

    required_fields = ("reason",)
    received_at = forms.DateTimeField(label="收到时间", required=False,
                                      widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"))
    confirm_late = forms.BooleanField(label="确认补录（收到时间早于登记时间较久且无误）", required=False)
    channel = forms.ChoiceField(label="信访渠道", required=False, choices=Channel.choices)
    kind = forms.ChoiceField(label="信访性质", required=False, choices=Kind.choices)
    category = forms.ChoiceField(label="问题类别", required=False)
    title = forms.CharField(label="标题", required=False, max_length=200)
    content = forms.CharField(label="信访内容", required=False, widget=forms.Textarea(attrs={"rows": 4}))
    headcount = forms.IntegerField(label="人数", required=False, min_value=1)
    accused_unit = forms.ChoiceField(label="被检举控告单位", required=False)
    accused_post = forms.CharField(label="被检举控告职务或部门", required=False, max_length=100)
    agent_name = forms.CharField(label="代办人", required=False, max_length=40)
    agent_role = forms.CharField(label="代办人身份", required=False, max_length=40)
    referral_from = forms.CharField(label="转送来源", required=False, max_length=100)
    reason = forms.CharField(label="更正理由", required=False, widget=forms.Textarea(attrs={"rows": 2}),
                             help_text="原登记内容保留在办理过程和审计记录中")

    def __init__(self, *args, case, actor, **kwargs):
        super().__init__(*args, **kwargs)
        cats = [("", "（未分类）")]
        for cat in Category.objects.filter(is_active=True).select_related("parent").order_by("code"):
            cats.append((cat.code, str(cat)))
        self.fields["category"].choices = cats
        scope = actor.unit.scope_root if actor.unit_id else None
        units = Unit.objects.active().subtree(scope) if scope else Unit.objects.none()
        self.fields["accused_unit"].choices = [("", "（未指明单位）")] + unit_choices(units)
        petition = case.petitions.select_related("category", "accused_unit").order_by("received_at", "id").first()
        if petition is not None:
            self.initial.update({
                "received_at": timezone.localtime(petition.received_at).replace(second=0, microsecond=0), "channel": petition.channel,
                "kind": petition.kind, "category": petition.category.code if petition.category_id else "", "title": petition.title,
                "content": petition.content, "headcount": petition.headcount,
                "accused_unit": petition.accused_unit.code if petition.accused_unit_id else "", "accused_post": petition.accused_post,
                "agent_name": petition.agent_name, "agent_role": petition.agent_role, "referral_from": petition.referral_from,
            })


class DeliverForm(forms.Form):
    """送达: how and when one of the case's notices reached the petitioner, with its proof.
    A document already delivered is corrected, with the reason (the old record stays)."""

    required_fields = ("document", "channel", "delivered_on")
    document = forms.ChoiceField(label="文书", required=False)
    channel = forms.ChoiceField(label="送达方式", required=False, choices=DeliveryChannel.choices, widget=forms.RadioSelect)
    delivered_on = forms.DateField(label="送达日期（信访人收到之日）", required=False, widget=forms.DateInput(attrs={"type": "date"}),
                                   help_text="复查、复核期限自信访人收到书面答复之日起算")
    recipient = forms.CharField(label="签收人", required=False, max_length=100)
    proof = forms.FileField(label="送达凭证（送达回证、签收回执扫描件）", required=False,
                            help_text="邮寄送达须上传送达回证扫描件；直接送达上传签收回执或填写签收人；公告送达在说明中写明公告方式和地点")
    note = forms.CharField(label="说明", required=False, max_length=300, widget=forms.Textarea(attrs={"rows": 2}))
    reason = forms.CharField(label="更正理由（更正已登记的送达时填写）", required=False, max_length=300)

    def __init__(self, *args, case, actor, **kwargs):
        super().__init__(*args, **kwargs)
        docs = list(notices_of(case))
        delivered = {d.pk: d.delivered_on for d in with_current(notices_of(case))}
        self.fields["document"].choices = [("", "请选择文书")] + [
            (str(d.pk), f"{d.get_kind_display()} {d.number}" + (f"（已于{delivered[d.pk]:%Y-%m-%d}送达，更正）" if delivered.get(d.pk) else "（待送达）"))
            for d in docs]
        if not self.is_bound:
            waiting = [d for d in docs if not delivered.get(d.pk)]
            self.initial.setdefault("document", str(waiting[-1].pk) if waiting else "")
            self.initial.setdefault("delivered_on", timezone.localdate())


class VoidForm(forms.Form):
    required_fields = ("reason",)
    reason = forms.CharField(label="作废理由", required=False, widget=forms.Textarea(attrs={"rows": 2}),
                             help_text="重复登记或误登记的，作废后不再出现在列表、待办和统计中；事项编号保留，不再使用")
    duplicate_of = forms.CharField(label="与之重复的事项编号（重复登记时填写）", required=False, max_length=40,
                                   widget=forms.TextInput(attrs={"placeholder": "如：341122-XFJ-2026-00001", "class": "font-monospace"}))


ACTION_FORMS = {
    "accept": NoteForm,
    "decline": DeclineForm,
    "refuse": RefuseForm,
    "forward": ForwardForm,
    "assign": AssignForm,
    "return": ReturnForm,
    "start": NoteForm,
    "extend": ExtendForm,
    "reply": ReplyContextForm,
    "evaluate": EvaluateForm,
    "close": NoteForm,
    "review": ReasonsForm,
    "re_review": ReasonsForm,
    "conclude": NoteForm,
    "follow_up": FollowUpForm,
    "archive": ArchiveForm,
    "note": NoteForm,
    "merge": MergeForm,
    "split": NoteForm,
    "correct": CorrectForm,
    "void": VoidForm,
    "assist": AssistForm,
    "progress": ProgressForm,
    "draft": DraftForm,
    "sign": SignForm,
    "report": ReportForm,
    "approve": ApproveForm,
    "send_back": SendBackForm,
    "deliver": DeliverForm,
}
# Forms whose choices depend on the case or the actor.
CONTEXT_FORMS = (ForwardForm, AssignForm, ExtendForm, CorrectForm, ReplyContextForm, DraftForm, SignForm, ReportForm, SendBackForm,
                 DeliverForm)


def action_form(action, *, case, actor, data=None, files=None):
    cls = ACTION_FORMS[action]
    if cls in CONTEXT_FORMS:
        return cls(data, files, case=case, actor=actor, prefix=action)
    return cls(data, files, prefix=action)


def action_params(form):
    """The keyword params for perform(): blanks left out so the service's defaults apply."""
    params = {}
    for name, value in form.cleaned_data.items():
        if value in (None, "", [], ()):
            continue
        params[name] = value
    return params
