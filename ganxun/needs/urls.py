from django.urls import path

from ganxun.needs.views import analysis, clusters, respond, surveys, topics

app_name = "needs"
urlpatterns = [
    path("", surveys.survey_list, name="list"),
    path("new/", surveys.survey_create, name="create"),
    path("mine/", respond.inbox, name="inbox"),
    path("mine/<int:rid>/", respond.answer_mine, name="answer_mine"),
    path("mine/<int:rid>/done/", respond.answer_mine_done, name="answer_mine_done"),
    path("topics/", topics.topic_list, name="topics"),
    path("topics/new/", topics.topic_edit, name="topic_create"),
    path("topics/<int:pk>/edit/", topics.topic_edit, name="topic_edit"),
    path("runs/<int:pk>/", clusters.run_detail, name="run"),
    path("runs/<int:pk>/merge/", clusters.clusters_merge, name="merge"),
    path("runs/<int:pk>/confirm/", clusters.run_confirm, name="confirm"),
    path("runs/<int:pk>/clusters/<int:cid>/", clusters.cluster_detail, name="cluster"),
    path("runs/<int:pk>/clusters/<int:cid>/rename/", clusters.cluster_rename, name="rename"),
    path("runs/<int:pk>/clusters/<int:cid>/discard/", clusters.cluster_discard, name="discard"),
    path("runs/<int:pk>/clusters/<int:cid>/split/", clusters.cluster_split, name="split"),
    path("common-needs/<int:pk>/courses/", clusters.need_courses, name="need_courses"),
    path(
        "common-needs/<int:pk>/courses/decide/",
        clusters.need_course_decide,
        name="need_course_decide",
    ),
    path("<int:pk>/", surveys.survey_detail, name="detail"),
    path("<int:pk>/edit/", surveys.survey_edit, name="edit"),
    path("<int:pk>/open/", surveys.survey_open, name="open"),
    path("<int:pk>/close/", surveys.survey_close, name="close"),
    path("<int:pk>/targeting/", surveys.targeting, name="targeting"),
    path("<int:pk>/respondents/", surveys.respondents, name="respondents"),
    path("<int:pk>/respondents/export.xlsx", surveys.respondents_export, name="respondents_export"),
    path("<int:pk>/respondents/slips/", surveys.slips, name="slips"),
    path("<int:pk>/respondents/<int:rid>/qr.svg", surveys.respondent_qr, name="respondent_qr"),
    path("<int:pk>/respondents/<int:rid>/reissue/", surveys.respondent_reissue, name="reissue"),
    path("<int:pk>/analysis/", analysis.crosstab_page, name="crosstab"),
    path("<int:pk>/analysis/export.xlsx", analysis.crosstab_export, name="crosstab_export"),
    path("<int:pk>/clusters/", clusters.run_start, name="run_start"),
    path("<int:pk>/common-needs/", clusters.common_needs, name="common_needs"),
    path(
        "<int:pk>/common-needs/export.xlsx",
        clusters.common_needs_export,
        name="common_needs_export",
    ),
    path("<int:pk>/common-needs/suggest/", clusters.courses_suggest, name="courses_suggest"),
]

# Outside login: the personal link is the credential.
public_patterns = [
    path("s/<str:token>/", respond.respond, name="respond"),
    path("s/<str:token>/done/", respond.respond_done, name="respond_done"),
]
