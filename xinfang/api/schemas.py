"""The shapes of the API: what comes in (validated by pydantic before any service runs)
and what goes out (read from model objects by the resolvers below). Services decide
what is allowed; these only say what a well-formed request looks like."""

import datetime
import re
from typing import Annotated, Any, Optional

from ninja import Field, Schema
from pydantic import BeforeValidator, ConfigDict, field_validator

from xinfang.cases.choices import OPEN_STATUSES, Channel, DueKind, Kind, Status
from xinfang.cases.services import pending_draft
from xinfang.intake.choices import DocumentType, Sex
from xinfang.lib.masking import mask_address, mask_id, mask_phone
from xinfang.lib.text import clean_deep, clean_text

# JSON null for an optional text means "not given", the same as leaving it out.
Text = Annotated[str, BeforeValidator(lambda v: "" if v is None else clean_text(v, keep_nul=True))]

def _iso_date(value):
    """Dates in query strings are YYYY-MM-DD, as documented; pydantic alone would also
    take `0` (a Unix time, 1970-01-01) and other shapes nobody means."""
    if isinstance(value, str) and not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
        raise ValueError("日期格式应为YYYY-MM-DD / Dates are YYYY-MM-DD.")
    return value


IsoDate = Annotated[datetime.date, BeforeValidator(_iso_date)]

# Dates the API prints as legal dates, in this order, when the case has them.
LEGAL_DATES = ("decide_due", "handle_due", "deliver_due", "review_window_end", "review_due", "re_review_window_end", "re_review_due")


def no_nul(value):
    """PostgreSQL text cannot hold NUL characters: refuse them at the door."""
    texts = value if isinstance(value, list) else [value]
    if any(isinstance(t, str) and "\x00" in t for t in texts):
        raise ValueError("不能包含空字符 / Must not contain NUL characters.")
    return value


# What `no_nul` lets through, said in the OpenAPI document so that clients (and the
# schemathesis check) know it: text without NUL characters.
NO_NUL = "^[^\\x00]*$"


def _say_no_nul(schema):
    """Give every text property of a request schema the NO_NUL pattern (unless it has a
    stricter one), also inside Optional's anyOf and inside lists."""
    def mark(node):
        if not isinstance(node, dict):
            return
        if node.get("type") == "string" and "pattern" not in node and "enum" not in node and "format" not in node:
            node["pattern"] = NO_NUL
        for key in ("anyOf", "oneOf", "allOf"):
            for sub in node.get(key, []):
                mark(sub)
        mark(node.get("items"))

    for prop in schema.get("properties", {}).values():
        mark(prop)


class In(Schema):
    """Requests refuse fields they do not know, so a misspelt field is an error, not
    silently ignored."""

    model_config = ConfigDict(extra="forbid", json_schema_extra=_say_no_nul)

    @field_validator("*")
    @classmethod
    def _no_nul(cls, value, info):
        # NUL is refused with a message; other text that cannot go into a file (control,
        # direction and zero-width characters) is removed (lib/text.py), but from a
        # password, which is checked as typed and never stored or shown.
        value = no_nul(value)
        return value if "password" in (info.field_name or "") else clean_deep(value, keep_nul=True)


# --- errors -----------------------------------------------------------------------


class ErrorDetail(Schema):
    code: str = Field(..., description="机器可读的原因，如 invalid、not_found、wrong_state / Machine-readable reason")
    message: str = Field(..., description="中文说明 / English")
    fields: dict[str, str] = Field(..., description="出错的字段及原因（点号路径，如 petitioners.0.phone）/ Field errors, dotted paths")


class ErrorOut(Schema):
    """Every rejected request (API.md "Errors")."""

    error: ErrorDetail


def errors(*codes):
    """The error answers a route gives besides the ones every route of its kind gives
    (api.document_errors adds 401, 422, 400, 413, 500, 503 where they apply): put
    `**errors(403, 404)` in the route's `response`."""
    return {frozenset(codes): ErrorOut}


