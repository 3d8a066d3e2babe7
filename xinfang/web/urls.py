from django.contrib.auth import views as auth_views
from django.urls import path

from . import documents, views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("login/", auth_views.LoginView.as_view(template_name="registration/login.html", redirect_authenticated_user=True),
         name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("work/", views.my_work, name="my_work"),
    path("cases/", views.search, name="search"),
    # Before cases/<number>/: a case number never ends in ".csv" or ".xlsx", but the order makes it plain.
    path("cases/export.csv", views.export_cases, {"fmt": "csv"}, name="case_export_csv"),
    path("cases/export.xlsx", views.export_cases, {"fmt": "xlsx"}, name="case_export_xlsx"),
    path("register/", views.register_petition, name="register"),
    path("register/candidates/", views.candidates, name="candidates"),
    path("register/similar/", views.similar, name="similar"),
    path("cases/<str:number>/", views.case_detail, name="case"),
    path("cases/<str:number>/actions/<str:action>/", views.case_action, name="case_action"),
    path("cases/<str:number>/query-code/", views.query_code, name="query_code"),
    path("cases/<str:number>/casefile/rebuild/", views.casefile_rebuild, name="casefile_rebuild"),
    path("cases/<str:number>/casefile/<str:which>/", views.casefile_file, name="casefile_file"),
    path("cases/<str:number>/petitioners/<int:pk>/reveal/", views.reveal_petitioner, name="reveal_petitioner"),
    path("attachments/<int:pk>/", views.attachment, name="attachment"),
    path("documents/<int:pk>/", documents.document_file, name="document"),
    path("documents/<int:pk>/versions/", documents.document_version, name="document_version"),
    path("documents/templates/", documents.templates_page, name="document_templates"),
    path("documents/templates/<str:kind>/preview/", documents.template_preview, name="template_preview"),
    path("deliveries/<int:pk>/proof/", views.delivery_proof, name="delivery_proof"),
]
