from django.urls import include, path

from ganxun.config.api import api
from ganxun.needs.urls import public_patterns as survey_link_patterns
from ganxun.orgs.urls import cadre_patterns, org_patterns
from ganxun.outcomes.urls import public_patterns as certificate_check_patterns
from ganxun.portal import urls as portal_urls

urlpatterns = [
    path("", portal_urls.home_view, name="home"),
    path("accounts/", include("ganxun.accounts.urls")),
    path("orgs/", include(org_patterns)),
    path("cadres/", include(cadre_patterns)),
    path("catalog/", include("ganxun.catalog.urls")),
    path("surveys/", include("ganxun.surveys.urls")),
    path("needs/", include("ganxun.needs.urls")),
    path("programs/", include("ganxun.programs.urls")),
    path("enrollment/", include(portal_urls.enrollment_namespace)),
    path("checkin/", include("ganxun.checkin.urls")),
    path("evaluations/", include("ganxun.evaluations.urls")),
    path("outcomes/", include("ganxun.outcomes.urls")),
    path("credits/", include("ganxun.credits.urls")),
    path("budgets/", include("ganxun.budgets.urls")),
    path("learning/", include("ganxun.learning.urls")),
    path("stats/", include("ganxun.stats.urls")),
    path("notices/", include("ganxun.messaging.urls_prefs")),
    path("messaging/", include("ganxun.messaging.told.urls")),
    path("reminders/", include("ganxun.reminders.urls")),
    *survey_link_patterns,
    *certificate_check_patterns,
    path("", include(portal_urls.core_namespace)),
    path("", include("ganxun.ops.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", api.urls),
]

handler500 = "ganxun.ops.views.server_error"  # a database outage answers 503, not 500
handler400 = "ganxun.ops.views.bad_request"  # a session save the database refused: 503 too