# --- auth -------------------------------------------------------------------------


class TokenIn(In):
    username: str = Field(..., max_length=150)
    password: str = Field(..., max_length=4096)
    otp: str | None = Field(None, max_length=12, description="双因素认证的6位动态验证码（启用了双因素认证或岗位要求时必填）/ "
                                                           "The 6-digit TOTP code, required when the account uses a second factor.")


class TokenOut(Schema):
    token: str = Field(..., description="只显示这一次 / Shown once: keep it.")
    expires_at: datetime.datetime


# --- shared pieces ------------------------------------------------------------------


class UnitOut(Schema):
    code: str
    name: str


class CategoryOut(Schema):
    code: str
    name: str
    full_name: str

    @staticmethod
    def resolve_full_name(obj):
        return str(obj)


def _label(obj, name):
    return getattr(obj, f"get_{name}_display")()


def deadlines(case):
    """Every legal date the case has reached so far, then the one the current unit
    works against now (`due_date`, `due_kind`)."""
    out = {name: getattr(case, name) for name in LEGAL_DATES if getattr(case, name) is not None}
    out["due_date"] = case.due_date
    out["due_kind"] = case.due_kind or None
    out["due_kind_label"] = DueKind(case.due_kind).label if case.due_kind else None
    return out


# --- petitions ----------------------------------------------------------------------


class PersonIn(In):
    name: Text = Field("", max_length=200)
    document_type: str = Field(DocumentType.RESIDENT_ID, json_schema_extra={"enum": DocumentType.values},
                               description="证件类型 / Document type: " + "，".join(f"{c}={l}" for c, l in DocumentType.choices))
    id_number: Text = Field("", max_length=64, description="证件号码；身份证和居住证检查校验位和出生日期 / Document number")
    sex: Text = Field("", json_schema_extra={"enum": ["", *Sex.values]},
                      description="性别；身份证和居住证号码自带性别，可不填 / Derived from an 18-digit number")
    phone: Text = Field("", max_length=20)
    address: Text = Field("", max_length=200)
    household_unit: Text = Field("", max_length=32, description="户籍地：本辖区县、乡镇或村（社区）的单位代码 / Place unit code")
    household_place: Text = Field("", max_length=100, description="辖区外的户籍地，如：浙江省杭州市西湖区 / Outside the area")
    is_representative: bool = False
    sms_opt_out: bool = Field(False, description="信访人不接收办理进度短信 / The petitioner declines SMS about the case")


class PetitionIn(In):
    channel: str = Field(..., json_schema_extra={"enum": Channel.values})
    received_at: Optional[datetime.datetime] = Field(None, description="默认为现在；不带时区时按北京时间 / Defaults to now.")
    receiving_unit: str = Field(..., max_length=32, description="接收单位代码 / Unit code")
    title: Text = Field(..., max_length=1000)
    content: Text = Field(..., max_length=200_000)
    kind: Text = Field("", json_schema_extra={"enum": Kind.values},
                       description="缺省为申诉求决 / Defaults to grievance when left out.")
    category: Text = Field("", max_length=60, description="问题类别代码 / Category code")
    petitioners: list[PersonIn] = Field(default_factory=list, max_length=1000, description="匿名信可为空 / Empty when anonymous.")
    headcount: int = Field(1, ge=1, le=100_000, description="来访人数 / People in a visit")
    representatives: list[Text] = Field(default_factory=list, max_length=50, description="代表姓名，须在信访人中 / Names among the petitioners")
    case: Text = Field("", max_length=40, description="作为重复信访并入的事项编号 / Number of the case this petition repeats")
    accused_unit: Text = Field("", max_length=32, description="检举控告件：被检举控告单位代码；事项不会交由该单位或其下级办理（第三十条） / "
                                                           "Accusations: code of the accused unit; never routed to it or below it (Art. 30)")
    accused_post: Text = Field("", max_length=100, description="检举控告件：被检举控告的职务或部门，如村主任 / The office or post accused")
    confirm_late: bool = Field(False, description="收到时间早于登记超过补录期限（默认30日）时须为true，本件标注为补录 / "
                                                  "Must be true when received more than late_entry_days before registration: a late entry")

    @field_validator("received_at")
    @classmethod
    def not_before_records(cls, value):
        # Far-past datetimes overflow when converted to UTC; no petition predates 1949.
        if value is not None and value.year < 1949:
            raise ValueError("收到时间不正确 / The time received is not plausible.")
        return value


