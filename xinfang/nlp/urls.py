from django.urls import path

from . import views

app_name = "nlp"
urlpatterns = [
    path("topics/", views.topics, name="topics"),
]
