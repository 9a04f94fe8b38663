from django.urls import path

from ganxun.outcomes.views import followups, graduation, loop, public, reports, summary

app_name = "outcomes"
urlpatterns = [
    # trainees and unit contacts
    path("", reports.my_outcomes, name="my"),
    path("new/", reports.outcome_create, name="create"),
    path("<int:pk>/", reports.outcome_detail, name="detail"),
    path("<int:pk>/edit/", reports.outcome_edit, name="edit"),
    path("<int:pk>/review/", reports.outcome_review, name="review"),
    path("<int:pk>/publish/", reports.outcome_publish, name="publish"),
    path("attachments/<int:pk>/", reports.attachment, name="attachment"),
    path("review/", reports.review_queue, name="review_queue"),
    # one program
    path("programs/<int:pk>/", summary.summary, name="summary"),
    path("programs/<int:pk>/outcomes/", reports.program_outcomes, name="program_outcomes"),
    path("programs/<int:pk>/showcase/", reports.showcase, name="showcase"),
    path("programs/<int:pk>/followups/", followups.program_followups, name="followups"),
    path("programs/<int:pk>/followups/new/", followups.followup_create, name="followup_create"),
    path("programs/<int:pk>/followups/sample/", followups.sample_create, name="sample_create"),
    path("programs/<int:pk>/graduation/", graduation.graduation, name="graduation"),
    path("programs/<int:pk>/graduation/rule/", graduation.rule_edit, name="rule"),
    path("programs/<int:pk>/graduation/confirm/", graduation.graduates_confirm, name="confirm"),
    path("programs/<int:pk>/my/", graduation.my_progress, name="my_progress"),
    path("programs/<int:pk>/loop/", loop.loop, name="loop"),
    path("followups/<int:pk>/", followups.followup_detail, name="followup"),
    path("certificates/<int:pk>/", graduation.certificate, name="certificate"),
    path("certificates/<int:pk>/revoke/", graduation.certificate_revoke, name="revoke"),
]

# Mounted at the site root (config/urls.py): the public certificate check needs no login.
public_patterns = [
    path("verify/", public.verify, name="verify"),
    path("verify/<str:code>/", public.verify_code, name="verify_code"),
]