class PetitionerOut(Schema):
    """A petitioner with masked personal data (docs/security.md); the full values come
    only from `POST /cases/{number}/petitioners/{id}/reveal`, which is audited."""

    id: int
    name: str
    document_type: str
    document_type_label: str
    id_number: str = Field(description="脱敏显示，如 3301**********1234 / Masked")
    sex: str
    phone: str = Field(description="脱敏显示，如 138****5678 / Masked")
    address: str = Field(description="只显示到乡镇（街道）/ Masked below the town")
    household_unit: Optional[str] = Field(None, description="户籍地单位代码（本辖区）/ Place unit code")
    household_place: str = Field(description="户籍地 / Household registration place")
    is_representative: bool
    masked: bool = Field(True, description="以上为脱敏值 / The values above are masked")
    can_reveal: bool = Field(False, description="本人可以查看完整信息 / You may reveal the full values")

    @staticmethod
    def resolve_id_number(obj):
        return mask_id(obj.id_number)

    @staticmethod
    def resolve_document_type_label(obj):
        return obj.get_document_type_display()

    @staticmethod
    def resolve_household_unit(obj):
        return obj.household_unit.code if obj.household_unit_id else None

    @staticmethod
    def resolve_phone(obj):
        return mask_phone(obj.phone)

    @staticmethod
    def resolve_address(obj):
        return mask_address(obj.address)

    @staticmethod
    def resolve_can_reveal(obj):
        return getattr(obj, "can_reveal", False)


class PetitionerFullOut(Schema):
    """One petitioner's full personal data, as revealed (and recorded) for a user whose
    role allows it. `unreadable` names fields whose key is missing from the key ring."""

    id: int
    name: str
    document_type: str
    id_number: str
    sex: str
    phone: str
    address: str
    household_place: str
    is_representative: bool
    masked: bool = False
    unreadable: list[str] = Field(default_factory=list)


class PetitionOut(Schema):
    id: int
    channel: str
    channel_label: str
    received_at: datetime.datetime
    receiving_unit: UnitOut
    receiving_level: str
    receiving_level_label: str
    title: str
    kind: str
    kind_label: str
    headcount: int
    is_repeat: bool
    is_collective: bool
    is_anonymous: bool
    is_late_entry: bool = False

    @staticmethod
    def resolve_channel_label(obj):
        return _label(obj, "channel")

    @staticmethod
    def resolve_receiving_level_label(obj):
        return _label(obj, "receiving_level")

    @staticmethod
    def resolve_kind_label(obj):
        return _label(obj, "kind")


class PetitionDetailOut(PetitionOut):
    content: str
    category: Optional[CategoryOut]
    is_cosigned: bool
    agent_name: str
    agent_role: str
    referral_from: str
    accused_unit: Optional[UnitOut]
    accused_post: str
    registered_by: Optional[str]
    registered_at: datetime.datetime
    identity_hidden: bool = Field(False, description="检举控告件对被检举单位隐去信访人 / Accuser withheld (Art. 30)")
    petitioners: list[PetitionerOut]

    @staticmethod
    def resolve_identity_hidden(obj):
        return getattr(obj, "identity_hidden", False)

    @staticmethod
    def resolve_petitioners(obj):
        return [] if getattr(obj, "identity_hidden", False) else obj.petitioners.all()

    # Whoever registered for the accuser (an agent) would name them too.
    @staticmethod
    def resolve_agent_name(obj):
        return "" if getattr(obj, "identity_hidden", False) else obj.agent_name

    @staticmethod
    def resolve_agent_role(obj):
        return "" if getattr(obj, "identity_hidden", False) else obj.agent_role

    @staticmethod
    def resolve_registered_by(obj):
        return str(obj.registered_by) if obj.registered_by_id else None


