"""Every rejected request answers `{"error": {"code", "message", "fields"}}` (API.md),
whatever rejected it: a service, Ninja's parsing and validation, authentication, an
unknown URL or method. An unexpected exception is logged and answers 500 in the same
shape, without the traceback."""

import logging

from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.db import DataError, InterfaceError, OperationalError
from django.http import Http404, HttpResponseNotAllowed
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.params.models import QueryModel

from xinfang.lib import unavailable
from xinfang.lib.bad_request import refusal
from xinfang.lib.errors import ServiceError, error_body, json_error

logger = logging.getLogger(__name__)

# Names of body parameters in the routers: Ninja puts them in the error location,
# clients don't need to see them.
BODY_PARAMS = {"payload"}

HTTP_CODES = {
    400: ("bad_request", "请求格式不正确 / The request is malformed."),
    401: ("unauthorized", "请先登录：请在Authorization头中提供有效令牌 / Authentication required: send a valid Bearer token."),
    403: ("forbidden", "无权进行此操作 / You are not allowed to do this."),
    404: ("not_found", "找不到请求的资源 / Not found."),
    405: ("method_not_allowed", "不支持该请求方法 / This method is not allowed here."),
    429: ("throttled", "请求过于频繁，请稍后再试 / Too many requests; try again later."),
}


def _field_message(err):
    """A pydantic error as a person reads it: Chinese first, then English."""
    kind, ctx = err.get("type", ""), err.get("ctx") or {}
    if kind == "missing":
        return "此项必填 / This field is required."
    if kind == "extra_forbidden":
        return "不支持此字段 / Unknown field."
    if kind == "string_type":
        return "应为文本 / Must be a string."
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return "应为整数 / Must be a whole number."
    if kind in ("bool_type", "bool_parsing"):
        return "应为 true 或 false / Must be true or false."
    if kind in ("list_type", "tuple_type"):
        return "应为列表 / Must be a list."
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return "应为JSON对象 / Must be a JSON object."
    if kind.startswith("datetime"):
        return "日期时间格式不正确，应为ISO 8601（如2026-03-02T10:00:00+08:00）/ Not a valid ISO 8601 date and time."
    if kind.startswith("date"):
        return "日期格式应为YYYY-MM-DD / Dates are YYYY-MM-DD."
    if kind == "string_too_long":
        return f"不超过{ctx.get('max_length')}个字符 / At most {ctx.get('max_length')} characters."
    if kind == "too_long":
        return f"最多{ctx.get('max_length')}项 / At most {ctx.get('max_length')} items."
    if kind in ("greater_than_equal", "greater_than"):
        limit = ctx.get("ge", ctx.get("gt"))
        return f"应不小于{limit} / Must be at least {limit}."
    if kind in ("less_than_equal", "less_than"):
        limit = ctx.get("le", ctx.get("lt"))
        return f"应不大于{limit} / Must be at most {limit}."
    if kind == "value_error":
        return str(ctx.get("error") or err.get("msg", ""))
    return f"格式不正确 / {err.get('msg', 'Invalid value.')}"


def validation_fields(errors):
    """{"petitioners.0.id_number": "message"} from Ninja's error list, in the same
    dotted form the services use."""
    fields = {}
    for err in errors:
        loc = [str(p) for p in err.get("loc", ())]
        source = loc.pop(0) if loc else "body"
        if source == "body" and loc and loc[0] in BODY_PARAMS:
            loc.pop(0)
        fields.setdefault(".".join(loc) or source, _field_message(err))
    return fields


def install(api):
    """Register the handlers on the NinjaAPI; later registrations replace Ninja's
    defaults for the same exception classes."""

    def respond(request, status, code, message, fields=None):
        response = api.create_response(request, error_body(code, message, fields), status=status)
        if status == 401:
            response["WWW-Authenticate"] = "Bearer"
        return response

    @api.exception_handler(ServiceError)
    def service_error(request, exc):
        return respond(request, exc.status, exc.code, exc.message, exc.fields)

    @api.exception_handler(ValidationError)
    def validation_error(request, exc):
        return respond(request, 422, "invalid", "请求内容有误，请检查标示的项目 / Some fields are not valid.",
                       validation_fields(exc.errors))

    @api.exception_handler(AuthenticationError)
    def authentication_error(request, exc):
        code, message = HTTP_CODES[401]
        return respond(request, 401, code, exc.message if exc.message != "Unauthorized" else message)

    @api.exception_handler(HttpError)
    def http_error(request, exc):
        code, message = HTTP_CODES.get(exc.status_code, ("error", exc.message))
        if exc.status_code == 400 and str(exc.message).startswith("Cannot parse request body"):
            code, message = "bad_json", "请求内容不是有效的JSON / The request body is not valid JSON."
        return respond(request, exc.status_code, code, message)

    @api.exception_handler(Http404)
    def not_found(request, exc):
        return respond(request, 404, *HTTP_CODES[404])

    @api.exception_handler(PermissionDenied)
    def permission_denied(request, exc):
        return respond(request, 403, *HTTP_CODES[403])

    @api.exception_handler(SuspiciousOperation)
    def suspicious(request, exc):
        # A body over the upload limit (413), too many fields, a bad host: the request
        # was refused before it was read, so nothing happened.
        error = refusal(exc)
        return respond(request, error.status, error.code, error.message)

    @api.exception_handler(DataError)
    def data_error(request, exc):
        # The database refused a value (too long for its column, out of range) that
        # validation let through: still the caller's input, and the transaction rolled
        # back. Logged, because it means a check is missing upstream.
        logger.warning("database refused input on %s %s: %s", request.method, request.path, exc)
        return respond(request, 422, "invalid", "提交的内容超出允许的长度或范围 / A value is too long or out of range.")

    @api.exception_handler(OperationalError)
    @api.exception_handler(InterfaceError)
    def database_unavailable(request, exc):
        # The database is gone (restarting, failing over): the transaction rolled back,
        # nothing was saved, and the same request can be sent again.
        logger.error("database unavailable on %s %s: %s", request.method, request.path, exc)
        unavailable.forget_broken_connections()
        response = respond(request, 503, unavailable.CODE, unavailable.MESSAGE)
        response["Retry-After"] = str(unavailable.RETRY_AFTER_SECONDS)
        return response

    @api.exception_handler(Exception)
    def unexpected(request, exc):
        logger.exception("API error on %s %s", request.method, request.path)
        return respond(request, 500, "server_error", "服务器内部错误，已记录，请稍后重试 / Internal error; it has been logged.")


