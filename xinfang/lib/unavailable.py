"""When the database is gone (restarting, failing over, unreachable), a request answers
503 with a message in Chinese and English and `Retry-After`, not a 500: its transaction
rolled back, so nothing was saved and the same request can simply be sent again. The
broken connection is dropped at once, so the next request opens a fresh one (with
CONN_HEALTH_CHECKS, settings.py, a kept-alive connection is also tested before reuse).

Pages get this through `server_error` (handler500 in xinfang/urls.py), which sees every
uncaught exception, raised in a view or in a middleware (loading the session); the API
through its exception handler (xinfang/api/errors.py)."""

import logging
import sys

from django.db import DatabaseError, InterfaceError, OperationalError, connections
from django.http import HttpResponse
from django.template import loader
from django.views import defaults

from xinfang.lib.errors import json_error

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 5
CODE = "database_unavailable"
MESSAGE = "数据库暂时无法连接，本次操作没有保存，请稍后重试 / The database is unavailable; nothing was saved. Please try again shortly."


def is_unavailable(exc):
    return isinstance(exc, (OperationalError, InterfaceError))


def forget_broken_connections():
    """Close connections that the failure left unusable, outside a transaction only (a
    test's own transaction, or an outer atomic block, must not be cut)."""
    for conn in connections.all(initialized_only=True):
        if not conn.in_atomic_block:
            conn.close_if_unusable_or_obsolete()


def after_commit(work, *, fallback, what="work after the commit"):
    """Run `work` that follows a committed change (reading similar petitions, loading
    the answer's details). The change is saved: a database failure here must not turn
    it into a 503 that says nothing was saved. Log it, drop the broken connection and
    return `fallback` (called if callable), an answer built from what is already known."""
    try:
        return work()
    except DatabaseError as exc:
        logger.error("database failed after a commit (%s): %s", what, exc)
        forget_broken_connections()
        return fallback() if callable(fallback) else fallback


def respond(request, exc):
    """The 503 answer of a page; the API shapes its own (api/errors.py)."""
    logger.error("database unavailable on %s %s: %s", request.method, request.path, exc)
    forget_broken_connections()
    if request.path.startswith("/api/"):
        response = json_error(503, CODE, MESSAGE)
    else:
        # A page that needs nothing from the database: no user, no messages, no menu.
        response = HttpResponse(loader.render_to_string("503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def server_error(request, template_name=defaults.ERROR_500_TEMPLATE_NAME):
    """handler500: a database that is gone answers 503; anything else, Django's 500 page."""
    exc = sys.exc_info()[1]
    if exc is not None and is_unavailable(exc):
        return respond(request, exc)
    return defaults.server_error(request, template_name)