class CaseBriefOut(Schema):
    number: str
    status: str
    status_label: str
    deadlines: dict[str, Any]
    warnings: list[str]

    @staticmethod
    def resolve_status_label(obj):
        return _label(obj, "status")

    @staticmethod
    def resolve_deadlines(obj):
        return deadlines(obj)

    @staticmethod
    def resolve_warnings(obj):
        return list(obj.deadline_warnings or [])


class RelatedCaseOut(Schema):
    number: str
    title: str
    status: str
    status_label: str
    received_at: datetime.datetime
    score: float = Field(0.0, description="内容相似度（0–1，估计的字符三元组Jaccard）/ Estimated text similarity")
    reasons: list[str] = Field(default_factory=list, description="same_petitioner | same_text | similar_text | same_title | same_words | same_place_category")
    reason_labels: list[str] = Field(default_factory=list)
    other_unit: bool = Field(False, description="由其他单位登记：可能是一信多投 / Registered at another unit: perhaps the same letter sent elsewhere")

    @staticmethod
    def resolve_status_label(obj):
        return _label(obj, "status")


class SuggestionChoiceOut(Schema):
    code: str
    name: str
    confidence: float = Field(..., description="0–1")
    low_confidence: bool = Field(..., description="低于阈值：仅供参考，不会自动采用 / Below the threshold: shown as uncertain, never applied")


class SuggestionsOut(Schema):
    category: Optional[SuggestionChoiceOut] = Field(None, description="建议的一级问题类别 / Suggested first-level category")
    subcategory: Optional[SuggestionChoiceOut] = Field(None, description="建议的二级问题类别 / Suggested second-level category")
    unit: Optional[SuggestionChoiceOut] = Field(None, description="建议的办理单位 / Suggested responsible unit")
    place: Optional[dict[str, Any]] = Field(None, description="文中地点：省、市、区县及更细的地名 / Places in the text")
    place_unit: Optional[dict[str, Any]] = Field(None, description="属地单位 / The unit of the place")
    model_version: dict[str, int] = Field(default_factory=dict)
    elapsed_ms: float = 0.0


class RegisteredOut(Schema):
    petition: PetitionOut
    case: CaseBriefOut
    related: list[RelatedCaseOut] = Field(..., description="可能相关的已有事项：同一信访人、相同或相似内容、同一地点同类问题（本人可见范围、时间窗口内）"
                                                         " / Existing cases this petition may repeat, with a score and the reasons")
    suggestions: SuggestionsOut
    replayed: bool = Field(False, description="同一 Idempotency-Key 的重发：返回首次登记的信访件 / A retry with the same "
                                              "Idempotency-Key: the petition the first request registered")
    related_unavailable: bool = Field(False, description="已登记，但相关事项暂时无法读取 / Saved; the related petitions could "
                                                         "not be read")
    notice: str = ""


# --- cases --------------------------------------------------------------------------


# Comma-separated statuses, empty items allowed (the filter skips them): what
# cases.filters accepts, said so that a client knows before it asks.
_STATUS = "|".join(Status.values)
STATUS_LIST = f"^,*(({_STATUS}),*)*$"


