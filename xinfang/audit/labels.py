"""What the action and object-type codes of the audit record mean, in Chinese: the codes
that apps below the case domain write (sign-ins, accounts, tokens) and the object types.
The names of case actions come from cases.choices, in the auditor's screen
(xinfang/web/auditor/forms.py)."""

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
    "document.download": "下载文书",
    "delivery.proof_download": "下载送达凭证",
    "case.query_code": "生成网上查询码",
    "api.token_issue": "签发接口令牌",
    "api.token_revoke": "注销接口令牌",
    "api.token_revoke_all": "注销全部接口令牌（密码已改）",
    "case.export": "导出事项列表",
    "case.casefile_rebuild": "重新生成电子案卷",
    "casefile.download": "下载电子案卷",
    "audit.export": "导出审计记录",
    "document.issue": "制发文书",
    "document.add_version": "上传文书新版本",
    "document.download": "下载文书",
    "document.template_upload": "上传文书模板",
    "document.template_activate": "启用文书模板版本",
    "document.template_default": "恢复默认文书模板",
    "outbox.retry": "重发外发消息",
    "admin.add": "后台新增",
    "admin.change": "后台修改",
    "admin.delete": "后台删除",
}

TYPE_LABELS = {
    "cases.case": "信访事项",
    "cases": "信访事项列表（导出）",
    "intake.petition": "信访件",
    "intake.attachment": "附件",
    "documents.document": "文书",
    "documents.template": "文书模板",
    "documents.delivery": "送达记录",
    "org.user": "工作人员",
    "org.unit": "单位",
    "api.apitoken": "接口令牌",
    "audit.auditentry": "审计记录",
    "notify.outboundmessage": "外发消息",
}


def type_name(code):
    return TYPE_LABELS.get(code, code)


def type_label(code):
    return f"{TYPE_LABELS[code]}（{code}）" if code in TYPE_LABELS else code
