"""Forms of the public pages. They parse and redisplay what was typed; the rules live in
services.py, whose errors the views put back beside the fields. Hence required=False."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from xinfang.cases.choices import Kind

from .public import KIND, SATISFACTION

KIND_HELP = {
    Kind.GRIEVANCE: _("反映自己的权益受到侵害，请求解决（需实名和手机号）"),
    Kind.ACCUSATION: _("检举、控告违纪违法行为（可匿名，您的身份和材料严格保密）"),
    Kind.SUGGESTION: _("对工作提出建议、意见（可匿名）"),
}


def unit_choices(units):
    units = list(units)
    top = min((u.path.count("/") for u in units), default=0)
    return [("", _("—— 请选择 ——"))] + [
        (u.code, "\u3000" * (u.path.count("/") - top) + u.name) for u in units]


class SubmitForm(forms.Form):
    kind = forms.ChoiceField(label=_("反映类型"), required=False, widget=forms.RadioSelect,
                             choices=[(k, KIND[k]) for k in (Kind.GRIEVANCE, Kind.ACCUSATION, Kind.SUGGESTION)])
    anonymous = forms.BooleanField(label=_("匿名提交（仅限检举控告和建议意见）"), required=False)
    name = forms.CharField(label=_("姓名"), required=False, max_length=40)
    phone = forms.CharField(label=_("手机号码"), required=False, max_length=20,
                            help_text=_("用于接收查询码短信和联系您；申诉求决类必填"),
                            widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}))
    sms_opt_out = forms.BooleanField(label=_("不接收短信通知"), required=False,
                                     help_text=_("勾选后不再向您发送办理进度短信（查询码短信仍会发送）"))
    id_number = forms.CharField(label=_("身份证号（选填）"), required=False, max_length=18)
    address = forms.CharField(label=_("通信地址（选填）"), required=False, max_length=200,
                              widget=forms.TextInput(attrs={"autocomplete": "street-address"}))
    unit = forms.ChoiceField(label=_("受理单位"), required=False,
                             help_text=_("事情发生地的乡镇（街道）或县，或主管部门。不确定的可以不选，我们会根据事发地点确定。"))
    place = forms.CharField(label=_("事发地点"), required=False, max_length=100, help_text=_("如：青山乡竹岭村村委会旁"))
    title = forms.CharField(label=_("标题（选填）"), required=False, max_length=60)
    content = forms.CharField(label=_("事情经过和诉求"), required=False, max_length=6000, widget=forms.Textarea(attrs={"rows": 8}),
                              help_text=_("请写清时间、地点、经过，以及您希望如何解决（10至5000字）"))
    # The files come from request.FILES; this field only carries their error messages.
    attachments = forms.CharField(label=_("附件"), required=False, widget=forms.HiddenInput)
    consent = forms.BooleanField(label=_("我已阅读提交须知，所反映情况属实"), required=False)
    captcha = forms.CharField(label=_("验证码"), required=False, max_length=8,
                              widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "maxlength": "4"}),
                              help_text=_("请输入上图中的4位数字。无法完成验证的，可以来信、来电或到信访接待场所反映。"))
    captcha_key = forms.CharField(required=False, widget=forms.HiddenInput, max_length=43)
    idempotency_key = forms.CharField(required=False, widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = unit_choices(units)
        self.fields["name"].widget.attrs["autocomplete"] = "name"
        self.max_upload_mb = settings.PORTAL_UPLOAD_MAX_BYTES // (1024 * 1024)
        self.max_files = settings.PORTAL_UPLOAD_MAX_FILES

    def kind_options(self):
        return [(radio, KIND_HELP[radio.data["value"]]) for radio in self["kind"]]


class FollowForm(forms.Form):
    code = forms.CharField(label=_("查询码"), required=False, max_length=40,
                           widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false",
                                                         "placeholder": "XF-XXXX-XXXX-XXXX-XXXX"}))
    verify = forms.CharField(label=_("手机号或身份证号后4位"), required=False, max_length=8,
                             widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "text", "maxlength": "4"}))


class EvaluateForm(forms.Form):
    satisfaction = forms.ChoiceField(label=_("您对答复的评价"), required=False, widget=forms.RadioSelect,
                                     choices=list(SATISFACTION.items()))
    comment = forms.CharField(label=_("意见（选填）"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))


class ReviewForm(forms.Form):
    reasons = forms.CharField(label=_("请求的理由"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 5}))