class CaseListQuery(Schema):
    """Unknown parameters are refused, like unknown fields of a body: a misspelt filter
    must not silently list every case."""

    model_config = ConfigDict(extra="forbid")

    status: str = Field("", max_length=400, pattern=STATUS_LIST, description="逗号分隔 / Comma-separated: " + ",".join(Status.values))
    unit: str = Field("", max_length=32, description="单位代码，含下级 / Unit code, with its subtree")
    category: str = Field("", max_length=16, description="问题类别代码；一级类别含其子类 / Category code")
    kind: str = Field("", max_length=16, json_schema_extra={"enum": ["", *Kind.values]})  # "": any kind
    overdue: Optional[bool] = None
    due_before: Optional[IsoDate] = None
    q: str = Field("", max_length=200, description="编号、标题或内容；信访人的证件号码或电话只查找其本人的事项 / Number, title or content; a petitioner's ID number or phone finds that person's cases")
    received_from: Optional[IsoDate] = None
    received_to: Optional[IsoDate] = None
    waiting: bool = Field(False, description="只看等待本单位办理的 / Only cases waiting on my unit")
    limit: int = Field(50, ge=1, le=200)
    offset: int = Field(0, ge=0, le=10_000_000)


class CaseItemOut(Schema):
    number: str
    title: str
    kind: str
    kind_label: str
    status: str
    status_label: str
    category: Optional[CategoryOut]
    current_unit: Optional[UnitOut]
    received_at: datetime.datetime
    due_date: Optional[datetime.date]
    due_kind: Optional[str]
    due_kind_label: Optional[str]
    days_left: Optional[int]
    overdue: bool
    is_late_entry: bool = Field(False, description="补录：收到后超过补录期限才登记 / Registered long after receipt")
    supervision_level: str = Field("", description="督办级别（未结督办事项中最高的）：general|key|listed，空为未督办 / "
                                                   "The highest supervision level of the case's open obligations, empty for none")
    supervision_level_label: str = ""

    @staticmethod
    def resolve_kind_label(obj):
        return _label(obj, "kind")

    @staticmethod
    def resolve_status_label(obj):
        return _label(obj, "status")

    @staticmethod
    def resolve_due_kind(obj):
        return obj.due_kind or None

    @staticmethod
    def resolve_due_kind_label(obj):
        return DueKind(obj.due_kind).label if obj.due_kind else None

    @staticmethod
    def resolve_days_left(obj):
        return obj.days_left()

    @staticmethod
    def resolve_overdue(obj):
        return obj.is_overdue

    @staticmethod
    def resolve_supervision_level_label(obj):
        return obj.get_supervision_level_display() if obj.supervision_level else ""


class CasePageOut(Schema):
    count: int
    limit: int
    offset: int
    items: list[CaseItemOut]


class AssignmentOut(Schema):
    unit: UnitOut
    role: str
    role_label: str
    assigned_by: Optional[UnitOut]
    assigned_at: datetime.datetime
    returned_at: Optional[datetime.datetime]
    due_date: Optional[datetime.date] = Field(None, description="协办期限 / An assisting unit's due date")
    opinion: str = Field("", description="协办意见 / An assisting unit's part, once submitted")
    submitted_at: Optional[datetime.datetime] = None

    @staticmethod
    def resolve_role(obj):
        return "lead" if obj.is_lead else "assisting"

    @staticmethod
    def resolve_role_label(obj):
        return "主办" if obj.is_lead else "协办"


class ReplyOut(Schema):
    id: int
    stage: str
    stage_label: str
    unit: UnitOut
    outcome: str
    outcome_label: str
    request_summary: str
    facts: str
    opinion: str
    legal_basis: str
    remedy: str
    settlement: str
    signed_by: str
    replied_at: datetime.datetime

    @staticmethod
    def resolve_stage_label(obj):
        return _label(obj, "stage")

    @staticmethod
    def resolve_outcome_label(obj):
        return _label(obj, "outcome")

    @staticmethod
    def resolve_signed_by(obj):
        return str(obj.signed_by)


