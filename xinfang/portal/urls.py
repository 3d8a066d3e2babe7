from django.urls import path
from django.views.i18n import set_language

from . import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("submit/", views.submit, name="submit"),
    path("captcha/new/", views.captcha_new, name="captcha_new"),
    path("captcha/<str:key>.png", views.captcha_image, name="captcha_image"),
    path("follow/", views.follow, name="follow"),
    path("follow/leave/", views.leave, name="leave"),
    path("follow/documents/<int:pk>/", views.document, name="document"),
    path("follow/notices/<int:pk>/", views.notice, name="notice"),
    path("follow/evaluate/", views.evaluate, name="evaluate"),
    path("follow/review/", views.review, name="review"),
    path("guide/", views.guide, name="guide"),
    path("reception/", views.reception, name="reception"),
    path("figures/", views.figures, name="figures"),
    path("language/", set_language, name="language"),
]
