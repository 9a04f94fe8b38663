from django.urls import path

from ganxun.core import views

app_name = "core"
urlpatterns = [
    path("audit/", views.audit_list, name="audit"),
    path("jobs/<uuid:pk>/", views.job_detail, name="job"),
    path("jobs/<uuid:pk>/download/", views.job_download, name="job_download"),
]