class ReportBackEntryOut(Schema):
    """One line of an assigned case's report-back record."""

    kind: str = Field(..., description="opened 立项 | result 办理结果报告 | sent_back 退回补办 | accepted 审核通过 | cancelled 撤销 | ...")
    kind_label: str
    at: datetime.datetime
    unit: Optional[str] = Field(None, description="报告或决定的单位 / The unit that reported or decided")
    actor: Optional[str] = None
    text: str = Field("", description="办理情况、退回理由或审核意见 / The summary, the reason sent back, or the note")
    due_date: Optional[datetime.date] = Field(None, description="立项或退回时给出的期限 / The due date given")
    late: Optional[bool] = Field(None, description="结果报告是否逾期 / Whether a result report was late")
    proposed_reply: Optional[dict[str, str]] = Field(None, description="结果报告拟作的答复意见 / The answer a result report proposes")

    @staticmethod
    def resolve_kind_label(obj):
        return obj.get_kind_display()

    @staticmethod
    def resolve_unit(obj):
        return obj.unit.name if obj.unit_id else None

    @staticmethod
    def resolve_actor(obj):
        return obj.actor.display_name if obj.actor_id else None

    @staticmethod
    def resolve_late(obj):
        return obj.data.get("late") if obj.kind == "result" else None

    @staticmethod
    def resolve_proposed_reply(obj):
        return obj.data.get("reply") if obj.kind == "result" else None


class ReportBackOut(Schema):
    """交办反馈: what the lead unit of an assigned case owes the assigning unit."""

    id: int
    status: str = Field(..., description="open 待办理 | reported 待审核 | accepted 已办结 | cancelled 已撤销")
    status_label: str
    owner_unit: UnitOut = Field(..., description="报送单位（主办单位）/ The lead unit, which reports")
    creditor_unit: UnitOut = Field(..., description="交办单位，审核结果 / The assigning unit, which decides")
    due_date: datetime.date
    reported_at: Optional[datetime.datetime]
    reported_on_time: Optional[bool]
    sent_back_count: int
    closed_at: Optional[datetime.datetime]
    entries: list[ReportBackEntryOut]

    @staticmethod
    def resolve_status_label(obj):
        return obj.get_status_display()

    @staticmethod
    def resolve_entries(obj):
        return list(obj.entries.all())


class DraftOut(Schema):
    """A written opinion drafted by a handler (拟办), waiting for the head's signature (审签)."""

    id: int
    stage: str
    outcome: str
    request_summary: str
    facts: str
    opinion: str
    legal_basis: str
    remedy: str
    settlement: str
    drafted_by: str
    drafted_at: datetime.datetime

    @staticmethod
    def resolve_drafted_by(obj):
        return str(obj.drafted_by)


class EvaluationOut(Schema):
    reply_id: int
    satisfaction: str
    satisfaction_label: str
    comment: str
    channel: str
    recorded_by: Optional[str]
    at: datetime.datetime

    @staticmethod
    def resolve_satisfaction_label(obj):
        return _label(obj, "satisfaction")

    @staticmethod
    def resolve_recorded_by(obj):
        return str(obj.recorded_by) if obj.recorded_by_id else None


class EventOut(Schema):
    action: str
    action_label: str
    at: datetime.datetime
    actor: Optional[str]
    unit: Optional[str]
    from_status: Optional[str]
    to_status: Optional[str]
    note: str
    data: dict[str, Any]
    public: bool

    @staticmethod
    def resolve_action_label(obj):
        return _label(obj, "action")

    @staticmethod
    def resolve_actor(obj):
        return str(obj.actor) if obj.actor_id else None

    @staticmethod
    def resolve_unit(obj):
        return obj.actor_unit.name if obj.actor_unit_id else None

    @staticmethod
    def resolve_from_status(obj):
        return obj.from_status or None

    @staticmethod
    def resolve_to_status(obj):
        return obj.to_status or None


