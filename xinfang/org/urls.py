from django.urls import path

from . import views

app_name = "org"
urlpatterns = [
    path("", views.security, name="security"),
    path("password/", views.password_change, name="password_change"),
    path("otp/setup/", views.otp_setup, name="otp_setup"),
    path("otp/verify/", views.otp_verify, name="otp_verify"),
    path("logout-everywhere/", views.logout_everywhere, name="logout_everywhere"),
]
