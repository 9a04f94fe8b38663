from django.urls import path

from ganxun.reminders import views

app_name = "reminders"
urlpatterns = [
    path("settings/", views.org_settings, name="settings"),
    path("programs/<int:pk>/", views.program_settings, name="program"),
    path("chase/surveys/<int:pk>/", views.chase_survey, name="chase_survey"),
    path("chase/programs/<int:pk>/evaluations/", views.chase_evaluations, name="chase_evaluations"),
    path("chase/programs/<int:pk>/outlines/", views.chase_outlines, name="chase_outlines"),
    path("chase/programs/<int:pk>/quotas/", views.chase_quotas, name="chase_quotas"),
]