class CaseDetailOut(CaseItemOut):
    stage: str
    stage_label: str
    unit: UnitOut = Field(..., description="登记单位 / Registering unit")
    lead_unit: Optional[UnitOut]
    accused_unit: Optional[UnitOut] = Field(None, description="被检举控告单位（检举控告件）/ The accused unit, for an accusation")
    accused_post: str = ""
    region_code: str
    petition_count: int
    headcount: int
    is_collective: bool
    deadlines: dict[str, Any]
    warnings: list[str]
    extended_days: int
    extension_reason: str
    decided_at: Optional[datetime.datetime]
    accepted_at: Optional[datetime.datetime]
    assigned_at: Optional[datetime.datetime]
    replied_at: Optional[datetime.datetime]
    replied_on_time: Optional[bool]
    closed_at: Optional[datetime.datetime]
    concluded_at: Optional[datetime.datetime]
    archived_at: Optional[datetime.datetime]
    voided_at: Optional[datetime.datetime] = Field(None, description="作废时间 / When the registration was voided")
    decline_reason: str
    proper_channel: str
    guided_procedure: Optional[str]
    refuse_basis: Optional[str]
    satisfaction: Optional[str]
    satisfaction_label: Optional[str]
    version: int = Field(..., description="乐观锁：提交操作时带上 / Send it back with an action")
    allowed_actions: list[str] = Field(..., description="您现在可以进行的操作 / What you may do now")
    petitions: list[PetitionDetailOut]
    assignments: list[AssignmentOut]
    replies: list[ReplyOut]
    evaluations: list[EvaluationOut]
    timeline: list[EventOut]
    pending_draft: Optional[DraftOut] = Field(None, description="待审签的拟办意见 / The draft waiting for signature")
    report_backs: list[ReportBackOut] = Field(default_factory=list, description="交办反馈记录 / The report-back of each assignment")

    @staticmethod
    def resolve_pending_draft(obj):
        return pending_draft(obj) if obj.status in OPEN_STATUSES else None

    @staticmethod
    def resolve_stage_label(obj):
        return _label(obj, "stage")

    @staticmethod
    def resolve_deadlines(obj):
        return deadlines(obj)

    @staticmethod
    def resolve_warnings(obj):
        return list(obj.deadline_warnings or [])

    @staticmethod
    def resolve_guided_procedure(obj):
        return obj.guided_procedure or None

    @staticmethod
    def resolve_refuse_basis(obj):
        return obj.refuse_basis or None

    @staticmethod
    def resolve_satisfaction(obj):
        return obj.satisfaction or None

    @staticmethod
    def resolve_satisfaction_label(obj):
        return _label(obj, "satisfaction") if obj.satisfaction else None

    @staticmethod
    def resolve_timeline(obj):
        return obj.events.all()


# --- statistics -----------------------------------------------------------------------


class CountOut(Schema):
    code: str
    label: str
    count: int


class RateOut(Schema):
    label: str
    value: Optional[float] = Field(..., description="0..1；分母为0时为null / null when the denominator is 0")
    numerator: int
    denominator: int
    definition: str


class PeriodOut(Schema):
    date_from: datetime.date = Field(..., alias="from")
    date_to: datetime.date = Field(..., alias="to")


class VisitsOut(Schema):
    batches: int = Field(..., description="来访批次 / Visits (批)")
    person_visits: int = Field(..., description="来访人次 / Person-visits (人次)")
    collective_batches: int = Field(..., description="集体访批次 / Collective visits (5 or more people)")
    collective_person_visits: int


class CaseCountsOut(Schema):
    total: int
    overdue_now: int
    collective: int
    by_status: list[CountOut]
    by_kind: list[CountOut]


class PetitionCountsOut(Schema):
    total: int
    repeat: int
    by_channel: list[CountOut]
    visits: VisitsOut


class MeasuresOut(Schema):
    completion_rate: RateOut
    timely_acceptance_rate: RateOut
    on_time_completion_rate: RateOut
    satisfaction_rate: RateOut
    participation_rate: RateOut
    repeat_rate: RateOut


class SummaryOut(Schema):
    period: PeriodOut
    unit: Optional[UnitOut]
    cases: CaseCountsOut
    petitions: PetitionCountsOut
    measures: MeasuresOut


