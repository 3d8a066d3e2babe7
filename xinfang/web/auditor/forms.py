"""The auditor's filters and the names of what the record's action codes mean, case
actions included (the screen sits in web, above the case domain, for that reason)."""

from django import forms

from xinfang.audit.labels import ACTION_LABELS, TYPE_LABELS, type_label
from xinfang.cases.choices import Action


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


def known_actions():
    case_actions = [f"case.{a}" for a in Action.values if a not in ("register", "repeat")]
    return [*ACTION_LABELS, *case_actions]


def action_name(code):
    """The Chinese name of an action code, or the code itself."""
    if code in ACTION_LABELS:
        return ACTION_LABELS[code]
    if code.startswith("case."):
        name = code.split(".", 1)[1]
        if name in Action.values:
            return f"事项：{Action(name).label}"
    return code


def action_label(code):
    name = action_name(code)
    return name if name == code else f"{name}（{code}）"
