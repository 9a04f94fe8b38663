from django.conf import settings
from django.urls import path
from django.views.generic import RedirectView

from ganxun.core import views, views_picker

app_name = "core"
urlpatterns = [
    path("audit/", views.audit_list, name="audit"),
    path("audit/export.xlsx", views.audit_export, name="audit_export"),
    path("jobs/<uuid:pk>/", views.job_detail, name="job"),
    path("jobs/<uuid:pk>/download/", views.job_download, name="job_download"),
    path("jobs/<uuid:pk>/retry/", views.job_retry_view, name="job_retry"),
    path("pick/<slug:kind>/", views_picker.pick, name="pick"),
    # browsers ask for /favicon.ico whatever the page says
    path(
        "favicon.ico",
        RedirectView.as_view(url=f"{settings.STATIC_URL}ganxun/favicon.svg", permanent=True),
    ),
]