# --- action bodies (documentation only: the service checks the parameters) ---------------

ACTION_EXAMPLES = {
    "accept": {"note": "属于本机关职责范围", "version": 1},
    "decline": {"reason": "属于诉讼程序", "proper_channel": "向人民法院提起诉讼", "guided_procedure": "litigation"},
    "refuse": {"basis": "art36", "reason": "同一事实和理由已复核终结"},
    "forward": {"unit": "341122-ZRZY", "note": "属自然资源局职责"},
    "assign": {"unit": "341122100", "assisting": ["341122-ZRZY"], "due_date": "2026-04-30", "note": "请核实后答复"},
    "return": {"reason": "不属于本单位职责"},
    "start": {"note": "已签收"},
    "extend": {"days": 30, "reason": "需现场勘验"},
    "reply": {"outcome": "support", "request_summary": "发放征地补偿款", "facts": "补偿款确未发放",
              "opinion": "责成村委会十日内发放", "legal_basis": "《土地管理法》第四十八条", "remedy": "", "settlement": ""},
    "evaluate": {"satisfaction": "satisfied", "comment": "", "channel": "phone"},
    "close": {"note": ""},
    "review": {"reasons": "补偿标准过低"},
    "re_review": {"reasons": "对复查意见不服"},
    "conclude": {"note": ""},
    "follow_up": {"note": "电话回访，补偿款已到位", "method": "phone"},
    "archive": {"note": ""},
    "note": {"note": "已与信访人电话沟通"},
    "correct": {"received_at": "2026-03-01T09:00:00+08:00", "reason": "收到日期录入错误", "confirm_late": False},
    "void": {"reason": "同一来信重复登记", "duplicate_of": "341100-XFJ-2025-00417"},
    "assist": {"opinion": "经核查，该地块权属清晰，补偿标准符合规定"},
    "progress": {"note": "已到现场核实，约谈村委会"},
    "draft": {"outcome": "support", "request_summary": "发放征地补偿款", "facts": "补偿款确未发放", "opinion": "责成村委会十日内发放"},
    "sign": {"opinion": "责成村委会七日内发放（审签时修改）"},
    # Report-back of an assigned case: the lead unit's head reports (blank parts of the
    # answer are taken from the handler's draft); the assigning unit accepts or sends back.
    "report": {"summary": "已到现场核实，约谈村委会，补偿款七日内发放到户", "outcome": "support", "request_summary": "发放征地补偿款",
               "facts": "补偿款确未发放", "opinion": "责成村委会七日内发放", "legal_basis": "", "remedy": "", "settlement": ""},
    "approve": {"note": "同意"},
    "send_back": {"reason": "未附发放凭证，请补充后重新报送", "due_date": "2026-04-20"},
}

ACTION_OPENAPI = {
    "requestBody": {
        "required": False,
        "content": {"application/json": {
            # What cases.action_params lets through to the action: `version`, `days` a
            # whole number, `assisting` a list of unit codes, anything else text (or
            # null, "not given"); perform()'s own keywords never.
            "schema": {
                "type": "object",
                "properties": {
                    "version": {"type": "integer", "description": "读取时的版本，防止覆盖他人修改 / The version you read"},
                    "days": {"anyOf": [{"type": "integer"}, {"type": "string", "pattern": "^[0-9]{1,12}$"}, {"type": "null"}]},
                    "assisting": {"anyOf": [{"type": "array", "maxItems": 50,
                                             "items": {"type": "string", "maxLength": 100, "pattern": NO_NUL}}, {"type": "null"}]},
                },
                "propertyNames": {"not": {"enum": ["case", "action", "actor", "ip"]}},
                "additionalProperties": {"anyOf": [{"type": "string", "maxLength": 100_000, "pattern": NO_NUL}, {"type": "null"}]},
            },
            "examples": {name: {"summary": name, "value": value} for name, value in ACTION_EXAMPLES.items()},
        }},
    }
}
