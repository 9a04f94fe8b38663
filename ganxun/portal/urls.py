"""The portal's pages keep the paths and URL names they had before the portal existed.

The audit and job pages are still reversed as ``core:…`` and the inbox as ``enrollment:…`` (by
templates and redirects in every app), so the portal mounts its patterns inside those two
namespaces beside the apps' own: the names stay, and the imports still only point down.
"""

from django.urls import path

from ganxun.core import urls as core_urls
from ganxun.enrollment import urls as enrollment_urls
from ganxun.portal.views import audit, home, inbox, jobs

home_view = home.home

core_namespace = (
    [
        path("audit/", audit.audit_list, name="audit"),
        path("audit/export.xlsx", audit.audit_export, name="audit_export"),
        path("jobs/<uuid:pk>/", jobs.job_detail, name="job"),
        path("jobs/<uuid:pk>/download/", jobs.job_download, name="job_download"),
        path("jobs/<uuid:pk>/retry/", jobs.job_retry_view, name="job_retry"),
        *core_urls.urlpatterns,
    ],
    core_urls.app_name,
)

enrollment_namespace = (
    [
        path("inbox/", inbox.inbox, name="inbox"),
        path("inbox/read-all/", inbox.notices_read_all, name="inbox_read_all"),
        path("inbox/<int:pk>/read/", inbox.notice_read, name="notice_read"),
        *enrollment_urls.urlpatterns,
    ],
    enrollment_urls.app_name,
)
