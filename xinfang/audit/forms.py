from django import forms


class AuditSearchForm(forms.Form):
    """The auditor's filters: who, what was done, to which object, when."""

    actor = forms.CharField(label="操作人", required=False, max_length=40,
                            widget=forms.TextInput(attrs={"placeholder": "用户名或姓名"}))
    action = forms.ChoiceField(label="操作", required=False)
    object_type = forms.ChoiceField(label="对象类型", required=False)
    object = forms.CharField(label="对象", required=False, max_length=64,
                             widget=forms.TextInput(attrs={"placeholder": "对象标识或事项编号"}))
    date_from = forms.DateField(label="起始日期", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label="截止日期", required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Known codes, not SELECT DISTINCT: that would read the whole record.
        self.fields["action"].choices = [("", "全部")] + [(a, action_label(a)) for a in known_actions()]
        self.fields["object_type"].choices = [("", "全部")] + [(t, type_label(t)) for t in TYPE_LABELS]

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", "截止日期不能早于起始日期。")
        return data


ACTION_LABELS = {
    "auth.login": "登录",
    "auth.logout": "退出登录",
    "auth.login_failed": "登录失败",
    "auth.otp_verify": "双因素验证通过",
    "auth.otp_failed": "双因素验证失败",
    "user.create": "新建账号",
    "user.password_reset": "重置密码",
    "user.password_change": "修改密码",
    "user.logout_everywhere": "退出所有设备",
    "user.otp_enrol": "启用双因素认证",
    "user.otp_remove": "移除双因素验证器",
    "petition.register": "登记信访件",
    "case.read_personal": "查看个人信息",
    "case.view": "接口查看事项",
    "attachment.download": "下载附件",
    "case.query_code": "生成网上查询码",
    "api.token_issue": "签发接口令牌",
    "api.token_revoke": "注销接口令牌",
    "case.export": "导出事项列表",
    "audit.export": "导出审计记录",
    "admin.add": "后台新增",
    "admin.change": "后台修改",
    "admin.delete": "后台删除",
}

TYPE_LABELS = {
    "cases.case": "信访事项",
    "cases": "信访事项列表（导出）",
    "intake.petition": "信访件",
    "intake.attachment": "附件",
    "org.user": "工作人员",
    "org.unit": "单位",
    "api.apitoken": "接口令牌",
    "audit.auditentry": "审计记录",
}


def known_actions():
    from xinfang.cases.choices import Action

    case_actions = [f"case.{a}" for a in Action.values if a not in ("register", "repeat")]
    return [*ACTION_LABELS, *case_actions]


def action_name(code):
    """The Chinese name of an action code, or the code itself."""
    if code in ACTION_LABELS:
        return ACTION_LABELS[code]
    if code.startswith("case."):
        from xinfang.cases.choices import Action

        name = code.split(".", 1)[1]
        if name in Action.values:
            return f"事项：{Action(name).label}"
    return code


def action_label(code):
    name = action_name(code)
    return name if name == code else f"{name}（{code}）"


def type_name(code):
    return TYPE_LABELS.get(code, code)


def type_label(code):
    return f"{TYPE_LABELS[code]}（{code}）" if code in TYPE_LABELS else code