def with_error_shape(view):
    """Wrap a Ninja path view so that its bare 405 answer gets the error shape too."""

    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if isinstance(response, HttpResponseNotAllowed):
            allowed = response["Allow"]
            response = json_error(405, *HTTP_CODES[405])
            response["Allow"] = allowed
        return response

    wrapped.csrf_exempt = getattr(view, "csrf_exempt", False)
    wrapped.__name__ = getattr(view, "__name__", "view")
    return wrapped


def unknown_route(request, *args, **kwargs):
    return json_error(404, *HTTP_CODES[404])


unknown_route.csrf_exempt = True


# What each error status means, for the OpenAPI document (document_errors below).
DESCRIPTIONS = {
    400: "请求体不是有效的JSON / The body is not valid JSON (code bad_json).",
    401: "缺少或无效的令牌，或用户名密码错误 / No valid token, or wrong credentials.",
    403: "无权进行此操作（岗位、单位范围） / Not allowed for your role or unit.",
    404: "不存在，或不在您的可见范围内 / No such thing, or not visible to you.",
    409: "当前状态不允许，或已被他人修改 / Not allowed in this state, or changed by someone else meanwhile.",
    413: "请求体超过上限 / The body is larger than the upload limit (code too_large).",
    422: "请求内容有误，fields 标出各项原因 / Some input is not valid; `fields` names each.",
    429: "请求过于频繁或账号已锁定，见 Retry-After / Too many requests or locked out; see Retry-After.",
    500: "服务器内部错误（已记录） / Internal error; it has been logged.",
    503: "数据库暂时不可用，未保存任何内容，见 Retry-After / The database is unavailable; nothing was saved.",
}
RETRY_AFTER = {"Retry-After": {"description": "秒 / Seconds to wait", "schema": {"type": "string"}}}
HEADERS = {401: {"WWW-Authenticate": {"description": "Bearer", "schema": {"type": "string"}}}, 429: RETRY_AFTER, 503: RETRY_AFTER}


def document_errors(schema, error_ref):
    """Give every operation of the OpenAPI document the error answers it can give:
    those its route declares (`schemas.errors(...)`), and the ones every route of its
    kind gives — 401 with a token, 422 with any input, 400 and 413 with a body, 500 and
    503 always — each in the error shape, with its headers."""
    for operations in schema["paths"].values():
        for operation in operations.values():
            responses = operation.setdefault("responses", {})
            codes = {500, 503}
            if operation.get("security"):
                codes.add(401)
            if operation.get("parameters") or operation.get("requestBody"):
                codes.add(422)
            if operation.get("requestBody"):
                codes |= {400, 413}
            codes |= {int(c) for c in responses if str(c).isdigit() and int(c) >= 400}
            for code in sorted(codes):
                answer = responses.setdefault(code, {})
                answer["description"] = DESCRIPTIONS[code]
                answer["content"] = {"application/json": {"schema": {"$ref": error_ref}}}
                if code in HEADERS:
                    answer["headers"] = HEADERS[code]
    return schema


def refuse_unknown_query_parameters(operation):
    """Refuse query parameters the operation does not take, as bodies refuse unknown
    fields (schemas.In): a misspelt filter (`?stauts=closed`) must be an error, not a
    list of every case. Ninja only reads the names it knows, so it is checked here,
    after authentication and before the parameters are parsed: 422 naming each."""
    if getattr(operation, "_refuses_unknown_query", False):
        return
    known = {name for model in operation.models if issubclass(model, QueryModel)
             for name in getattr(model, "__ninja_flatten_map__", {})}
    get_values = operation._get_values

    def checked(request, path_params, temporal_response):
        unknown = sorted(set(request.GET) - known)
        if unknown:
            raise ValidationError([{"loc": ("query", name), "type": "extra_forbidden"} for name in unknown])
        return get_values(request, path_params, temporal_response)

    operation._get_values = checked
    operation._refuses_unknown_query = True
