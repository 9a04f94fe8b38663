from django.urls import path

from ganxun.evaluations.views import answering, assessments, brief, comments, results

app_name = "evaluations"
urlpatterns = [
    # trainees
    path("sessions/<int:pk>/", answering.session_form, name="session_form"),
    path("sessions/<int:pk>/thanks/", answering.session_thanks, name="session_thanks"),
    path("mine/", answering.mine, name="mine"),
    path("tests/<int:pk>/take/", answering.assessment_take, name="assessment_take"),
    # organizers and lecturers
    path("sessions/<int:pk>/results/", results.session_results, name="session_results"),
    path("sessions/<int:pk>/comments/", comments.session_comments, name="session_comments"),
    path("comments/", comments.pending_comments, name="pending_comments"),
    path("sessions/<int:pk>/brief/", brief.session_brief, name="session_brief"),
    path("programs/<int:pk>/", results.program_overview, name="program"),
    path("programs/<int:pk>/rates/", results.program_rates, name="program_rates"),
    path("programs/<int:pk>/export/", results.program_export, name="program_export"),
    path("programs/<int:pk>/setup/", results.program_setup, name="program_setup"),
    path("programs/<int:pk>/customize/", results.program_customize, name="program_customize"),
    path("programs/<int:pk>/activate/", results.program_activate, name="program_activate"),
    path("programs/<int:pk>/tests/", assessments.program_tests, name="program_tests"),
    path("lecturers/<int:pk>/", results.lecturer_results, name="lecturer_results"),
    path("courses/<int:pk>/", results.course_results, name="course_results"),
    path("themes/<int:pk>/", results.theme_results, name="theme_results"),
    path("orgs/<int:pk>/", results.org_results, name="org_results"),
    path("venues/<int:pk>/", results.venue_results, name="venue_results"),
    # tests and the question bank
    path("tests/<int:pk>/", assessments.assessment_detail, name="assessment"),
    path("tests/<int:pk>/status/", assessments.assessment_status, name="assessment_status"),
    path("tests/<int:pk>/questions/", assessments.assessment_add, name="assessment_add"),
    path(
        "tests/<int:pk>/questions/<int:question>/remove/",
        assessments.assessment_remove,
        name="assessment_remove",
    ),
    path("bank/", assessments.bank, name="bank"),
    path("bank/<int:pk>/", assessments.bank_edit, name="bank_edit"),
    path("bank/<int:pk>/delete/", assessments.bank_delete, name="bank_delete"),
]
