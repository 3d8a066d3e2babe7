"""Errors that services raise and every entry point (page, API, command) turns into a
clear answer. Messages are Chinese first, then English, as users read them. The JSON
shape of an error, `{"error": {"code", "message", "fields"}}`, is built here too, so that
anything below the API (the database-unavailable answer, the login lockout) answers in it
without importing the API. Pages show one half of a message (`for_page`); the API
answers with both."""

import re

from django.conf import settings
from django.http import JsonResponse
from django.utils.translation import get_language


class ServiceError(Exception):
    status = 400
    code = "invalid"

    def __init__(self, message, *, code=None, fields=None):
        super().__init__(message)
        self.message = message
        if code:
            self.code = code
        self.fields = fields or {}

    def as_dict(self):
        return {"error": {"code": self.code, "message": self.message, "fields": self.fields}}


class Invalid(ServiceError):
    status = 422
    code = "invalid"


class NotAllowed(ServiceError):
    status = 403
    code = "forbidden"


class NotFound(ServiceError):
    status = 404
    code = "not_found"


class WrongState(ServiceError):
    status = 409
    code = "wrong_state"


class Conflict(ServiceError):
    status = 409
    code = "conflict"


class StorageFull(ServiceError):
    """The disk (or quota) for attached files is full: nothing was saved."""

    status = 507
    code = "storage_full"


class TooLarge(ServiceError):
    """The request body is over settings.DATA_UPLOAD_MAX_MEMORY_SIZE: nothing was read."""

    status = 413
    code = "too_large"


def too_large():
    """The one answer to a body over the upload limit, for pages and the API alike."""
    mb = settings.DATA_UPLOAD_MAX_MEMORY_SIZE / (1024 * 1024)
    limit = f"{mb:g} MB"
    return TooLarge(f"提交的内容超过{limit}的上限，请删减后重试（附件请单独上传） / The request is larger than the {limit} limit.")


def require(fields):
    """Raise Invalid naming every field whose value is blank: {"title": value, ...}."""
    missing = {name: "此项必填 / This field is required." for name, value in fields.items() if value in (None, "", [], ())}
    if missing:
        raise Invalid("请填写必填项 / Required fields are missing.", code="missing_fields", fields=missing)


def error_body(code, message, fields=None):
    return {"error": {"code": code, "message": message, "fields": fields or {}}}


def json_error(status, code, message, fields=None):
    return JsonResponse(error_body(code, message, fields), status=status, json_dumps_params={"ensure_ascii": False})


# --- the message as a page shows it ---------------------------------------------------

_SLASH = re.compile(r"\s*/\s*")
_CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")


def halves(message):
    """(Chinese, English) of a message written "中文 / English"; (message, "") when it
    has no English half. The halves meet at the first slash after which no Chinese
    follows — written "…（第二十条）/ At most…" or "… / At most…" alike — so a slash
    inside the Chinese (1/2, 省/市) does not split it."""
    text = str(message or "")
    for match in _SLASH.finditer(text):
        before, after = text[: match.start()], text[match.end():]
        if after and _CJK.search(before) and not _CJK.search(after) and (after[0].isalnum() or after[0] in "\"'(`"):
            return before.strip(), after.strip()
    if " / " in text and _CJK.search(text.split(" / ", 1)[0]):
        # An English half that quotes a Chinese name: split at the spaced slash.
        before, after = text.split(" / ", 1)
        return before.strip(), after.strip()
    return text, ""


def for_page(message, language=None):
    """The message in one language, as every page shows it (the API keeps both
    halves): English when `language` (by default the request's active language) is
    English, Chinese otherwise."""
    if language is None:
        language = get_language() or ""
    chinese, english = halves(message)
    return english if english and language.startswith("en") else chinese
