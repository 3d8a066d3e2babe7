from django.urls import path

from . import views

app_name = "notify"
urlpatterns = [
    path("", views.centre, name="centre"),
    path("bell/", views.bell, name="bell"),
    path("read/", views.mark_read, name="mark_read"),
    path("<int:pk>/open/", views.open_notification, name="open"),
    path("preferences/", views.preferences, name="preferences"),
    path("outbox/", views.outbox, name="outbox"),
    path("outbox/<int:pk>/retry/", views.retry, name="retry"),
]
