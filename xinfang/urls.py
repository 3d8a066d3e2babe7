from django.contrib import admin
from django.urls import include, path

from xinfang.api.api import api

# A database that is gone answers 503 (retry), anything else the 500 page: lib/unavailable.py.
handler500 = "xinfang.lib.unavailable.server_error"
# A body over the upload limit answers 413, other refused requests 400: lib/bad_request.py.
handler400 = "xinfang.lib.bad_request.bad_request"

admin.site.site_header = "信访业务系统管理"
admin.site.site_title = "信访业务系统"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("portal/", include("xinfang.portal.urls")),  # the public site (网上信访)
    path("account/", include("xinfang.org.urls")),  # password, second factor, logout everywhere
    path("audit/", include("xinfang.web.auditor.urls")),  # the auditor's screen
    path("nlp/", include("xinfang.nlp.urls")),  # hot topics (xinfang.nlp)
    path("notify/", include("xinfang.notify.urls")),  # the notification centre, the administrator's outbox
    path("supervision/", include("xinfang.web.supervision.urls")),  # 督查督办: items, reminders, bulletins, campaigns, reviews
    path("", include("xinfang.web.urls")),
]
