"""handler400 (xinfang/urls.py): a request Django refuses before any view sees it.

A body over DATA_UPLOAD_MAX_MEMORY_SIZE raises RequestDataTooBig wherever it is first
read (the CSRF middleware reading a form, a view, Ninja parsing JSON); Django treats it
as a SuspiciousOperation and calls this handler. It answers 413 — a page in Chinese, or
on /api/ the API's error shape — instead of Django's English "Bad Request"; any other
refused request answers 400 the same two ways. The API's own routes turn the same
exception into the same answer in api/errors.py."""

from django.core.exceptions import RequestDataTooBig
from django.http import HttpResponse
from django.template import loader

from .errors import ServiceError, json_error, too_large


def refusal(exception):
    if isinstance(exception, RequestDataTooBig):
        return too_large()
    return ServiceError("请求格式不正确 / The request is malformed.", code="bad_request")


def bad_request(request, exception=None):
    error = refusal(exception)
    if request.path.startswith("/api/"):
        return json_error(error.status, error.code, error.message)
    # A page that needs nothing from the database or the session: the request may be
    # refused before either was looked at.
    return HttpResponse(loader.render_to_string(f"{error.status}.html", {"message": error.message}), status=error.status)
